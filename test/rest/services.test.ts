// The service API beyond docs/services.md: SERVICE_KEYS at start-up, keys never printed, lockout settings followed by every process, the security events.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ConfigError, readConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startCouchServer, type CouchServer } from '../support/couch-server.ts';
import { registerAndLogIn, registrationBody, startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.ts';

const billingKey = 'b'.repeat(20) + 'Xq7vR2mN9pL4tK8wZ3cF';
const supportKey = 's'.repeat(20) + 'Pz4cV8nB2mQ6wE1rT5yU';
const serviceKeys = `billing:${billingKey},support:${supportKey}`;

describe('rest/services', function () {
  this.timeout(60_000);

  describe('SERVICE_KEYS', () => {
    const refusal = (value: string) => {
      try {
        readConfig({ SERVICE_KEYS: value });
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.message;
      }
      assert.fail(`SERVICE_KEYS=${value} was accepted`);
    };

    it('reads name:key pairs, separated by commas, with spaces around them', () => {
      assert.deepEqual(readConfig({ SERVICE_KEYS: ` billing:${billingKey} , support:${supportKey}` }).serviceKeys, [
        { name: 'billing', key: billingKey },
        { name: 'support', key: supportKey },
      ]);
      assert.deepEqual(readConfig({}).serviceKeys, []);
    });

    it('refuses a key shorter than 32 characters, a pair without a name, twice a name or a key, naming the entry but never quoting a key', () => {
      const short = 'k'.repeat(31);
      const cases: [string, RegExp][] = [
        [`billing:${short}`, /SERVICE_KEYS entry 1 \(billing\): the key must be at least 32 characters/],
        [`billing:${billingKey},${supportKey}`, /SERVICE_KEYS entry 2 must be name:key/],
        [`:${billingKey}`, /SERVICE_KEYS entry 1 must start with a name/],
        [`bill ing:${billingKey}`, /SERVICE_KEYS entry 1 must start with a name/],
        [`billing:${billingKey},billing:${supportKey}`, /the name billing is given twice/],
        [`billing:${billingKey},support:${billingKey}`, /entry 2 \(support\): the key is the same as another service's/],
        [`billing:${billingKey.slice(0, 20)} ${billingKey.slice(20)}`, /must not contain whitespace/],
      ];
      for (const [value, expected] of cases) {
        const message = refusal(value);
        assert.match(message, expected);
        for (const secret of [short, billingKey, supportKey, billingKey.slice(0, 20), billingKey.slice(20)]) assert.ok(!message.includes(secret), message);
      }
    });
  });

  describe('on one app', () => {
    let t: TestApp;
    let lines: string[];
    beforeEach(async () => {
      lines = [];
      t = await startTestApp({ env: { SERVICE_KEYS: serviceKeys, LOCKOUT_ACCOUNT_FAILURES: '2' }, log: createLogger((line) => lines.push(line)) });
    });
    afterEach(async () => {
      await t.close();
    });
    const events = (event: string) => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === event);

    it('logs the session a service opens as a security event naming the service and the account, and never a key or a token', async () => {
      const anna = await registerAndLogIn(t.http, 'Anna');
      const annaPath = new URL(anna.path).pathname;
      const opened = await t.http.post(`${annaPath}sessions/`).set('X-Service-Key', supportKey).set('X-Request-Id', 'support-1').expect(200);
      const [event, ...more] = events('session_opened_by_service');
      assert.equal(more.length, 0);
      assert.equal(event?.service, 'support');
      assert.equal(event?.account, annaPath);
      assert.equal(event?.request_id, 'support-1');
      assert.equal(event?.session, (opened.body.user_token as string).split('.')[1]);
      const request = events('request').find((line) => line.request_id === 'support-1');
      assert.equal(request?.service, 'support');
      const logged = lines.join('');
      for (const secret of [supportKey, billingKey, (opened.body.user_token as string).split('.')[2] as string]) assert.ok(!logged.includes(secret));
    });

    it('logs wrong keys with the address, and the one that locks it, never the key tried', async () => {
      await t.http.get('/').set('X-Service-Key', `${billingKey}x`).expect(403);
      await t.http.get('/').set('X-Service-Key', `${billingKey}y`).expect(403);
      await t.http.get('/').set('X-Service-Key', billingKey).expect(429);
      assert.equal(events('service_key_failed').length, 2);
      assert.equal(events('service_key_lockout').length, 1);
      assert.equal(events('service_key_locked').length, 1);
      assert.ok(typeof events('service_key_failed')[0]?.address === 'string');
      assert.ok(!lines.join('').includes(billingKey));
    });

    it('refuses an empty key as a wrong one', async () => {
      const answer = await t.http.get('/').set('X-Service-Key', '').expect(403);
      assert.equal(answer.body.errors[0].code, 'invalid_service_key');
    });

    it('answers token_info without writing the last use of the session', async () => {
      const anna = await registerAndLogIn(t.http, 'Anna');
      const annaPath = new URL(anna.path).pathname;
      const [, sessionId] = anna.token.split('.') as [string, string];
      const before = await t.app.services.storage.readSession(annaPath, sessionId);
      t.clock.advance(2 * 3600 * 1000);
      for (let round = 0; round < 3; round += 1) {
        const answer = await t.http.post('/token_info').set('X-Service-Key', billingKey).send({ token: anna.token }).expect(200);
        assert.equal(answer.body.active, true);
      }
      await t.app.services.sessions.flush();
      assert.equal((await t.app.services.storage.readSession(annaPath, sessionId))?.lastUsedAt, before?.lastUsedAt);
      t.clock.advance(3600 * 1000 + 1);
      assert.deepEqual((await t.http.post('/token_info').set('X-Service-Key', billingKey).send({ token: anna.token }).expect(200)).body, { active: false });
    });

    it('answers active: false for the token of a user whose password changed, or who was hidden', async () => {
      await t.close();
      t = await startTestApp({ env: { SERVICE_KEYS: serviceKeys, ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin password' } });
      const admin = await t.http.post('/login_username').send({ name: 'admin', password: 'admin password' }).expect(200);
      const anna = await registerAndLogIn(t.http, 'Anna');
      const annaPath = new URL(anna.path).pathname;
      const other = (await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200)).body.user_token as string;
      const ask = async (token: string) => (await t.http.post('/token_info').set('X-Service-Key', billingKey).send({ token }).expect(200)).body;
      await t.http
        .put(annaPath)
        .set('X-User-Token', anna.token)
        .set('X-User-Password', 'EckVocUbs3')
        .send({ data: { 'adhocracy_core.sheets.principal.IPasswordAuthentication': { password: 'a new password' } } })
        .expect(200);
      assert.deepEqual(await ask(other), { active: false });
      assert.equal((await ask(anna.token)).active, true);
      await t.http
        .put(annaPath)
        .set('X-User-Token', admin.body.user_token as string)
        .send({ data: { 'adhocracy_core.sheets.metadata.IMetadata': { hidden: true } } })
        .expect(200);
      assert.deepEqual(await ask(anna.token), { active: false });
    });
  });

  describe('lockout settings shared by processes', () => {
    let couch: CouchServer;
    const apps: TestApp[] = [];
    before(async () => {
      couch = await startCouchServer();
    });
    after(async () => {
      await couch?.stop();
    });
    afterEach(async () => {
      for (const app of apps.splice(0)) await app.close();
    });

    it('holds a change made through one app in another on the same CouchDB database, at once', async () => {
      const shared: TestAppOptions = { couchUrl: couch.url, couchDatabase: `settings-${randomUUID()}`, env: { SERVICE_KEYS: serviceKeys } };
      const first = await startTestApp(shared);
      apps.push(first);
      const second = await startTestApp(shared);
      apps.push(second);
      await first.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      await first.http.put('/lockout_settings').set('X-Service-Key', supportKey).send({ account_failures: 1 }).expect(200);
      const seen = await second.http.get('/lockout_settings').set('X-Service-Key', billingKey).expect(200);
      assert.equal(seen.body.settings.account_failures, 1);
      await second.http.post('/login_username').send({ name: 'Anna', password: 'a wrong guess' }).expect(400);
      await second.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(429);
    });

    it('locks an address out in every process once it sent too many wrong keys to one of them', async () => {
      const shared: TestAppOptions = {
        couchUrl: couch.url,
        couchDatabase: `keys-${randomUUID()}`,
        env: { SERVICE_KEYS: serviceKeys, LOCKOUT_ACCOUNT_FAILURES: '2', TOKEN_REVALIDATE_SECONDS: '0' },
      };
      const first = await startTestApp(shared);
      apps.push(first);
      const second = await startTestApp(shared);
      apps.push(second);
      await second.http.get('/lockout_settings').set('X-Service-Key', billingKey).expect(200);
      for (const guess of ['guess one', 'guess two']) await first.http.get('/').set('X-Service-Key', guess).expect(403);
      const refused = await second.http.get('/lockout_settings').set('X-Service-Key', billingKey).expect(429);
      assert.equal(refused.headers['retry-after'], '60');
    });
  });
});
