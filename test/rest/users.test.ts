// Registration, login, visibility and editing of users over HTTP.
import assert from 'node:assert/strict';
import { ids, registerAndLogIn, registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';

const adminEnv = { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' };

describe('rest/users', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ env: adminEnv });
  });
  afterEach(async () => {
    await t.close();
  });

  describe('registration', () => {
    it('creates the user with a counter name and answers without any password', async () => {
      const response = await t.http.post('/principals/users').send(registrationBody('Anna Müller', 'Anna@Example.org')).expect(200);
      assert.equal(response.body.content_type, ids.user);
      assert.match(response.body.path, /^http:\/\/localhost:6541\/principals\/users\/\d{7}\/$/);
      assert.deepEqual(response.body.updated_resources.created, [response.body.path]);
      assert.doesNotMatch(JSON.stringify(response.body), /EckVocUbs3|argon2/);
    });

    it('stores the email lower-cased and the password only as an argon2id hash', async () => {
      const { path } = await registerAndLogIn(t.http, 'Anna', 'Anna@Example.org');
      const stored = await t.app.services.storage.readResource(new URL(path).pathname);
      assert.equal(stored?.data[ids.userExtended]?.email, 'anna@example.org');
      assert.ok(stored);
      const hash = String(t.app.services.passwords.storedOf(stored)?.hash);
      assert.match(hash, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      assert.doesNotMatch(JSON.stringify(stored), /EckVocUbs3/);
    });

    it('does not log the user in', async () => {
      const response = await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      assert.equal(response.body.user_token, undefined);
      assert.equal(response.headers['x-user-token'], undefined);
    });

    const badNames: [string, string][] = [
      ['', 'empty'],
      ['anna@home', 'an @'],
      [' anna', 'leading whitespace'],
      ['anna ', 'trailing whitespace'],
      ['anna\tmüller', 'a tab'],
      ['anna\nmüller', 'a newline'],
      ['anna  müller', 'two spaces'],
      ['ro\u200bot', 'a zero-width space'],
      ['\u202eroot', 'a right-to-left override'],
      ['ro\u2066ot', 'a bidi isolate'],
      ['ro\u00adot', 'a soft hyphen'],
      ['ro\u0000ot', 'NUL'],
      ['ro\u001bot', 'ESC'],
      ['ro\u007fot', 'DEL'],
      ['ro\u3164ot', 'a Hangul filler'],
      ['ro\ufe0fot', 'a variation selector'],
      ['root\uff20example.org', 'a full-width @'],
      ['root\ufe6bexample.org', 'a small @'],
    ];
    for (const [name, what] of badNames) {
      it(`rejects a name with ${what}`, async () => {
        const response = await t.http.post('/principals/users').send(registrationBody(name, 'anna@example.org')).expect(400);
        assert.equal(response.body.errors[0].name, `data.${ids.userBasic}.name`);
      });
    }

    it('rejects an invalid email', async () => {
      const response = await t.http.post('/principals/users').send(registrationBody('Anna', 'not-an-email')).expect(400);
      assert.equal(response.body.errors[0].name, `data.${ids.userExtended}.email`);
    });

    it('enforces the configured password length', async () => {
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org', '1234567')).expect(400);
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org', 'x'.repeat(1025))).expect(400);
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org', '12345678')).expect(200);
    });

    it('refuses a name that differs only in case or Unicode form', async () => {
      await t.http.post('/principals/users').send(registrationBody('Anna Müller', 'anna@example.org')).expect(200);
      for (const twin of ['anna müller', 'ANNA MÜLLER', 'Anna Mu\u0308ller', 'Ａｎｎａ Müller']) {
        const response = await t.http.post('/principals/users').send(registrationBody(twin, `${Math.random()}@example.org`)).expect(400);
        assert.deepEqual(response.body.errors, [
          {
            location: 'body',
            name: `data.${ids.userBasic}.name`,
            description: 'The user login name is not unique',
            code: 'not_unique',
          },
        ]);
      }
    });

    it('refuses a name that only looks like a registered one', async () => {
      await t.http.post('/principals/users').send(registrationBody('root', 'root@example.org')).expect(200);
      // Cyrillic о, Cyrillic capitals, Greek ο, mathematical bold, and a mix of them.
      for (const twin of ['r\u043e\u043et', 'R\u041e\u041eT', 'r\u03bf\u03bft', '\u{1d42b}\u{1d428}\u{1d428}\u{1d42d}', 'r\u043eot']) {
        const response = await t.http.post('/principals/users').send(registrationBody(twin, `${Math.random()}@example.org`)).expect(400);
        assert.equal(response.body.errors[0].code, 'not_unique', twin);
      }
      await t.http.post('/principals/users').send(registrationBody('rooted', 'rooted@example.org')).expect(200);
    });

    it('stores a name as given and logs in by it, whatever it looks like', async () => {
      const registered = await t.http.post('/principals/users').send(registrationBody('Carmen', 'carmen@example.org')).expect(200);
      const seen = await t.http.get(new URL(registered.body.path).pathname).expect(200);
      assert.equal(seen.body.data[ids.userBasic].name, 'Carmen');
      for (const name of ['Carmen', 'CARMEN', 'Carrnen']) {
        const login = await t.http.post('/login_username').send({ name, password: 'EckVocUbs3' }).expect(200);
        assert.equal(login.body.user_path, registered.body.path, name);
      }
    });

    it('refuses an email that differs only in case', async () => {
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      const response = await t.http.post('/principals/users').send(registrationBody('Bert', 'ANNA@example.org')).expect(400);
      assert.equal(response.body.errors[0].name, `data.${ids.userExtended}.email`);
      assert.equal(response.body.errors[0].description, 'The user login email is not unique');
    });

    it('lets exactly one of fifty simultaneous registrations of one name succeed', async () => {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          t.http.post('/principals/users').send(registrationBody('Same Name', `same${index}@example.org`)),
        ),
      );
      assert.equal(responses.filter((response) => response.status === 200).length, 1);
      assert.ok(responses.every((response) => response.status === 200 || response.status === 400));
    });

    it('lets exactly one of fifty simultaneous registrations of one email succeed', async () => {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          t.http.post('/principals/users').send(registrationBody(`Name ${index}`, 'same@example.org')),
        ),
      );
      assert.equal(responses.filter((response) => response.status === 200).length, 1);
    });

    it('forbids setting roles when registering', async () => {
      const body = registrationBody('Eve', 'eve@example.org') as { data: Record<string, unknown> };
      body.data[ids.permissions] = { roles: ['admin'] };
      const response = await t.http.post('/principals/users').send(body).expect(403);
      assert.equal(response.body.errors[0].name, `data.${ids.permissions}`);
    });
  });

  describe('login', () => {
    it('logs in by name and by email, each time with a new token', async () => {
      await t.http.post('/principals/users').send(registrationBody('Anna Müller', 'anna@example.org')).expect(200);
      const byName = await t.http.post('/login_username').send({ name: 'Anna Müller', password: 'EckVocUbs3' }).expect(200);
      const byEmail = await t.http.post('/login_email').send({ email: 'ANNA@example.org', password: 'EckVocUbs3' }).expect(200);
      assert.equal(byName.body.status, 'success');
      assert.equal(byName.body.user_path, byEmail.body.user_path);
      assert.notEqual(byName.body.user_token, byEmail.body.user_token);
      // Both stay valid: several devices.
      await t.http.get('/').set('X-User-Token', byName.body.user_token).expect(200);
      await t.http.get('/').set('X-User-Token', byEmail.body.user_token).expect(200);
    });

    it('answers an unknown user and a wrong password alike', async () => {
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
      const wrong = await t.http.post('/login_username').send({ name: 'Anna', password: 'wrong-password' }).expect(400);
      const unknown = await t.http.post('/login_username').send({ name: 'Nobody', password: 'wrong-password' }).expect(400);
      const unknownEmail = await t.http.post('/login_email').send({ email: 'nobody@example.org', password: 'x' }).expect(400);
      const expected = {
        status: 'error',
        errors: [{ location: 'body', name: 'password', description: "User doesn't exist or password is wrong", code: 'wrong_credentials' }],
      };
      assert.deepEqual(wrong.body, expected);
      assert.deepEqual(unknown.body, expected);
      assert.deepEqual(unknownEmail.body, expected);
    });

    it('rejects login bodies without name or password', async () => {
      const missing = await t.http.post('/login_username').send({ name: 'Anna' }).expect(400);
      assert.equal(missing.body.errors[0].name, 'password');
      const wrongField = await t.http.post('/login_email').send({ name: 'Anna', password: 'x' }).expect(400);
      assert.deepEqual(wrongField.body.errors.map((error: { name: string }) => error.name).sort(), ['email', 'name']);
    });

    it('rehashes on login when the configured parameters rose', async () => {
      const weak = await startTestApp({ env: { ARGON2_MEMORY_KIB: '19456' } });
      const strong = await startTestApp({ env: { ARGON2_MEMORY_KIB: '20480' } });
      try {
        const { path } = await registerAndLogIn(weak.http, 'Anna');
        const record = await weak.app.services.storage.readResource(new URL(path).pathname);
        assert.ok(record);
        // The same stored user, now served by an app configured with more memory per hash.
        const { revision: _revision, ...copy } = record;
        await strong.app.services.storage.insertResource(copy);
        await strong.app.services.storage.claimUnique({ scope: 'user-name', key: 'anna', owner: copy.path, claimedAt: 0 });
        const first = await strong.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
        const rehashed = await strong.app.services.storage.readResource(copy.path);
        assert.ok(rehashed);
        const stored = strong.app.services.passwords.storedOf(rehashed);
        assert.match(String(stored?.hash), /m=20480/);
        // A rehash is not a new password: the credential, and every session bound to it, stay.
        assert.equal(stored?.credential, weak.app.services.passwords.storedOf(record)?.credential);
        await strong.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
        await strong.http.get('/').set('X-User-Token', first.body.user_token).expect(200);
      } finally {
        await weak.close();
        await strong.close();
      }
    });
  });

  describe('visibility', () => {
    async function sheetsSeen(path: string, token?: string): Promise<string[]> {
      const request = t.http.get(new URL(path).pathname);
      if (token) request.set('X-User-Token', token);
      const response = await request.expect(200);
      return Object.keys(response.body.data).sort();
    }

    it('shows anonymous callers and other users IUserBasic only, the user and admins more, nobody the password', async () => {
      const anna = await registerAndLogIn(t.http, 'Anna');
      const bert = await registerAndLogIn(t.http, 'Bert');
      const admin = await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200);
      const publicSheets = [ids.metadata, ids.pool, ids.userBasic, ids.aliases].sort();
      const privateSheets = [ids.metadata, ids.permissions, ids.pool, ids.userBasic, ids.userExtended, ids.aliases].sort();
      assert.deepEqual(await sheetsSeen(anna.path), publicSheets);
      assert.deepEqual(await sheetsSeen(anna.path, bert.token), publicSheets);
      assert.deepEqual(await sheetsSeen(anna.path, anna.token), privateSheets);
      // Admins also see who holds which local roles.
      const adminSheets = [...privateSheets, 'adhocracy_core.sheets.acl.IAcl', 'adhocracy_core.sheets.local_roles.ILocalRoles'].sort();
      assert.deepEqual(await sheetsSeen(anna.path, admin.body.user_token), adminSheets);
    });
  });

  describe('editing', () => {
    it('lets users change their own name but not somebody else’s', async () => {
      const anna = await registerAndLogIn(t.http, 'Anna');
      const bert = await registerAndLogIn(t.http, 'Bert');
      const path = new URL(anna.path).pathname;
      await t.http.put(path).set('X-User-Token', anna.token).send({ data: { [ids.userBasic]: { name: 'Anna B' } } }).expect(200);
      await t.http.put(path).set('X-User-Token', bert.token).send({ data: { [ids.userBasic]: { name: 'Bert was here' } } }).expect(403);
      await t.http.put(path).send({ data: { [ids.userBasic]: { name: 'Anonymous' } } }).expect(403);
      const after = await t.http.get(path).expect(200);
      assert.equal(after.body.data[ids.userBasic].name, 'Anna B');
      // The old name is free again, the new one taken.
      await t.http.post('/principals/users').send(registrationBody('Anna', 'anna2@example.org')).expect(200);
      await t.http.post('/principals/users').send(registrationBody('anna b', 'anna3@example.org')).expect(400);
    });

    it('needs the current password in X-User-Password to change password or email', async () => {
      const anna = await registerAndLogIn(t.http, 'Anna');
      const path = new URL(anna.path).pathname;
      const change = { data: { [ids.password]: { password: 'new-password-1' } } };
      const missing = await t.http.put(path).set('X-User-Token', anna.token).send(change).expect(400);
      assert.equal(missing.body.errors[0].location, 'header');
      assert.equal(missing.body.errors[0].name, 'X-User-Password');
      const wrong = await t.http.put(path).set('X-User-Token', anna.token).set('X-User-Password', 'nope').send(change).expect(400);
      assert.equal(wrong.body.errors[0].name, 'X-User-Password');
      const email = { data: { [ids.userExtended]: { email: 'new@example.org' } } };
      await t.http.put(path).set('X-User-Token', anna.token).send(email).expect(400);
      // Nothing changed: the old password still works.
      await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
      await t.http.put(path).set('X-User-Token', anna.token).set('X-User-Password', 'EckVocUbs3').send(change).expect(200);
      await t.http.post('/login_username').send({ name: 'Anna', password: 'new-password-1' }).expect(200);
      await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(400);
    });

    it('revokes every other session of the user when the password changes', async () => {
      const anna = await registerAndLogIn(t.http, 'Anna');
      const other = await t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
      await t.http
        .put(new URL(anna.path).pathname)
        .set('X-User-Token', anna.token)
        .set('X-User-Password', 'EckVocUbs3')
        .send({ data: { [ids.password]: { password: 'new-password-1' } } })
        .expect(200);
      await t.http.get('/').set('X-User-Token', anna.token).expect(200);
      const dead = await t.http.get('/').set('X-User-Token', other.body.user_token).expect(400);
      assert.equal(dead.body.errors[0].description, 'Invalid user token');
    });

    it('lets an admin set roles and another user’s password, and nobody else set roles', async () => {
      const anna = await registerAndLogIn(t.http, 'Anna');
      const admin = await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200);
      const path = new URL(anna.path).pathname;
      await t.http.put(path).set('X-User-Token', anna.token).send({ data: { [ids.permissions]: { roles: ['admin'] } } }).expect(403);
      await t.http
        .put(path)
        .set('X-User-Token', admin.body.user_token)
        .send({ data: { [ids.permissions]: { roles: ['moderator'] } } })
        .expect(200);
      await t.http
        .put(path)
        .set('X-User-Token', admin.body.user_token)
        .set('X-User-Password', 'admin-password')
        .send({ data: { [ids.password]: { password: 'set-by-admin' } } })
        .expect(200);
      await t.http.get('/').set('X-User-Token', anna.token).expect(400);
      const relogin = await t.http.post('/login_username').send({ name: 'Anna', password: 'set-by-admin' }).expect(200);
      const seen = await t.http.get(path).set('X-User-Token', relogin.body.user_token).expect(200);
      assert.deepEqual(seen.body.data[ids.permissions].roles, ['moderator']);
    });

    it('rejects an unknown role', async () => {
      const anna = await registerAndLogIn(t.http, 'Anna');
      const admin = await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200);
      const response = await t.http
        .put(new URL(anna.path).pathname)
        .set('X-User-Token', admin.body.user_token)
        .send({ data: { [ids.permissions]: { roles: ['emperor'] } } })
        .expect(400);
      assert.equal(response.body.errors[0].name, `data.${ids.permissions}.roles`);
    });
  });

  describe('the configured admin', () => {
    it('is created once and never overwritten', async () => {
      const first = await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200);
      const path = new URL(first.body.user_path).pathname;
      const seen = await t.http.get(path).set('X-User-Token', first.body.user_token).expect(200);
      assert.deepEqual(seen.body.data[ids.permissions].roles, ['admin']);
      const { ensureAdmin } = await import('../../src/bootstrap.ts');
      const { services } = t.app;
      await ensureAdmin({ ...services, passwordPolicy: services.config.password, admin: { name: 'Admin', email: 'other@example.org', password: 'another-password' } });
      await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200);
      const users = await t.http.get('/principals/users/').expect(200);
      assert.equal(users.body.data[ids.pool].count, 1);
    });
  });
});
