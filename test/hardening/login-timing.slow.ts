// Login time does not tell whether an account exists: unknown user and wrong password, measured in interleaved pairs.
import assert from 'node:assert/strict';
import { registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';
import { assertSameTime } from '../support/paired-timing.ts';
import { listenOn, type Listening } from './listen.ts';

/**
 * A timing check, so part of `npm run test:slow` only (with TIMING_PAIRS=500); run it alone with
 * `npx mocha test/hardening/login-timing.slow.ts` (100 pairs). With 500 the test shows that the two
 * differ by less than 5 % (equivalence); with fewer it fails only when they differ by more than 5 %
 * beyond doubt, which a shared machine's noise cannot cause but a missing dummy verification does.
 */
const pairs = Number(process.env.TIMING_PAIRS ?? 100);

describe('hardening/login timing', function () {
  this.timeout(60_000 + pairs * 400);
  let t: TestApp;
  let server: Listening;

  before(async () => {
    // No locks: they would turn both kinds of failure into the same locked path and prove nothing.
    t = await startTestApp({ env: { LOCKOUT_ACCOUNT_FAILURES: '1000', LOCKOUT_ADDRESS_FAILURES: '100000', LOCKOUT_ACCOUNT_RATE: '100000' } });
    server = await listenOn(t);
    await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  async function timeLogin(name: string, password: string): Promise<number> {
    const started = performance.now();
    const response = await fetch(`${server.url}/login_username`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, password }),
    });
    await response.arrayBuffer();
    const elapsed = performance.now() - started;
    assert.equal(response.status, 400);
    return elapsed;
  }

  it(`answers an unknown user as fast as a wrong password, over ${pairs} interleaved pairs`, async () => {
    // The first unknown user also pays for the dummy hash; warm up both paths before measuring.
    for (let warm = 0; warm < 5; warm += 1) {
      await timeLogin(`Warm ${warm}`, 'wrong password 0000');
      await timeLogin('Anna', 'wrong password 0000');
    }
    await assertSameTime({
      pairs,
      labels: ['unknown user', 'wrong password'],
      first: (pair) => timeLogin(`Nobody ${pair}`, `wrong password ${String(pair).padStart(4, '0')}`),
      second: (pair) => timeLogin('Anna', `wrong password ${String(pair).padStart(4, '0')}`),
    });
  });
});
