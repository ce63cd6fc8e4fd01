// Password hashing shared fairly: one address's flood takes a few places, refused attempts take none.
import assert from 'node:assert/strict';
import { listenOn, type Listening } from '../hardening/listen.ts';
import { clientAt } from '../support/from-address.ts';
import { registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';

const password = 'EckVocUbs3';

describe('auth/hashing shared fairly', function () {
  this.timeout(60_000);
  let t: TestApp;
  let server: Listening;
  afterEach(async () => {
    await server?.close();
    await t?.close();
  });

  async function start(env: Record<string, string>) {
    t = await startTestApp({ env: { HASH_CONCURRENCY: '1', ...env } });
    server = await listenOn(t);
    for (const name of ['Anna', 'Flood']) await t.http.post('/principals/users').send(registrationBody(name, `${name.toLowerCase()}@example.org`)).expect(200);
  }

  it('gives one address a few places in the queue, so that a flood from it refuses only its own logins', async () => {
    await start({ HASH_QUEUE: '8', HASH_QUEUE_PER_ADDRESS: '2' });
    const flooder = clientAt(server.url, '127.0.0.2');
    const flood = Array.from({ length: 30 }, () => flooder.logIn('Flood', password));
    const others = Array.from({ length: 5 }, (_, index) => clientAt(server.url, `127.0.0.${10 + index}`).logIn('Anna', password));
    const [flooded, served] = await Promise.all([Promise.all(flood), Promise.all(others)]);
    assert.deepEqual(served.map((answer) => answer.status), [200, 200, 200, 200, 200]);
    // Refused before hashing: beyond its share of the queue (503), or beyond the attempts one address may
    // have under way at one account (429).
    assert.ok(flooded.filter((answer) => answer.status === 503 || answer.status === 429).length >= 25, flooded.map((answer) => answer.status).join(' '));
    for (const answer of flooded.filter((refused) => refused.status === 503)) assert.equal(answer.headers['retry-after'], '1');
  });

  it('refuses a locked attempt before it could take a place in the queue', async () => {
    await start({ HASH_QUEUE: '1', LOCKOUT_ACCOUNT_FAILURES: '3' });
    const attacker = clientAt(server.url, '127.0.0.2');
    for (let index = 0; index < 3; index += 1) assert.equal((await attacker.logIn('Anna', 'guess')).status, 400);
    const answers = await Promise.all(Array.from({ length: 20 }, () => attacker.logIn('Anna', password)));
    assert.deepEqual(new Set(answers.map((answer) => answer.status)), new Set([429]));
  });
});
