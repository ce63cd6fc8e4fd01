// Asking for a password reset takes the same time whether the address has an account or not: measured in interleaved pairs, as the login timing is.
import assert from 'node:assert/strict';
import { assertSameTime } from '../support/paired-timing.ts';
import { registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';
import { listenOn, type Listening } from './listen.ts';

/**
 * Part of `npm run test:slow` (TIMING_PAIRS=500: equivalence within 5 %); alone, with 100 pairs,
 * `npx mocha test/hardening/reset-timing.slow.ts`. Each request of a pair names another address, each
 * known one an account of its own, so that neither the rate limit nor a cache favours one kind.
 */
const pairs = Number(process.env.TIMING_PAIRS ?? 100);

describe('hardening/password reset timing', function () {
  this.timeout(120_000 + pairs * 400);
  let t: TestApp;
  let server: Listening;

  before(async () => {
    t = await startTestApp({ env: { RESET_REQUESTS_PER_ADDRESS: '1000000', ARGON2_MEMORY_KIB: '19456' } });
    server = await listenOn(t);
    for (let index = 0; index < pairs + 5; index += 1) {
      await t.http.post('/principals/users').send(registrationBody(`User ${index}`, `known${index}@example.org`)).expect(200);
    }
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });

  async function timeRequest(email: string): Promise<number> {
    const started = performance.now();
    const response = await fetch(`${server.url}/create_password_reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email }) });
    const body = await response.text();
    const elapsed = performance.now() - started;
    assert.equal(response.status, 200);
    assert.equal(body, '{"status":"success"}');
    // The mail is written after the answer, in this same process: let it be written outside the times
    // measured, which are of the answers alone (a client elsewhere does not share this event loop).
    await t.app.services.outbox.deliverDue();
    return elapsed;
  }

  it(`answers for an unknown address as fast as for a known one, over ${pairs} interleaved pairs`, async () => {
    for (let warm = 0; warm < 5; warm += 1) {
      await timeRequest(`warm${warm}@example.org`);
      await timeRequest(`known${pairs + warm}@example.org`);
    }
    await assertSameTime({
      pairs,
      labels: ['unknown address', 'known address'],
      first: (pair) => timeRequest(`nobody${pair}@example.org`),
      second: (pair) => timeRequest(`known${pair}@example.org`),
    });
  });
});
