// Login time does not tell whether an account exists: unknown user and wrong password, measured in interleaved pairs.
import assert from 'node:assert/strict';
import { registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';
import { listenOn, type Listening } from './listen.ts';

/**
 * A timing check, so part of `npm run test:slow` only (with TIMING_PAIRS=500); run it alone with
 * `npx mocha test/hardening/login-timing.slow.ts` (100 pairs). With 500 the test shows that the two
 * differ by less than 5 % (equivalence); with fewer it fails only when they differ by more than 5 %
 * beyond doubt, which a shared machine's noise cannot cause but a missing dummy verification does.
 */
const pairs = Number(process.env.TIMING_PAIRS ?? 100);
const equivalenceFrom = 500;
const margin = Math.log(1.05);

/** Median of a sorted copy. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A small seeded generator, so that the bootstrap gives the same interval for the same measurements. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Percentile bootstrap interval of the median, resampling the pairs' log ratios. */
function bootstrapMedianInterval(values: readonly number[], confidence: number, resamples = 2000): [number, number] {
  const random = seededRandom(values.length);
  const medians: number[] = [];
  for (let round = 0; round < resamples; round += 1) {
    medians.push(median(values.map(() => values[Math.floor(random() * values.length)] as number)));
  }
  medians.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return [medians[Math.floor(tail * resamples)] as number, medians[Math.ceil((1 - tail) * resamples) - 1] as number];
}

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
    const logRatios: number[] = [];
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let pair = 0; pair < pairs; pair += 1) {
      const password = `wrong password ${String(pair).padStart(4, '0')}`;
      // Alternating which goes first cancels any effect of order.
      let u: number;
      let w: number;
      if (pair % 2) {
        u = await timeLogin(`Nobody ${pair}`, password);
        w = await timeLogin('Anna', password);
      } else {
        w = await timeLogin('Anna', password);
        u = await timeLogin(`Nobody ${pair}`, password);
      }
      unknown.push(u);
      wrong.push(w);
      logRatios.push(Math.log(u / w));
    }
    const estimate = Math.exp(median(logRatios));
    const [low, high] = bootstrapMedianInterval(logRatios, 0.9).map(Math.exp) as [number, number];
    console.log(
      `      unknown user ${median(unknown).toFixed(1)} ms, wrong password ${median(wrong).toFixed(1)} ms (medians); ` +
        `paired ratio ${estimate.toFixed(3)}, 90 % interval ${low.toFixed(3)}..${high.toFixed(3)}`,
    );
    if (pairs >= equivalenceFrom) {
      // Equivalence (two one-sided tests at 5 %): the whole interval lies within 5 % either way.
      assert.ok(Math.log(low) > -margin && Math.log(high) < margin, `the interval ${low.toFixed(3)}..${high.toFixed(3)} reaches beyond ±5 %`);
    } else {
      // Fewer pairs cannot show equivalence on a busy machine; they can show a difference beyond 5 %.
      assert.ok(Math.log(low) < margin && Math.log(high) > -margin, `the times differ by more than 5 %: ${low.toFixed(3)}..${high.toFixed(3)}`);
    }
  });
});
