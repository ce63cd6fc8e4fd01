// Security events as JSON log lines: login, failure, lockout, logout, revocation, each with the request id and the account.
import assert from 'node:assert/strict';
import { createLogger } from '../../src/log.ts';
import { ids, registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

type LogLine = Record<string, unknown> & { event: string };

describe('hardening/security log', () => {
  let t: TestApp;
  let lines: string[];
  let anna: { path: string; token: string };
  let annaPath: string;

  beforeEach(async () => {
    lines = [];
    t = await startTestApp({
      env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin password', LOCKOUT_ACCOUNT_FAILURES: '2' },
      log: createLogger((line) => lines.push(line)),
    });
    anna = await registerAndLogIn(t.http, 'Anna', 'anna@example.org', 'anna password');
    annaPath = new URL(anna.path).pathname;
  });
  afterEach(async () => {
    await t.close();
  });

  /** The one line of `event` logged while the request with this id was handled. */
  function eventOf(event: string, requestId: string): LogLine {
    const parsed = lines.map((line) => JSON.parse(line) as LogLine);
    const matching = parsed.filter((line) => line.event === event && line.request_id === requestId);
    assert.equal(matching.length, 1, `${matching.length} ${event} lines for request ${requestId}; logged: ${lines.join('')}`);
    return matching[0] as LogLine;
  }

  const requestIdOf = (response: { headers: Record<string, string> }) => response.headers['x-request-id'] as string;

  it('logs a login with the request id, the account and the session, and nothing secret', async () => {
    const response = await t.http.post('/login_username').set('X-Request-Id', 'login-1').send({ name: 'Anna', password: 'anna password' }).expect(200);
    const line = eventOf('login', 'login-1');
    assert.equal(line.account, annaPath);
    assert.equal(line.session, (response.body.user_token as string).split('.')[1]);
    assert.equal(line.level, 'info');
    assert.ok(!lines.join('').includes('anna password'));
    assert.ok(!lines.join('').includes((response.body.user_token as string).split('.')[2] as string));
  });

  it('logs a failed login with the account, or null for an unknown user whose name may be a mistyped password', async () => {
    const wrong = await t.http.post('/login_email').send({ email: 'anna@example.org', password: 'not it' }).expect(400);
    assert.equal(eventOf('login_failed', requestIdOf(wrong)).account, annaPath);
    const unknown = await t.http.post('/login_username').send({ name: 'anna passwor', password: 'not it' }).expect(400);
    const line = eventOf('login_failed', requestIdOf(unknown));
    assert.equal(line.account, null);
    assert.ok(!JSON.stringify(line).includes('anna passwor'), JSON.stringify(line));
  });

  it('logs the failure that locks an address out of an account, and each attempt refused while it is locked', async () => {
    await t.http.post('/login_username').send({ name: 'Anna', password: 'guess 1' }).expect(400);
    const locking = await t.http.post('/login_username').send({ name: 'Anna', password: 'guess 2' }).expect(400);
    assert.equal(eventOf('login_lockout', requestIdOf(locking)).account, annaPath);
    const locked = await t.http.post('/login_username').send({ name: 'Anna', password: 'anna password' }).expect(429);
    assert.equal(eventOf('login_locked', requestIdOf(locked)).account, annaPath);
  });

  it('logs a logout and a revocation of sessions with the request id and the account', async () => {
    const logout = await t.http.post('/logout').set('X-User-Token', anna.token).expect(200);
    assert.equal(eventOf('logout', requestIdOf(logout)).account, annaPath);
    const again = (await t.http.post('/login_username').send({ name: 'Anna', password: 'anna password' }).expect(200)).body.user_token as string;
    const revoked = await t.http.delete(`${annaPath}sessions/`).set('X-User-Token', again).expect(200);
    const line = eventOf('sessions_revoked', requestIdOf(revoked));
    assert.equal(line.account, annaPath);
    assert.equal(line.revoked, 1);
  });

  it('carries the request id on every line logged while a request is handled, and on no other', async () => {
    const response = await t.http.post('/login_username').set('X-Request-Id', 'carried').send({ name: 'Anna', password: 'anna password' }).expect(200);
    const carried = lines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.request_id === requestIdOf(response));
    assert.deepEqual(carried.map((line) => line.event).sort(), ['login', 'request']);
    t.app.services.log.info('outside_any_request');
    assert.equal((JSON.parse(lines.at(-1) as string) as LogLine).request_id, undefined);
  });

  it('names the error code on the line of a request that failed, and none on one that did not', async () => {
    const bad = await t.http.post('/login_username').set('X-Request-Id', 'bad-1').send({ name: 'Anna', password: 'not it' }).expect(400);
    assert.equal(eventOf('request', requestIdOf(bad)).code, bad.body.errors[0].code);
    assert.ok(typeof bad.body.errors[0].code === 'string');
    await t.http.get('/no/such/path/').set('X-Request-Id', 'missing-1').expect(404);
    assert.equal(eventOf('request', 'missing-1').code, 'not_found');
    await t.http.get('/').set('X-Request-Id', 'fine-1').expect(200);
    assert.equal(eventOf('request', 'fine-1').code, undefined);
  });

  it('logs a password change with the request id, the account, who changed it and the sessions it ended', async () => {
    await t.http.post('/login_username').send({ name: 'Anna', password: 'anna password' }).expect(200);
    const change = await t.http
      .put(annaPath)
      .set('X-User-Token', anna.token)
      .set('X-User-Password', 'anna password')
      .send({ data: { [ids.password]: { password: 'anna new password' } } })
      .expect(200);
    const line = eventOf('password_changed', requestIdOf(change));
    assert.equal(line.account, annaPath);
    assert.equal(line.by, annaPath);
    assert.equal(line.sessions_revoked, 1);
    assert.ok(!lines.join('').includes('anna new password'));
  });
});
