// Token lifetime with an injected clock: idle expiry to the second, the absolute cap, logout and revocation.
import assert from 'node:assert/strict';
import { registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

const second = 1000;
const hour = 3600 * second;

describe('auth/sessions', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' } });
  });
  afterEach(async () => {
    await t.close();
  });

  const useToken = (token: string) => t.http.get('/').set('X-User-Token', token);
  async function expectInvalid(token: string) {
    const response = await useToken(token).expect(400);
    assert.deepEqual(response.body.errors, [
      { location: 'header', name: 'X-User-Token', description: 'Invalid user token', code: 'invalid_token' },
    ]);
  }

  it('keeps a token alive 2 h 59 min 59 s after its last use', async () => {
    const { token } = await registerAndLogIn(t.http, 'Anna');
    t.clock.advance(3 * hour - second);
    await useToken(token).expect(200);
    // Each use starts the three hours anew.
    t.clock.advance(3 * hour - second);
    await useToken(token).expect(200);
  });

  it('kills a token 3 h 0 min 1 s after its last use', async () => {
    const { token } = await registerAndLogIn(t.http, 'Anna');
    await useToken(token).expect(200);
    t.clock.advance(3 * hour + second);
    await expectInvalid(token);
    // Dead stays dead, even if used again at once.
    await expectInvalid(token);
  });

  it('counts idle time from the last use even when that use was not yet written to storage', async () => {
    const { token } = await registerAndLogIn(t.http, 'Anna');
    t.clock.advance(30 * second);
    await useToken(token).expect(200); // within the write interval: kept in memory only
    t.clock.advance(3 * hour - second);
    await useToken(token).expect(200);
  });

  it('kills every token after the absolute lifetime, however busy', async () => {
    const { token } = await registerAndLogIn(t.http, 'Anna');
    for (let elapsed = 0; elapsed < 30 * 24 * hour - 2 * hour; elapsed += 2 * hour) {
      t.clock.advance(2 * hour);
      await useToken(token).expect(200);
    }
    t.clock.advance(2 * hour + second);
    await expectInvalid(token);
  });

  it('honours configured lifetimes', async () => {
    const short = await startTestApp({ env: { TOKEN_IDLE_SECONDS: '60', TOKEN_MAX_AGE_SECONDS: '120' } });
    try {
      const { token } = await registerAndLogIn(short.http, 'Anna');
      short.clock.advance(60 * second);
      await short.http.get('/').set('X-User-Token', token).expect(200);
      short.clock.advance(61 * second);
      await short.http.get('/').set('X-User-Token', token).expect(400);
    } finally {
      await short.close();
    }
  });

  it('rejects an empty, malformed or unknown token on every endpoint, login included', async () => {
    const { token } = await registerAndLogIn(t.http, 'Anna');
    const forged = `${token.slice(0, -4)}AAAA`;
    for (const bad of ['', 'garbage', forged, `0000099.${'a'.repeat(32)}.${'b'.repeat(43)}`]) {
      await expectInvalid(bad);
      const login = await t.http.post('/login_username').set('X-User-Token', bad).send({ name: 'Anna', password: 'EckVocUbs3' });
      assert.equal(login.status, 400);
      assert.equal(login.body.errors[0].name, 'X-User-Token');
      await t.http.get('/meta_api').set('X-User-Token', bad).expect(400);
    }
  });

  it('ignores a token sent in the query string, a cookie or the body', async () => {
    const anna = await registerAndLogIn(t.http, 'Anna');
    const path = new URL(anna.path).pathname;
    const viaQuery = await t.http.get(`${path}?X-User-Token=${anna.token}`);
    assert.equal(viaQuery.status, 400); // an unknown query parameter, not a login
    const viaCookie = await t.http.get(path).set('Cookie', `X-User-Token=${anna.token}`).expect(200);
    assert.equal(viaCookie.body.data['adhocracy_core.sheets.principal.IUserExtended'], undefined);
    await t.http.post('/logout').send({ 'X-User-Token': anna.token }).expect(400);
    await useToken(anna.token).expect(200);
  });

  it('logs out the calling token at once and leaves the others alive', async () => {
    const { token } = await registerAndLogIn(t.http, 'Anna');
    const second = await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
    const response = await t.http.post('/logout').set('X-User-Token', token).expect(200);
    assert.deepEqual(response.body, { status: 'success' });
    await expectInvalid(token);
    await useToken(second.body.user_token).expect(200);
  });

  it('lists a user’s live sessions without their tokens', async () => {
    const anna = await registerAndLogIn(t.http, 'Anna');
    await t.http.post('/login_email').set('User-Agent', 'phone').send({ email: 'anna@example.org', password: 'EckVocUbs3' }).expect(200);
    const path = new URL(anna.path).pathname;
    const response = await t.http.get(`${path}sessions`).set('X-User-Token', anna.token).expect(200);
    const sessions = response.body.sessions as { id: string; path: string; client: string; current: boolean; created: string; last_used: string }[];
    assert.equal(sessions.length, 2);
    assert.equal(sessions.filter((session) => session.current).length, 1);
    assert.ok(sessions.some((session) => session.client === 'phone'));
    const secret = anna.token.split('.')[2] as string;
    assert.doesNotMatch(JSON.stringify(response.body), new RegExp(secret));
    for (const session of sessions) assert.equal(session.path, `${anna.path}sessions/${session.id}/`);
  });

  it('lets users end one or all of their sessions, and admins those of anybody, but nobody else', async () => {
    const anna = await registerAndLogIn(t.http, 'Anna');
    const bert = await registerAndLogIn(t.http, 'Bert');
    const phone = await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
    const path = new URL(anna.path).pathname;
    const listed = await t.http.get(`${path}sessions/`).set('X-User-Token', anna.token).expect(200);
    const phoneSession = listed.body.sessions.find((session: { current: boolean }) => !session.current);

    await t.http.get(`${path}sessions/`).set('X-User-Token', bert.token).expect(403);
    await t.http.delete(`${path}sessions/${phoneSession.id}/`).set('X-User-Token', bert.token).expect(403);
    await t.http.get(`${path}sessions/`).expect(403);

    await t.http.delete(`${path}sessions/${phoneSession.id}/`).set('X-User-Token', anna.token).expect(200);
    await expectInvalid(phone.body.user_token);
    await t.http.delete(`${path}sessions/${phoneSession.id}/`).set('X-User-Token', anna.token).expect(404);

    const admin = await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200);
    const all = await t.http.delete(`${path}sessions/`).set('X-User-Token', admin.body.user_token).expect(200);
    assert.equal(all.body.revoked, 1);
    await expectInvalid(anna.token);
    await useToken(bert.token).expect(200);
  });

  it('writes the last-use time at most once a minute per token', async () => {
    const { token, path } = await registerAndLogIn(t.http, 'Anna');
    const storage = t.app.services.storage;
    const userPath = new URL(path).pathname;
    const sessionId = token.split('.')[1] as string;
    const written = async () => (await storage.readSession(userPath, sessionId))?.lastUsedAt;
    const loggedInAt = await written();
    for (let index = 0; index < 10; index += 1) {
      t.clock.advance(5 * second);
      await useToken(token).expect(200);
    }
    await t.app.services.sessions.flush();
    assert.equal(await written(), loggedInAt, 'written although less than a minute passed');
    t.clock.advance(20 * second);
    await useToken(token).expect(200);
    await t.app.services.sessions.flush();
    assert.equal(await written(), t.clock.now());
  });

  it('sweeps expired sessions out of storage', async () => {
    const anna = await registerAndLogIn(t.http, 'Anna');
    t.clock.advance(2 * hour);
    const bert = await registerAndLogIn(t.http, 'Bert');
    t.clock.advance(hour + second);
    assert.equal(await t.app.services.sessions.sweep(), 1);
    const storage = t.app.services.storage;
    assert.deepEqual(await storage.listSessions(new URL(anna.path).pathname), []);
    assert.equal((await storage.listSessions(new URL(bert.path).pathname)).length, 1);
  });

  it('keeps at most SESSIONS_PER_USER live sessions, ending the least recently used first', async () => {
    await t.close();
    t = await startTestApp({ env: { SESSIONS_PER_USER: '3' } });
    await registerAndLogIn(t.http, 'Anna');
    const logIn = async (client: string) => {
      t.clock.advance(1000);
      return (await t.http.post('/login_username').set('User-Agent', client).send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200)).body.user_token as string;
    };
    const tokens: string[] = [];
    for (const client of ['one', 'two', 'three']) tokens.push(await logIn(client));
    t.clock.advance(1000);
    await t.http.get('/').set('X-User-Token', tokens[0] as string).expect(200);
    tokens.push(await logIn('four'));
    tokens.push(await logIn('five'));
    const alive = [];
    for (const token of tokens) alive.push((await t.http.get('/').set('X-User-Token', token)).status === 200);
    assert.deepEqual(alive, [true, false, false, true, true]);
  });

  it('keeps 200 characters of the client description', async () => {
    const anna = await registerAndLogIn(t.http, 'Anna');
    await t.http.post('/login_username').set('User-Agent', 'Browsér '.repeat(40)).send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
    const sessions = await t.app.services.storage.listSessions(new URL(anna.path).pathname);
    assert.deepEqual(sessions.map((session) => [...session.client].length).sort((a, b) => a - b), [0, 200]);
  });

});
