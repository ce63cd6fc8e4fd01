// The account lifecycle beyond what docs/accounts.md shows: keys stored hashed, single use, superseded and expiring; held addresses; what deletion erases.
import assert from 'node:assert/strict';
import path from 'node:path';
import { linkPath, mailsTo, readOutbox, type ReceivedMail } from '../support/mailbox.ts';
import { findStoreViolations } from '../hardening/store-rules.ts';
import { ids, registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';

describe('rest/accounts', function () {
  this.timeout(60_000);
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  async function mailsFor(address: string): Promise<ReceivedMail[]> {
    await t.app.services.outbox.deliverDue();
    return mailsTo(await readOutbox(path.join(t.app.services.config.dataDir, 'outbox')), address);
  }

  async function newestLink(address: string): Promise<string> {
    const mails = await mailsFor(address);
    assert.ok(mails.length > 0, `no mail to ${address}`);
    return linkPath(mails.at(-1) as ReceivedMail);
  }

  /** Every shared record and job the store holds, as text: where a key in clear would show. */
  async function storedText(): Promise<string> {
    const { storage } = t.app.services;
    const records = await Promise.all(['activation:', 'password-reset:', 'email-change:'].map((prefix) => storage.listExpiredRecords(prefix, Number.MAX_SAFE_INTEGER, 1000)));
    return JSON.stringify([records, await storage.listJobs('mail')]);
  }

  describe('activation', () => {
    beforeEach(async () => {
      t = await startTestApp({ env: { ACCOUNT_ACTIVATION: 'mail', ACTIVATION_DAYS: '2' } });
    });

    it('keeps the account hidden and unlisted until its link is posted, then logs it in; the key has 256 bits, is stored hashed and works once', async () => {
      const registered = await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      const user = new URL(registered.body.path).pathname;
      assert.equal((await t.http.get(user)).status, 410);
      const listing = await t.http.get('/principals/users/?elements=paths&count=true').expect(200);
      assert.deepEqual(listing.body.data[ids.pool], { elements: [], count: 0 });

      const link = await newestLink('anna@example.org');
      const key = link.slice('/activate/'.length);
      assert.match(key, /^0000000\.[A-Za-z0-9_-]{43}$/);
      assert.ok(!(await storedText()).includes(key.split('.')[1] as string), 'the key is stored in clear');

      const activated = await t.http.post('/activate_account').send({ path: link }).expect(200);
      assert.equal(activated.body.user_path, registered.body.path);
      await t.http.get(user).set('X-User-Token', activated.body.user_token).expect(200);
      await t.http.get(user).expect(200);
      const again = await t.http.post('/activate_account').send({ path: link }).expect(400);
      assert.equal(again.body.errors[0].description, 'Unknown or expired activation path');
    });

    it('tells a login that the account awaits activation only when its password is right', async () => {
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      const wrong = await t.http.post('/login_username').send({ name: 'Anna', password: 'not the password' }).expect(400);
      assert.equal(wrong.body.errors[0].description, "User doesn't exist or password is wrong");
      const right = await t.http.post('/login_email').send({ email: 'anna@example.org', password: 'EckVocUbs3' }).expect(400);
      assert.deepEqual(right.body.errors[0], { location: 'body', name: 'email', description: 'User account not yet activated', code: 'not_activated' });
    });

    it('changes nothing on anything but a POST of the path: a prefetched link is no activation', async () => {
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      const link = await newestLink('anna@example.org');
      assert.equal((await t.http.get(link)).status, 404);
      assert.equal((await t.http.get('/activate_account')).status, 405);
      await t.http.post('/activate_account').send({ path: link }).expect(200);
    });

    it('expires the link after ACTIVATION_DAYS, and the sweeper then removes the account and frees its name and email', async () => {
      const registered = await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      const link = await newestLink('anna@example.org');
      t.clock.advance(2 * 24 * 3600 * 1000 + 1);
      await t.http.post('/activate_account').send({ path: link }).expect(400);
      assert.deepEqual(await t.app.services.accounts.sweep(), { accountsRemoved: 1, holdsReleased: 0 });
      assert.equal(await t.app.services.storage.readResource(new URL(registered.body.path).pathname), undefined);
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
    });

    it('activates an account whose owner resets its password instead: the mail proved the address', async () => {
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      await t.http.post('/create_password_reset').send({ email: 'anna@example.org' }).expect(200);
      const reset = await t.http.post('/password_reset').send({ path: await newestLink('anna@example.org'), password: 'a new password' }).expect(200);
      await t.http.get(new URL(reset.body.user_path).pathname).expect(200);
      await t.http.post('/login_username').send({ name: 'Anna', password: 'a new password' }).expect(200);
    });
  });

  describe('password reset', () => {
    beforeEach(async () => {
      t = await startTestApp({ env: { RESET_REQUESTS_PER_EMAIL: '3', RESET_REQUESTS_PER_ADDRESS: '5' } });
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
    });

    it('answers the same for an unknown address, and mails nothing there', async () => {
      const known = await t.http.post('/create_password_reset').send({ email: 'anna@example.org' }).expect(200);
      const unknown = await t.http.post('/create_password_reset').send({ email: 'nobody@example.org' }).expect(200);
      assert.deepEqual(known.body, unknown.body);
      assert.equal((await mailsFor('anna@example.org')).length, 1);
      assert.equal((await mailsFor('nobody@example.org')).length, 0);
    });

    it('voids an older link when a newer one is sent, works once, and expires after an hour', async () => {
      await t.http.post('/create_password_reset').send({ email: 'anna@example.org' }).expect(200);
      const older = await newestLink('anna@example.org');
      await t.http.post('/create_password_reset').send({ email: 'ANNA@example.org' }).expect(200);
      const newer = await newestLink('anna@example.org');
      assert.notEqual(older, newer);
      assert.ok(!(await storedText()).includes(newer.split('.').at(-1) as string), 'the key is stored in clear');
      await t.http.post('/password_reset').send({ path: older, password: 'a new password' }).expect(400);
      await t.http.post('/password_reset').send({ path: newer, password: 'a new password' }).expect(200);
      await t.http.post('/password_reset').send({ path: newer, password: 'another password' }).expect(400);

      await t.http.post('/create_password_reset').send({ email: 'anna@example.org' }).expect(200);
      const late = await newestLink('anna@example.org');
      t.clock.advance(3600 * 1000 + 1);
      const expired = await t.http.post('/password_reset').send({ path: late, password: 'a third password' }).expect(400);
      assert.equal(expired.body.errors[0].description, 'Unknown or expired password reset path');
    });

    it('ends every session of the account, and logs in with the new password', async () => {
      const before = (await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200)).body.user_token;
      await t.http.post('/create_password_reset').send({ email: 'anna@example.org' }).expect(200);
      const reset = await t.http.post('/password_reset').send({ path: await newestLink('anna@example.org'), password: 'a new password' }).expect(200);
      await t.http.get('/').set('X-User-Token', before).expect(400);
      await t.http.get('/session').set('X-User-Token', reset.body.user_token).expect(200);
      await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(400);
    });

    it('counts requests per address and per email, and refuses beyond the limits with 429', async () => {
      for (let index = 0; index < 3; index += 1) await t.http.post('/create_password_reset').send({ email: 'anna@example.org' }).expect(200);
      const perEmail = await t.http.post('/create_password_reset').send({ email: 'Anna@Example.org' }).expect(429);
      assert.ok(Number(perEmail.headers['retry-after']) > 0);
      assert.equal((await mailsFor('anna@example.org')).length, 3);
      await t.http.post('/create_password_reset').send({ email: 'bert@example.org' }).expect(200); // the fifth from this address
      await t.http.post('/create_password_reset').send({ email: 'carla@example.org' }).expect(429);
      t.clock.advance(3600 * 1000);
      await t.http.post('/create_password_reset').send({ email: 'anna@example.org' }).expect(200);
    });

    it('burns no key on a bad password, and refuses a malformed path before anything else', async () => {
      await t.http.post('/create_password_reset').send({ email: 'anna@example.org' }).expect(200);
      const link = await newestLink('anna@example.org');
      const short = await t.http.post('/password_reset').send({ path: link, password: 'short' }).expect(400);
      assert.equal(short.body.errors[0].name, 'password');
      const malformed = await t.http.post('/password_reset').send({ path: '/activate/x', password: 'a new password' }).expect(400);
      assert.equal(malformed.body.errors[0].description, 'String does not match expected pattern');
      await t.http.post('/password_reset').send({ path: link, password: 'a new password' }).expect(200);
    });
  });

  describe('email change', () => {
    let anna: { path: string; token: string };
    beforeEach(async () => {
      t = await startTestApp({ env: { EMAIL_CHANGE_HOURS: '1' } });
      const registered = await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      const login = await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
      anna = { path: new URL(registered.body.path).pathname, token: login.body.user_token };
    });

    const change = (email: string) =>
      t.http.put(anna.path).set('X-User-Token', anna.token).set('X-User-Password', 'EckVocUbs3').send({ data: { [ids.userExtended]: { email } } });

    it('holds the new address for the account from the request on, and releases it when the link expires', async () => {
      await change('new@example.org').expect(200);
      const taken = await t.http.post('/principals/users').send(registrationBody('Bert', 'NEW@example.org')).expect(400);
      assert.equal(taken.body.errors[0].description, 'The user login email is not unique');
      const link = await newestLink('new@example.org');
      t.clock.advance(3600 * 1000 + 1);
      await t.http.post('/confirm_email').send({ path: link }).expect(400);
      assert.deepEqual(await t.app.services.accounts.sweep(), { accountsRemoved: 0, holdsReleased: 1 });
      await t.http.post('/principals/users').send(registrationBody('Bert', 'new@example.org')).expect(200);
      const user = await t.http.get(anna.path).set('X-User-Token', anna.token).expect(200);
      assert.equal(user.body.data[ids.userExtended].email, 'anna@example.org');
    });

    it('keeps the old address for login until the new one is confirmed, then frees it', async () => {
      await change('new@example.org').expect(200);
      await t.http.post('/login_email').send({ email: 'new@example.org', password: 'EckVocUbs3' }).expect(400);
      await t.http.post('/login_email').send({ email: 'anna@example.org', password: 'EckVocUbs3' }).expect(200);
      const notice = (await mailsFor('anna@example.org')).at(-1);
      assert.match(notice?.text ?? '', /new@example\.org/);
      await t.http.post('/confirm_email').send({ path: await newestLink('new@example.org') }).expect(200);
      await t.http.post('/login_email').send({ email: 'new@example.org', password: 'EckVocUbs3' }).expect(200);
      await t.http.post('/principals/users').send(registrationBody('Bert', 'anna@example.org')).expect(200);
    });

    it('voids the first request when a second asks for another address, and frees the first address', async () => {
      await change('first@example.org').expect(200);
      const first = await newestLink('first@example.org');
      await change('second@example.org').expect(200);
      await t.http.post('/confirm_email').send({ path: first }).expect(400);
      await t.http.post('/principals/users').send(registrationBody('Bert', 'first@example.org')).expect(200);
      await t.http.post('/confirm_email').send({ path: await newestLink('second@example.org') }).expect(200);
    });

    it('changes nothing when the address is another account\'s, and needs the current password', async () => {
      await t.http.post('/principals/users').send(registrationBody('Bert', 'bert@example.org')).expect(200);
      await change('bert@example.org').expect(400);
      await t.http.put(anna.path).set('X-User-Token', anna.token).send({ data: { [ids.userExtended]: { email: 'x@example.org' } } }).expect(400);
      assert.equal((await mailsFor('x@example.org')).length, 0);
      assert.equal((await mailsFor('bert@example.org')).length, 0);
    });
  });

  describe('who am I', () => {
    it('describes the session of the token sent, with the expiry every token answer and the sessions listing give', async () => {
      t = await startTestApp({ env: { TOKEN_IDLE_SECONDS: '600', TOKEN_MAX_AGE_SECONDS: '900' } });
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      const login = await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
      assert.equal(login.body.idle_expires_at, '2026-01-01T00:10:00.000Z');
      assert.equal(login.body.expires_at, '2026-01-01T00:15:00.000Z');
      t.clock.advance(8 * 60 * 1000);
      const session = await t.http.get('/session').set('X-User-Token', login.body.user_token).expect(200);
      assert.deepEqual(Object.keys(session.body).sort(), ['created', 'expires_at', 'idle_expires_at', 'last_used', 'session', 'user_path']);
      assert.equal(session.body.user_path, login.body.user_path);
      assert.equal(session.body.last_used, '2026-01-01T00:08:00.000Z');
      // The idle limit never reaches past the absolute one.
      assert.equal(session.body.idle_expires_at, '2026-01-01T00:15:00.000Z');
      const listed = await t.http.get(`${new URL(login.body.user_path).pathname}sessions/`).set('X-User-Token', login.body.user_token).expect(200);
      const { id: _id, client: _client, current: _current, ...times } = listed.body.sessions[0];
      const { user_path: _user, session: sessionPath, ...own } = session.body;
      assert.deepEqual({ ...times, path: times.path }, { ...own, path: sessionPath });
      await t.http.get('/session').expect(400);
      t.clock.advance(8 * 60 * 1000);
      const dead = await t.http.get('/session').set('X-User-Token', login.body.user_token).expect(400);
      assert.equal(dead.body.errors[0].description, 'Invalid user token');
    });
  });

  describe('deletion', () => {
    it('erases the email, the password and the roles, ends every session and frees the email; the name stays taken', async () => {
      t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin password' } });
      const registered = await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      const user = new URL(registered.body.path).pathname;
      const token = (await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200)).body.user_token;
      await t.http.put(user).set('X-User-Token', token).set('X-User-Password', 'EckVocUbs3').send({ data: { [ids.userExtended]: { email: 'held@example.org' } } }).expect(200);
      await t.http.delete(user).set('X-User-Token', token).expect(400);
      await t.http.delete(user).set('X-User-Token', token).set('X-User-Password', 'wrong').expect(400);
      await t.http.delete(user).set('X-User-Token', token).set('X-User-Password', 'EckVocUbs3').expect(200);
      await t.http.get('/').set('X-User-Token', token).expect(400);

      const stored = await t.app.services.storage.readResource(user);
      assert.deepEqual(Object.keys(stored?.data ?? {}).sort(), [ids.metadata, ids.userBasic, ids.aliases]);
      assert.equal(stored?.data[ids.userBasic]?.name, 'Deleted user');
      assert.ok(!JSON.stringify(stored).includes('anna@example.org') && !JSON.stringify(stored).includes('argon2'));
      const admin = (await t.http.post('/login_username').send({ name: 'admin', password: 'admin password' }).expect(200)).body.user_token;
      const seen = await t.http.get(user).set('X-User-Token', admin).expect(200);
      assert.deepEqual(seen.body.data[ids.userBasic], { name: 'Deleted user' });

      await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(400);
      await t.http.post('/principals/users').send(registrationBody('Bert', 'anna@example.org')).expect(200);
      await t.http.post('/principals/users').send(registrationBody('Carla', 'held@example.org')).expect(200);
      for (const name of ['Anna', 'ANNA', 'Deleted user', 'deleted USER']) {
        const taken = await t.http.post('/principals/users').send(registrationBody(name, `${name.replace(/\W/g, '')}x@example.org`)).expect(400);
        assert.equal(taken.body.errors[0].code, 'not_unique', name);
      }
      // A second deleted account shares the placeholder; the store is sound all the same.
      const bert = (await t.http.post('/login_username').send({ name: 'Bert', password: 'EckVocUbs3' }).expect(200)).body;
      await t.http.delete(new URL(bert.user_path).pathname).set('X-User-Token', bert.user_token).set('X-User-Password', 'EckVocUbs3').expect(200);
      assert.deepEqual(await findStoreViolations(t.app.services), []);
    });

    it('lets an admin delete any account without a password, and nobody else another\'s', async () => {
      t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin password' } });
      const anna = new URL((await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200)).body.path).pathname;
      await t.http.post('/principals/users').send(registrationBody('Bert', 'bert@example.org')).expect(200);
      const bert = (await t.http.post('/login_username').send({ name: 'Bert', password: 'EckVocUbs3' }).expect(200)).body.user_token;
      await t.http.delete(anna).set('X-User-Token', bert).set('X-User-Password', 'EckVocUbs3').expect(403);
      await t.http.delete(anna).expect(403);
      const admin = (await t.http.post('/login_username').send({ name: 'admin', password: 'admin password' }).expect(200)).body.user_token;
      await t.http.delete(anna).set('X-User-Token', admin).expect(200);
      await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(400);
    });
  });
});
