// The executable specs of queries, permissions and logins over the HTTP adapter, against a CouchDB-compatible server.
import assert from 'node:assert/strict';
import { runSpecFile } from '../literate/run.ts';
import { startCouchServer, type CouchServer } from '../support/couch-server.ts';

describe('storage/pouchdb over HTTP (express-pouchdb)', function () {
  this.timeout(120_000);
  let couch: CouchServer;
  before(async () => {
    couch = await startCouchServer();
  });
  after(async () => {
    await couch?.stop();
  });

  for (const file of ['docs/queries.md', 'docs/authorization.md', 'docs/authentication.md']) {
    it(`answers ${file} as documented`, async () => {
      const result = await runSpecFile(file, { couchUrl: couch.url });
      assert.ok(result.requests > 10);
    });
  }
});
