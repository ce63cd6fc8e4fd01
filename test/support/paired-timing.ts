// Comparing the times of two kinds of request measured in interleaved pairs: the median of their log ratios and its bootstrap interval.
import assert from 'node:assert/strict';

/** Median of a sorted copy. */
export function median(values: readonly number[]): number {
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
export function bootstrapMedianInterval(values: readonly number[], confidence: number, resamples = 2000): [number, number] {
  const random = seededRandom(values.length);
  const medians: number[] = [];
  for (let round = 0; round < resamples; round += 1) {
    medians.push(median(values.map(() => values[Math.floor(random() * values.length)] as number)));
  }
  medians.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return [medians[Math.floor(tail * resamples)] as number, medians[Math.ceil((1 - tail) * resamples) - 1] as number];
}

/** With this many pairs or more, the comparison shows equivalence within 5 %; with fewer, only the absence of a larger difference. */
export const equivalenceFrom = 500;
const margin = Math.log(1.05);

/**
 * Times `first` and `second` in `pairs` interleaved pairs (which goes first alternates, cancelling any
 * effect of order), prints the medians and the paired ratio, and asserts that they take the same time:
 * with `equivalenceFrom` pairs or more, that the 90 % interval of the ratio lies within 5 % either way
 * (two one-sided tests at 5 %); with fewer, that it does not lie beyond 5 % either way.
 */
export async function assertSameTime(options: {
  pairs: number;
  labels: [string, string];
  /** Each answers the milliseconds one request took; `index` makes each request of a kind differ. */
  first: (index: number) => Promise<number>;
  second: (index: number) => Promise<number>;
}): Promise<void> {
  const { pairs, labels, first, second } = options;
  const logRatios: number[] = [];
  const times: [number[], number[]] = [[], []];
  for (let pair = 0; pair < pairs; pair += 1) {
    let a: number;
    let b: number;
    if (pair % 2) {
      a = await first(pair);
      b = await second(pair);
    } else {
      b = await second(pair);
      a = await first(pair);
    }
    times[0].push(a);
    times[1].push(b);
    logRatios.push(Math.log(a / b));
  }
  const estimate = Math.exp(median(logRatios));
  const [low, high] = bootstrapMedianInterval(logRatios, 0.9).map(Math.exp) as [number, number];
  console.log(
    `      ${labels[0]} ${median(times[0]).toFixed(1)} ms, ${labels[1]} ${median(times[1]).toFixed(1)} ms (medians); ` +
      `paired ratio ${estimate.toFixed(3)}, 90 % interval ${low.toFixed(3)}..${high.toFixed(3)}`,
  );
  if (pairs >= equivalenceFrom) {
    assert.ok(Math.log(low) > -margin && Math.log(high) < margin, `the interval ${low.toFixed(3)}..${high.toFixed(3)} reaches beyond ±5 %`);
  } else {
    // Fewer pairs cannot show equivalence on a busy machine; they can show a difference beyond 5 %.
    assert.ok(Math.log(low) < margin && Math.log(high) > -margin, `the times differ by more than 5 %: ${low.toFixed(3)}..${high.toFixed(3)}`);
  }
}
