// Tokens: unique and random over many sessions; never in a log line or an error; no answer ever holds a password hash.
import assert from 'node:assert/strict';
import { createLogger } from '../../src/log.ts';
import { ids, registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

/** Sessions opened for the uniqueness check: 10,000 in `npm test`, TOKEN_COUNT=100000 in `npm run test:slow`. */
const tokenCount = Number(process.env.TOKEN_COUNT ?? 10_000);
const adminPassword = 'admin password of the token tests';

describe('hardening/tokens', function () {
  this.timeout(60_000 + tokenCount * 2);
  let t: TestApp;
  const lines: string[] = [];

  before(async () => {
    t = await startTestApp({
      env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: adminPassword, LOCKOUT_ACCOUNT_FAILURES: '2' },
      log: createLogger((line) => lines.push(line)),
    });
  });
  after(async () => {
    await t.close();
  });

  it(`issues ${tokenCount} distinct tokens, each with 256 random bits that are balanced across tokens`, async () => {
    // Fifty sessions a user, below SESSIONS_PER_USER, so that none is ended before it is counted.
    const userPaths = Array.from({ length: Math.ceil(tokenCount / 50) }, (_, index) => `/principals/users/device${index}/`);
    const tokens = new Set<string>();
    const sessionIds = new Set<string>();
    const ones = new Array<number>(256).fill(0);
    // Straight to the session store: a hundred thousand logins over HTTP would be a hundred thousand argon2 runs.
    for (let opened = 0; opened < tokenCount; opened += 500) {
      const batch = await Promise.all(Array.from({ length: Math.min(500, tokenCount - opened) }, (_, index) => t.app.services.sessions.open(userPaths[(opened + index) % userPaths.length] as string, 'test', '')));
      for (const { token, session } of batch) {
        tokens.add(token);
        sessionIds.add(session.id);
        const secret = Buffer.from(token.split('.')[2] as string, 'base64url');
        assert.equal(secret.length, 32, token);
        for (let bit = 0; bit < 256; bit += 1) ones[bit] = (ones[bit] as number) + (((secret[bit >> 3] as number) >> (bit & 7)) & 1);
      }
    }
    assert.equal(tokens.size, tokenCount);
    assert.equal(sessionIds.size, tokenCount);
    // Each bit is a fair coin: six standard deviations from half would not happen once in 10^8 honest runs,
    // while a counter, a timestamp or a short seed leaves bits stuck.
    const bound = 6 * Math.sqrt(tokenCount) / 2;
    const worst = Math.max(...ones.map((count) => Math.abs(count - tokenCount / 2)));
    assert.ok(worst < bound, `a bit of the secret is 1 in ${tokenCount / 2 + worst} of ${tokenCount} tokens`);
  });

  it('never writes a token, a password or a hash to the log, nor a token into an error', async () => {
    lines.length = 0;
    const errors: string[] = [];
    const record = <T extends { status: number; text: string }>(response: T): T => {
      if (response.status >= 400) errors.push(response.text);
      return response;
    };
    const anna = await registerAndLogIn(t.http, 'Log Anna', 'log.anna@example.org', 'anna secret password');
    const annaPath = new URL(anna.path).pathname;
    const second = (await t.http.post('/login_email').send({ email: 'log.anna@example.org', password: 'anna secret password' }).expect(200)).body.user_token as string;
    const admin = (await t.http.post('/login_username').send({ name: 'admin', password: adminPassword }).expect(200)).body.user_token as string;
    const tokens = [anna.token, second, admin];
    const damaged = `${anna.token.slice(0, -2)}xx`;

    record(await t.http.get(annaPath).set('X-User-Token', anna.token));
    record(await t.http.get('/').set('X-User-Token', damaged));
    // Tokens where clients misplace them; an error echoes the names of what it refuses, not their values.
    record(await t.http.get(`/?user_token=${anna.token}`));
    record(await t.http.post('/login_username').set('X-User-Token', damaged).send({ name: 'Log Anna', password: 'anna secret password' }));
    record(await t.http.post('/login_username').send({ name: 'Log Anna', password: 'wrong password 1' }));
    record(await t.http.post('/login_username').send({ name: 'Log Anna', password: 'wrong password 2' }));
    record(await t.http.post('/login_username').send({ name: 'Log Anna', password: 'anna secret password' }));
    record(await t.http.post('/login_username').send({ name: 'anna secret password', password: 'anna secret password' }));
    record(await t.http.post('/login_username').send({ user_token: anna.token, name: 'x', password: 'y' }));
    record(await t.http.put(annaPath).set('X-User-Token', anna.token).set('X-User-Password', 'wrong password 3').send({ data: { [ids.password]: { password: 'anna new password' } } }));
    record(await t.http.put(annaPath).set('X-User-Token', anna.token).set('X-User-Password', 'anna secret password').send({ data: { [ids.password]: { password: 'anna new password' } } }));
    record(await t.http.get('/').set('X-User-Token', second));
    record(await t.http.get(`${annaPath}sessions/`).set('X-User-Token', anna.token));
    record(await t.http.delete(`${annaPath}sessions/`).set('X-User-Token', admin));
    record(await t.http.post('/logout').set('X-User-Token', admin));
    record(await t.http.post('/logout').set('X-User-Token', admin));

    assert.ok(errors.length >= 8, `only ${errors.length} errors were provoked`);
    assert.ok(lines.length > 20, 'nothing was logged');
    const secrets = [...tokens, ...tokens.map((token) => token.split('.')[2] as string), damaged, 'anna secret password', 'anna new password', adminPassword];
    for (const line of lines) {
      assert.doesNotMatch(line, /\$argon2/, line);
      for (const secret of secrets) assert.ok(!line.includes(secret), `a secret in the log: ${line}`);
    }
    for (const error of errors) {
      for (const secret of secrets) assert.ok(!error.includes(secret), `a secret in an error: ${error}`);
    }
  });

  it('never answers a password hash, whoever asks whatever', async () => {
    const anna = await registerAndLogIn(t.http, 'Hash Anna');
    const admin = (await t.http.post('/login_username').send({ name: 'admin', password: adminPassword }).expect(200)).body.user_token as string;
    const annaPath = new URL(anna.path).pathname;
    for (const token of [undefined, anna.token, admin]) {
      for (const [method, path] of [
        ['GET', annaPath],
        ['GET', '/principals/users/?elements=content'],
        ['GET', '/?elements=content&depth=all'],
        ['GET', `${annaPath}sessions/`],
        ['OPTIONS', annaPath],
        ['GET', '/meta_api'],
        ['HEAD', annaPath],
      ] as const) {
        const request = t.http[method === 'GET' ? 'get' : method === 'HEAD' ? 'head' : 'options'](path);
        if (token) request.set('X-User-Token', token);
        const response = await request;
        assert.ok(response.status < 500, `${method} ${path}: ${response.status}`);
        assert.doesNotMatch(response.text ?? '', /\$argon2/, `${method} ${path}`);
        assert.ok(!JSON.stringify(response.headers).includes('argon2'), `${method} ${path}`);
      }
    }
    const stored = await t.app.services.storage.readResource(annaPath);
    assert.ok(stored);
    assert.match(String(t.app.services.passwords.storedOf(stored)?.hash), /^\$argon2id\$/, 'the check above looked for the wrong thing');
  });
});
