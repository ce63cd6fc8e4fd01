// A session's state: its size limit to the byte, never in a log, gone with a session ended by the limit per user, and never outliving a logout it races with.
import assert from 'node:assert/strict';
import { createLogger } from '../../src/log.ts';
import { appStores } from '../support/backends.ts';
import { registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

const maxBytes = 16 * 1024;

/** A state whose JSON is exactly `bytes` long in UTF-8: a string of two-byte letters and the quotes. */
const stateOfBytes = (bytes: number) => 'ä'.repeat(Math.floor((bytes - 2) / 2)) + 'a'.repeat((bytes - 2) % 2);

async function sessionOf(t: TestApp, token: string): Promise<string> {
  const answer = await t.http.get('/session').set('X-User-Token', token).expect(200);
  return `${new URL(answer.body.session).pathname}state`;
}

describe('rest/session state', function () {
  this.timeout(60_000);
  let t: TestApp;
  const lines: string[] = [];

  before(async () => {
    t = await startTestApp({ env: { SESSIONS_PER_USER: '2' }, log: createLogger((line) => lines.push(line)) });
  });
  after(async () => {
    await t?.close();
  });

  it('keeps a state of 16384 bytes as JSON and refuses one of 16385, keeping what was there', async () => {
    const anna = await registerAndLogIn(t.http, 'Anna');
    const state = await sessionOf(t, anna.token);
    assert.equal(Buffer.byteLength(JSON.stringify(stateOfBytes(maxBytes))), maxBytes);
    await t.http.put(state).set('X-User-Token', anna.token).send({ state: stateOfBytes(maxBytes) }).expect(200);
    const refused = await t.http.put(state).set('X-User-Token', anna.token).send({ state: stateOfBytes(maxBytes + 1) }).expect(400);
    assert.deepEqual(refused.body.errors, [
      { location: 'body', name: 'state', description: `state takes at most ${maxBytes} bytes as JSON, not ${maxBytes + 1}`, code: 'too_large' },
    ]);
    const kept = await t.http.get(state).set('X-User-Token', anna.token).expect(200);
    assert.equal(kept.body.state, stateOfBytes(maxBytes));
  });

  it('writes no state to the log, whether kept, read or refused', async () => {
    const bert = await registerAndLogIn(t.http, 'Bert');
    const state = await sessionOf(t, bert.token);
    lines.length = 0;
    const marker = 'marker-7f3a9c';
    await t.http.put(state).set('X-User-Token', bert.token).send({ state: { draft: marker } }).expect(200);
    await t.http.get(state).set('X-User-Token', bert.token).expect(200);
    await t.http.put(state).set('X-User-Token', bert.token).send({ state: marker.repeat(3000) }).expect(400);
    await t.http.put(state).set('X-User-Token', bert.token).send({ state: { draft: marker }, extra: marker }).expect(400);
    await t.http.put(state).send({ state: { draft: marker } }).expect(403);
    await t.app.services.sessions.flush();
    assert.ok(lines.length >= 5, `the requests were logged: ${lines.length} lines`);
    assert.deepEqual(lines.filter((line) => line.includes(marker)), []);
  });

  it('ends the state of a session that a login beyond SESSIONS_PER_USER ends', async () => {
    const carla = await registerAndLogIn(t.http, 'Carla');
    const first = await sessionOf(t, carla.token);
    await t.http.put(first).set('X-User-Token', carla.token).send({ state: { draft: 'first' } }).expect(200);
    const login = () => t.http.post('/login_username').send({ name: 'Carla', password: 'EckVocUbs3' }).expect(200);
    // The first session is the one used longest ago when the third login ends one.
    t.clock.advance(60_000);
    const second = (await login()).body.user_token as string;
    t.clock.advance(60_000);
    await t.http.get(first).set('X-User-Token', second).expect(200);
    const third = (await login()).body.user_token as string;
    await t.http.get(first).set('X-User-Token', third).expect(404);
    assert.equal(await t.app.services.storage.readSessionState(new URL(carla.path).pathname, first.split('/').at(-2) as string), undefined);
  });
});

const rounds = Number(process.env.SESSION_STATE_RACE_ROUNDS ?? 20);
const stores = appStores('session-state', rounds, 2);

for (const store of stores) {
  describe(`rest/session state racing with logout on ${store.name}`, function () {
    this.timeout(300_000);
    let t: TestApp;
    let cleanUp: () => Promise<void>;
    before(async () => {
      const prepared = await store.options();
      cleanUp = prepared.cleanUp;
      t = await startTestApp(prepared.options);
    });
    after(async () => {
      try {
        await t?.close();
      } finally {
        await cleanUp?.();
      }
    });

    it(`leaves no state behind a session that logged out while its state was written, through ${store.rounds} rounds`, async () => {
      const dora = await registerAndLogIn(t.http, 'Dora');
      const userPath = new URL(dora.path).pathname;
      const phone = (await t.http.post('/login_username').send({ name: 'Dora', password: 'EckVocUbs3' }).expect(200)).body.user_token as string;
      const problems: string[] = [];
      for (let round = 0; round < store.rounds; round += 1) {
        const token = (await t.http.post('/login_username').send({ name: 'Dora', password: 'EckVocUbs3' }).expect(200)).body.user_token as string;
        const state = await sessionOf(t, token);
        const writes = Array.from({ length: 10 }, (_, index) => t.http.put(state).set('X-User-Token', phone).send({ state: { round, index } }));
        const answers = await Promise.all([...writes.slice(0, 5), t.http.post('/logout').set('X-User-Token', token), ...writes.slice(5)]);
        for (const answer of answers) if (answer.status !== 200 && answer.status !== 404) problems.push(`round ${round}: ${answer.status} ${answer.text}`);
        const left = await t.app.services.storage.readSessionState(userPath, state.split('/').at(-2) as string);
        if (left !== undefined) problems.push(`round ${round}: the state outlived its session: ${JSON.stringify(left)}`);
        const read = await t.http.get(state).set('X-User-Token', phone);
        if (read.status !== 404) problems.push(`round ${round}: read after logout gave ${read.status}`);
      }
      assert.deepEqual(problems, []);
    });
  });
}
