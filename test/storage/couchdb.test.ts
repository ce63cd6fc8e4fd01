// The HTTP adapter against a CouchDB-compatible server: the storage contract and the query and permission specs.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { runSpecFile } from '../literate/run.ts';
import { startCouchServer, type CouchServer } from '../support/couch-server.ts';
import { openPouchStorage } from '../../src/storage/pouchdb.ts';
import { AlreadyExistsError } from '../../src/storage/storage.ts';

describe('storage/pouchdb over HTTP (pouchdb-server)', function () {
  this.timeout(120_000);
  let couch: CouchServer;
  before(async () => {
    couch = await startCouchServer();
  });
  after(async () => {
    await couch?.stop();
  });

  it('keeps the storage contract for resources, counts, counters and unique values', async () => {
    const storage = await openPouchStorage({ adapter: 'http', url: `${couch.url}/contract-${randomUUID()}` }, { indexKeys: ['example.ISheet:value'] });
    try {
      await storage.insertResource({ path: '/', contentType: 'example.IRoot', data: {} });
      await Promise.all(['b', 'a', 'c'].map((name) => storage.insertResource({ path: `/${name}/`, contentType: 'example.IThing', data: {}, index: { 'example.ISheet:value': name } })));
      await assert.rejects(storage.insertResource({ path: '/a/', contentType: 'example.IThing', data: {} }), AlreadyExistsError);
      assert.deepEqual(await storage.childCounts('/'), { 'example.IThing': { visible: 3, hidden: 0, restricted: 0 } });
      const sorted = await storage.queryChildren({ parent: '/', depth: 1, includeHidden: false, filters: [], sort: { key: 'example.ISheet:value', reverse: true }, offset: 0, limit: 2 });
      assert.deepEqual(sorted.map((record) => record.path), ['/c/', '/b/']);
      const values = await Promise.all(Array.from({ length: 20 }, () => storage.incrementCounter('/')));
      assert.equal(new Set(values).size, 20);
    } finally {
      await storage.close();
    }
  });

  for (const file of ['docs/queries.md', 'docs/authorization.md', 'docs/authentication.md']) {
    it(`answers ${file} as documented`, async () => {
      const result = await runSpecFile(file, { couchUrl: couch.url });
      assert.ok(result.requests > 10);
    });
  }
});
