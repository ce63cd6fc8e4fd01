// Bounds on durations: asserted only in `npm run test:slow` (ASSERT_TIMINGS=1), since a busy shared machine can break any of them.
import assert from 'node:assert/strict';

export const assertsTimings = process.env.ASSERT_TIMINGS === '1';

/** In the slow run, that something took less than `limitMs`; in `npm test`, nothing. */
export function assertFaster(ms: number, limitMs: number, what: string): void {
  if (assertsTimings) assert.ok(ms < limitMs, `${what} took ${Math.round(ms)} ms, more than ${limitMs} ms`);
}

/** In the slow run, that something took at least `minimumMs` (it did not happen too early); in `npm test`, nothing. */
export function assertSlower(ms: number, minimumMs: number, what: string): void {
  if (assertsTimings) assert.ok(ms >= minimumMs, `${what} took ${Math.round(ms)} ms, less than ${minimumMs} ms`);
}
