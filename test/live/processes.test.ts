// Two backend processes on one CouchDB database (pouchdb-server): what is written through one reaches the connections of the other.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startCouchServer, type CouchServer } from '../support/couch-server.ts';
import type { Message } from '../support/live-client.ts';
import { startLiveApp, url, type LiveApp } from '../support/live-app.ts';
import { ids, registerAndLogIn } from '../support/test-app.ts';

const withoutSeq = (messages: Message[]) => messages.map(({ seq: _seq, ...rest }) => rest);

describe('live/processes over pouchdb-server', function () {
  this.timeout(60_000);
  let couch: CouchServer;
  let a: LiveApp;
  let b: LiveApp;
  const createPool = (app: LiveApp, parent: string, name: string) =>
    app.t.http.post(parent).set('X-User-Token', app.adminToken).send({ content_type: ids.basicPool, data: { [ids.name]: { name } } }).expect(200);

  before(async () => {
    couch = await startCouchServer();
  });
  after(async () => {
    await couch.stop();
  });
  beforeEach(async () => {
    const couchDatabase = `live-${randomUUID()}`;
    a = await startLiveApp({ couchUrl: couch.url, couchDatabase });
    b = await startLiveApp({ couchUrl: couch.url, couchDatabase });
    await createPool(a, '/', 'p');
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  it('tells a subscriber on one process of a change written through the other', async () => {
    const client = await b.connect();
    client.send({ action: 'subscribe', resource: '/p/' });
    assert.equal((await client.next()).status, 'ok');
    await createPool(a, '/p/', 'c');
    assert.deepEqual(withoutSeq(await client.take(3)), [
      { event: 'new_child', resource: url('/p/'), child: url('/p/c/') },
      { event: 'modified', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
    ]);
  });

  it('tells the connections on the other process of a session that a logout ended', async () => {
    const anna = await registerAndLogIn(a.t.http, 'Anna');
    const client = await b.connect(anna.token);
    await a.t.http.post('/logout').set('X-User-Token', anna.token).send({}).expect(200);
    assert.equal((await client.next()).event, 'session_ended');
  });

  it('lets a connection resume on the other process with the sequence it had from the first', async () => {
    const first = await a.connect();
    first.send({ action: 'subscribe', resource: '/p/' });
    await first.next();
    await createPool(a, '/p/', 'one');
    const since = (await first.take(3))[2]?.seq;
    await first.close();
    await createPool(a, '/p/', 'two');
    const again = await b.connect();
    again.send({ action: 'resume', since, resources: ['/p/'] });
    assert.deepEqual(withoutSeq(await again.take(4)), [
      { event: 'new_child', resource: url('/p/'), child: url('/p/two/') },
      { event: 'modified', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
      { status: 'ok', action: 'resume', resources: [url('/p/')] },
    ]);
  });
});
