// Sessions are bound to the password they were opened with: logins racing a password change never outlive it.
import assert from 'node:assert/strict';
import { ids, registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

describe('auth/sessions bound to the credential', function () {
  this.timeout(120_000);
  let t: TestApp;
  beforeEach(async () => {
    // Every login after the change is a failure from this one address: up to 200 a round, beyond the 100 that lock an address out.
    t = await startTestApp({ env: { HASH_QUEUE: '200', HASH_QUEUE_PER_ADDRESS: '200', LOCKOUT_ACCOUNT_FAILURES: '1000', LOCKOUT_ADDRESS_FAILURES: '1000', LOCKOUT_ACCOUNT_RATE: '1000' } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('leaves no token obtained with the old password working once the change has answered', async () => {
    for (let round = 0; round < 2; round += 1) {
      const oldPassword = `old password ${round}`;
      const name = `Racer ${round}`;
      const user = await registerAndLogIn(t.http, name, `racer${round}@example.org`, oldPassword);
      // Logins keep arriving while the change is hashed and stored, so that some read the old hash
      // before the change and verify it after.
      const logins: Promise<{ status: number; body: { user_token?: string } }>[] = [];
      let changing = true;
      const stream = (async () => {
        while (changing && logins.length < 200) {
          logins.push(t.http.post('/login_username').send({ name, password: oldPassword }).then((response) => response));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 30));
      await t.http
        .put(new URL(user.path).pathname)
        .set('X-User-Token', user.token)
        .set('X-User-Password', oldPassword)
        .send({ data: { [ids.password]: { password: `new password ${round}` } } })
        .expect(200);
      changing = false;
      await stream;
      const answers = await Promise.all(logins);
      const tokens = answers.filter((answer) => answer.status === 200).map((answer) => answer.body.user_token as string);
      const working: string[] = [];
      for (const token of tokens) {
        const response = await t.http.get('/').set('X-User-Token', token);
        if (response.status === 200) working.push(token.slice(0, 20));
      }
      assert.deepEqual(working, [], `round ${round}: ${working.length} of ${tokens.length} old-password tokens still work`);
      // The session that made the change goes on.
      await t.http.get('/').set('X-User-Token', user.token).expect(200);
    }
  });
});
