// A CouchDB outage: 503 storage_unavailable while it lasts, one log line per change of state, the cache and its changes feed back afterwards, no password printed.
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { createLogger } from '../../src/log.ts';
import { openPouchStorage } from '../../src/storage/pouchdb.ts';
import { StorageUnavailableError } from '../../src/storage/storage.ts';
import { startCouchServer, type CouchServer } from '../support/couch-server.ts';
import { ids, startTestApp, type TestApp } from '../support/test-app.ts';

const couchAdmin = 'couch-admin';
const couchPassword = 'never-printed-7f3a9c';
const adminEnv = { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' };

type LogLine = Record<string, unknown> & { event: string; level: string };

/** Polls `check` until it answers true; fails with `what` after `timeoutMs`. */
async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('storage/outage of the CouchDB server', function () {
  this.timeout(90_000);
  let couch: CouchServer;
  let t: TestApp;
  let lines: string[];
  let printed: string[];
  let restoreOutput: () => void;
  /** Requests this process sent to the CouchDB server, other than its changes feed. */
  let storeRequests: string[];
  const recordStoreRequest = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    if (request.getHeader('host') === new URL(couch.url).host && !request.path.includes('/_changes')) storeRequests.push(`${request.method} ${request.path}`);
  };

  before(async () => {
    couch = await startCouchServer({ onDisk: true });
    // An admin, so that the URL carries a password, which must never be printed.
    const created = await fetch(`${couch.url}/_config/admins/${couchAdmin}`, { method: 'PUT', body: JSON.stringify(couchPassword) });
    assert.equal(created.status, 200);
    // Whatever anything in this process prints meanwhile, pouchdb included, is searched for the password.
    printed = [];
    const originalStdout = process.stdout.write.bind(process.stdout);
    const originalStderr = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (printed.push(String(chunk)), originalStdout(chunk, ...rest))) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => (printed.push(String(chunk)), originalStderr(chunk, ...rest))) as typeof process.stderr.write;
    restoreOutput = () => {
      process.stdout.write = originalStdout;
      process.stderr.write = originalStderr;
    };
    lines = [];
    const couchUrl = couch.url.replace('http://', `http://${couchAdmin}:${couchPassword}@`);
    t = await startTestApp({ couchUrl, env: adminEnv, log: createLogger((line) => lines.push(line)) });
    storeRequests = [];
    diagnostics.subscribe('http.client.request.start', recordStoreRequest);
  });
  after(async () => {
    diagnostics.unsubscribe('http.client.request.start', recordStoreRequest);
    restoreOutput?.();
    await t?.close();
    await couch?.stop();
  });

  const logged = () => lines.map((line) => JSON.parse(line) as LogLine);
  const eventsOf = (event: string) => logged().filter((line) => line.event === event);

  /** The requests to the store that a GET makes; none when everything it reads is in the cache. */
  async function listStoreRequestsOfGet(path: string): Promise<string[]> {
    await t.http.get(path).expect(200);
    storeRequests = [];
    await t.http.get(path).expect(200);
    return storeRequests;
  }

  it('answers 503 storage_unavailable while the store is down, logs it once, and comes back with its cache and changes feed', async () => {
    const token = (await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200)).body.user_token as string;
    const createPool = (name: string) =>
      t.http.post('/').set('X-User-Token', token).send({ content_type: ids.basicPool, data: { [ids.name]: { name }, [ids.title]: { title: name } } });
    await createPool('park').expect(200);
    // The feed reports this process's own writes too, and each report evicts: wait until they are through.
    await waitFor('a repeated GET reads from the cache', async () => (await listStoreRequestsOfGet('/park/')).length === 0, 5_000);

    await couch.halt();
    await waitFor('the outage is noticed', async () => (await t.http.get('/park/')).status !== 200);
    const duringOutage = [
      () => t.http.get('/'),
      () => t.http.get('/park/'),
      () => t.http.get('/park/?elements=content&depth=all'),
      () => t.http.get('/park/?elements=paths&sort=title&limit=5'),
      () => t.http.get('/meta_api'),
      () => t.http.options('/park/'),
      () => t.http.get('/park/').set('X-User-Token', token),
      () => createPool('pond'),
      () => t.http.put('/park/').set('X-User-Token', token).send({ data: { [ids.title]: { title: 'renamed' } } }),
      () => t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }),
      () => t.http.post('/principals/users').send({ content_type: ids.user, data: {} }),
    ];
    for (let round = 0; round < 3; round += 1) {
      for (const send of duringOutage) {
        const response = await send();
        assert.equal(response.status, 503, `${response.status} ${JSON.stringify(response.body)}`);
        assert.match(String(response.headers['retry-after']), /^[1-9]\d*$/);
        assert.deepEqual(response.body.errors.map((error: { code: string; location: string }) => [error.location, error.code]), [['internal', 'storage_unavailable']]);
      }
    }
    assert.equal(eventsOf('storage_unavailable').length, 1, lines.join(''));
    assert.deepEqual(logged().filter((line) => line.level === 'error').map((line) => line.event), ['storage_unavailable']);

    await couch.resume();
    await waitFor('requests are answered again', async () => (await t.http.get('/park/')).status === 200);
    await waitFor('the return is logged', () => eventsOf('storage_available').length > 0);
    // The cache is back: a repeated GET reads nothing from the store again.
    await waitFor('reads come from the cache again', async () => (await listStoreRequestsOfGet('/park/')).length === 0);
    const title = async () => (await t.http.get('/park/').expect(200)).body.data[ids.title].title as string;
    assert.equal(await title(), 'park');

    // Another process on the same database changes what this one holds in its cache: the feed tells it.
    const other = await startTestApp({ database: t.database, env: adminEnv });
    try {
      const otherToken = (await other.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200)).body.user_token as string;
      await other.http.put('/park/').set('X-User-Token', otherToken).send({ data: { [ids.title]: { title: 'changed elsewhere' } } }).expect(200);
    } finally {
      await other.close();
    }
    await waitFor('the change made elsewhere is seen', async () => (await title()) === 'changed elsewhere', 5_000);

    assert.equal(eventsOf('storage_unavailable').length, 1, lines.join(''));
    assert.equal(eventsOf('storage_available').length, 1, lines.join(''));
    assert.ok(!lines.join('').includes(couchPassword), 'the password of the database URL is in the log');
    assert.ok(!printed.join('').includes(couchPassword), 'the password of the database URL was printed');
  });

  it('names a database that refuses its credentials at opening, without repeating them', async () => {
    const wrongPassword = 'wrong-and-never-printed-91c0';
    const url = `${couch.url.replace('http://', `http://${couchAdmin}:${wrongPassword}@`)}/refused`;
    await assert.rejects(openPouchStorage({ adapter: 'http', url }), (error: unknown) => {
      assert.ok(error instanceof StorageUnavailableError, String(error));
      assert.equal(error.reason, 'failed');
      assert.ok(error.message.includes(`${couch.url}/refused`), error.message);
      assert.ok(!error.message.includes(wrongPassword) && !error.message.includes(couchAdmin), error.message);
      return true;
    });
  });
});
