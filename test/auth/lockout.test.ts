// Brute-force protection with an injected clock: locks per account and per address, answered like a wrong password.
import assert from 'node:assert/strict';
import { registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

const second = 1000;

describe('auth/lockout', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  const logIn = (name: string, password: string) => t.http.post('/login_username').send({ name, password });

  async function fail(times: number, name = 'Anna') {
    for (let index = 0; index < times; index += 1) await logIn(name, 'wrong-password').expect(400);
  }

  it('locks an account after 10 consecutive failures, answering exactly like a wrong password', async () => {
    t = await startTestApp();
    await registerAndLogIn(t.http, 'Anna');
    const wrongPassword = await logIn('Anna', 'wrong-password').expect(400);
    await fail(9);
    const locked = await logIn('Anna', 'EckVocUbs3').expect(400);
    assert.deepEqual(locked.body, wrongPassword.body);
    t.clock.advance(59 * second);
    await logIn('Anna', 'EckVocUbs3').expect(400);
    t.clock.advance(2 * second);
    await logIn('Anna', 'EckVocUbs3').expect(200);
  });

  it('doubles the wait with each further failure while locked', async () => {
    t = await startTestApp({ env: { LOCKOUT_SECONDS: '10' } });
    await registerAndLogIn(t.http, 'Anna');
    await fail(10); // locked for 10 s
    t.clock.advance(11 * second);
    await fail(1); // the 11th failure: 20 s
    t.clock.advance(19 * second);
    await logIn('Anna', 'EckVocUbs3').expect(400);
    t.clock.advance(2 * second);
    await logIn('Anna', 'EckVocUbs3').expect(200);
  });

  it('resets the count after a success', async () => {
    t = await startTestApp();
    await registerAndLogIn(t.http, 'Anna');
    await fail(9);
    await logIn('Anna', 'EckVocUbs3').expect(200);
    await fail(9);
    await logIn('Anna', 'EckVocUbs3').expect(200);
  });

  it('locks only the attacked account', async () => {
    t = await startTestApp();
    await registerAndLogIn(t.http, 'Anna');
    await registerAndLogIn(t.http, 'Bert');
    await fail(10);
    await logIn('Anna', 'EckVocUbs3').expect(400);
    await logIn('Bert', 'EckVocUbs3').expect(200);
  });

  it('locks a client address that fails across many accounts', async () => {
    t = await startTestApp({ env: { LOCKOUT_ADDRESS_FAILURES: '5' } });
    await registerAndLogIn(t.http, 'Anna');
    for (const name of ['a', 'b', 'c', 'd', 'e']) await logIn(name, 'guess').expect(400);
    await logIn('Anna', 'EckVocUbs3').expect(400);
    t.clock.advance(61 * second);
    await logIn('Anna', 'EckVocUbs3').expect(200);
  });
});
