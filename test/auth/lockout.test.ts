// Guessing passwords: locks per address and account, per address, a throttle per account; counted as attempts start, shared through the store.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { listenOn, type Listening } from '../hardening/listen.ts';
import { startCouchServer, type CouchServer } from '../support/couch-server.ts';
import { clientAt } from '../support/from-address.ts';
import { ids, registrationBody, startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.ts';

const second = 1000;
const password = 'EckVocUbs3';

describe('auth/lockout', function () {
  this.timeout(60_000);
  let t: TestApp;
  let server: Listening;
  const events: { event: string; fields: Record<string, unknown> }[] = [];
  const log = {
    info: (event: string, fields: Record<string, unknown> = {}) => events.push({ event, fields }),
    warn: () => undefined,
    error: () => undefined,
  };

  async function start(options: TestAppOptions = {}) {
    t = await startTestApp({ log, ...options });
    server = await listenOn(t);
    for (const name of ['Anna', 'Bert', 'Mallory']) {
      await t.http.post('/principals/users').send(registrationBody(name, `${name.toLowerCase()}@example.org`)).expect(200);
    }
  }
  const at = (address: string) => clientAt(server.url, address);
  afterEach(async () => {
    events.length = 0;
    await server?.close();
    await t?.close();
  });

  async function fail(client: ReturnType<typeof at>, times: number, name = 'Anna') {
    for (let index = 0; index < times; index += 1) assert.equal((await client.logIn(name, 'wrong password')).status, 400);
  }

  it('locks an address out of an account after 10 failures, refusing even the right password with 429 and Retry-After', async () => {
    await start();
    const attacker = at('127.0.0.2');
    await fail(attacker, 10);
    const locked = await attacker.logIn('Anna', password);
    assert.equal(locked.status, 429);
    assert.equal(locked.headers['retry-after'], '60');
    assert.deepEqual(locked.body.errors, [
      { location: 'body', name: 'password', description: 'Too many failed attempts; try again in 60 seconds', code: 'too_many_attempts' },
    ]);
    t.clock.advance(59 * second);
    assert.equal((await attacker.logIn('Anna', password)).status, 429);
    t.clock.advance(2 * second);
    assert.equal((await attacker.logIn('Anna', password)).status, 200);
  });

  it('doubles the wait with each further failure', async () => {
    await start({ env: { LOCKOUT_SECONDS: '10' } });
    const attacker = at('127.0.0.2');
    await fail(attacker, 10); // locked for 10 s
    t.clock.advance(11 * second);
    await fail(attacker, 1); // the 11th failure: 20 s
    t.clock.advance(19 * second);
    assert.equal((await attacker.logIn('Anna', password)).status, 429);
    t.clock.advance(2 * second);
    assert.equal((await attacker.logIn('Anna', password)).status, 200);
  });

  it('never locks the account for everyone: the owner at another address logs in, and guesses elsewhere are no lock', async () => {
    await start();
    const attacker = at('127.0.0.2');
    await fail(attacker, 10);
    assert.equal((await attacker.logIn('Anna', password)).status, 429);
    assert.equal((await at('127.0.0.3').logIn('Anna', password)).status, 200);
    assert.equal((await attacker.logIn('Bert', password)).status, 200);
  });

  it('locks an address out of every account past LOCKOUT_ADDRESS_FAILURES, and a success on its own account resets nothing', async () => {
    await start({ env: { LOCKOUT_ADDRESS_FAILURES: '5' } });
    const attacker = at('127.0.0.2');
    for (const name of ['a', 'b', 'c', 'd']) assert.equal((await attacker.logIn(name, 'guess')).status, 400);
    assert.equal((await attacker.logIn('Mallory', password)).status, 200);
    assert.equal((await attacker.logIn('e', 'guess')).status, 400);
    assert.equal((await attacker.logIn('Anna', password)).status, 429);
    assert.equal((await attacker.logIn('Mallory', password)).status, 429);
    assert.equal((await at('127.0.0.3').logIn('Anna', password)).status, 200);
    t.clock.advance(61 * second);
    assert.equal((await attacker.logIn('Anna', password)).status, 200);
  });

  it('counts attempts as they start: of 100 arriving together, no more than the limit get their password checked', async () => {
    await start();
    const attacker = at('127.0.0.2');
    const answers = await Promise.all(Array.from({ length: 100 }, (_, index) => attacker.logIn('Anna', index === 40 ? password : `guess ${index}`)));
    const checked = events.filter(({ event }) => event === 'login_failed' || event === 'login').length;
    assert.ok(checked <= 10, `${checked} passwords were checked`);
    // The rest were refused before hashing: locked (429), or beyond the address's share of the hashing queue (503).
    assert.equal(answers.filter((answer) => answer.status === 429 || answer.status === 503).length, 100 - checked);
    if (answers[40]?.status === 200) assert.ok(checked <= 10);
    assert.equal((await attacker.logIn('Anna', password)).status, 429);
  });

  it('throttles an account guessed at from many addresses, but never an address that logged in to it before', async () => {
    await start({ env: { LOCKOUT_ACCOUNT_RATE: '5' } });
    const owner = at('127.0.0.9');
    assert.equal((await owner.logIn('Anna', password)).status, 200);
    for (let index = 2; index <= 6; index += 1) await fail(at(`127.0.0.${index}`), 1);
    const stranger = await at('127.0.0.7').logIn('Anna', password);
    assert.equal(stranger.status, 429);
    assert.equal((await owner.logIn('Anna', password)).status, 200);
    assert.equal((await at('127.0.0.7').logIn('Bert', password)).status, 200);
    t.clock.advance(3601 * second);
    assert.equal((await at('127.0.0.7').logIn('Anna', password)).status, 200);
  });

  it('counts a wrong X-User-Password as a failed login of the account from that address', async () => {
    await start({ env: { LOCKOUT_ACCOUNT_FAILURES: '3' } });
    const attacker = at('127.0.0.2');
    const login = await attacker.logIn('Anna', password);
    const token = login.body.user_token as string;
    const anna = new URL(login.body.user_path as string).pathname;
    const change = (current: string) =>
      attacker.send('PUT', anna, {
        headers: { 'X-User-Token': token, 'X-User-Password': current },
        body: { data: { [ids.userExtended]: { email: 'mine@example.org' } } },
      });
    for (let index = 0; index < 3; index += 1) assert.equal((await change('guess')).status, 400);
    const refused = await change(password);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.errors?.[0]?.name, 'X-User-Password');
    assert.equal((await attacker.logIn('Anna', password)).status, 429);
  });

  it('keeps its counts in the store, and forgets them when their time is up', async () => {
    await start({ env: { LOCKOUT_TRACKED: '100' } });
    const attacker = at('127.0.0.2');
    await fail(attacker, 10);
    // Pushing the lock out of this process's memory does not free the address.
    for (let index = 0; index < 150; index += 1) await at('127.0.0.3').logIn(`nobody ${index}`, 'guess');
    assert.equal((await attacker.logIn('Anna', password)).status, 429);
    t.clock.advance(2 * 24 * 3600 * second);
    const { storage } = t.app.services;
    assert.ok((await storage.deleteExpiredRecords('lockout:', t.clock.now())) > 0);
    assert.equal((await attacker.logIn('Anna', password)).status, 200);
  });

  describe('shared by processes', () => {
    let couch: CouchServer;
    before(async () => {
      couch = await startCouchServer();
    });
    after(async () => {
      await couch?.stop();
    });

    it('counts the failures of two apps on one database together, and after a restart', async () => {
      const database = `lockout-${randomUUID()}`;
      const shared = { couchUrl: couch.url, couchDatabase: database, env: { LOCKOUT_ACCOUNT_FAILURES: '4' } };
      await start(shared);
      const other = await startTestApp(shared);
      const otherServer = await listenOn(other);
      try {
        await fail(at('127.0.0.2'), 2);
        await fail(clientAt(otherServer.url, '127.0.0.2'), 2);
        assert.equal((await clientAt(otherServer.url, '127.0.0.2').logIn('Anna', password)).status, 429);
        assert.equal((await at('127.0.0.2').logIn('Anna', password)).status, 429);
      } finally {
        await otherServer.close();
        await other.close();
      }
      await server.close();
      await t.close();
      t = await startTestApp(shared);
      server = await listenOn(t);
      assert.equal((await at('127.0.0.2').logIn('Anna', password)).status, 429);
    });
  });
});
