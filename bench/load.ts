// Drives one server with autocannon for a bounded time or request count, and condenses rounds into medians.
import autocannon from 'autocannon';
import { callJson } from './http.ts';

export interface LoadSpec {
  /** Names the measurement in the table and in results.json. */
  label: string;
  /** Base URL of the server, without a trailing slash. */
  url: string;
  /** Further servers of the same kind that share the load: connection i goes to the (i mod n)-th of `url` and these. */
  alsoUrls?: string[];
  path: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** How long one request may take before it counts as failed; 30 s unless said. */
  timeoutSeconds?: number;
  /** Answers with another status are counted apart and reported, never silently taken as throughput. */
  expectStatus: number;
  /** Changes every request, for values that must differ each time (new user names, distinct tokens). */
  vary?: (request: autocannon.Request) => autocannon.Request;
  /** Gives each connection a request of its own, for writes that would otherwise conflict with each other. */
  perConnection?: (index: number) => { path?: string; headers?: Record<string, string>; body?: string };
}

export interface Round {
  /** Answers with the expected status per second. */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  expected: number;
  /** Answers with any other status, plus connection errors and time-outs. */
  unexpected: number;
  seconds: number;
  /** Answers per status code, to tell what the unexpected ones were. */
  statuses: Record<string, number>;
}

export interface Measurement {
  label: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  unexpected: number;
  expected: number;
  /** Answers per status code over all rounds. */
  statuses: Record<string, number>;
  rounds: Round[];
}

export type Bound = { seconds: number } | { amount: number };

export interface RunningLoad {
  done: Promise<Round>;
  stop(): void;
}

export function startLoad(spec: LoadSpec, bound: Bound): RunningLoad {
  const method = spec.method ?? 'GET';
  const headers = { ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}), ...spec.headers };
  let connectionIndex = 0;
  const options: autocannon.Options = {
    // autocannon takes a list of URLs too (its README), which its types do not say.
    url: spec.alsoUrls ? ([spec.url, ...spec.alsoUrls].map((url) => `${url}${spec.path}`) as unknown as string) : `${spec.url}${spec.path}`,
    method,
    headers,
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    connections: spec.connections,
    // Samples every 100 ms, so that rounds shorter than a second still end on time.
    sampleInt: 100,
    timeout: spec.timeoutSeconds ?? 30,
    ...('seconds' in bound ? { duration: bound.seconds } : { amount: bound.amount }),
    ...(spec.vary ? { requests: [{ setupRequest: spec.vary }] } : {}),
    ...(spec.perConnection
      ? {
          setupClient: (client: autocannon.Client) => {
            const own = (spec.perConnection as NonNullable<LoadSpec['perConnection']>)(connectionIndex++);
            // setRequests, not setRequest: the latter lasts one request, then the shared defaults come back.
            client.setRequests([
              {
                method,
                path: own.path ?? spec.path,
                headers: { ...headers, ...own.headers },
                ...(own.body ?? spec.body ? { body: own.body ?? spec.body } : {}),
                // Still varied per request, on the connection's own path.
                ...(spec.vary ? { setupRequest: spec.vary } : {}),
              },
            ]);
          },
        }
      : {}),
  };
  const pace: Pace = { count: 0, first: 0, last: 0 };
  let instance: autocannon.Instance | undefined;
  const done = new Promise<Round>((resolve, reject) => {
    instance = autocannon(options, (error: unknown, result: autocannon.Result) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(readRound(result, spec.expectStatus, pace));
    });
    instance.on('response', (_client: autocannon.Client, status: number) => {
      if (status !== spec.expectStatus) return;
      const now = performance.now();
      if (pace.count === 0) pace.first = now;
      pace.last = now;
      pace.count += 1;
    });
  });
  return { done, stop: () => instance?.stop() };
}

/** When the expected answers arrived: the rate between the first and the last leaves out the start-up. */
interface Pace {
  count: number;
  first: number;
  last: number;
}

/**
 * Sends the scenario's request once (the first connection's, unvaried) and fails early, quoting the answer,
 * when it would not get the status the scenario is counted by: a broken setup must not pass for a slow server.
 */
export async function checkSpec(spec: LoadSpec): Promise<void> {
  const own = spec.perConnection?.(0) ?? {};
  const path = own.path ?? spec.path;
  const body = own.body ?? spec.body;
  const method = spec.method ?? 'GET';
  for (const url of [spec.url, ...(spec.alsoUrls ?? [])]) {
    const answer = await callJson(method, `${url}${path}`, {
      headers: { ...spec.headers, ...own.headers },
      ...(body !== undefined ? { body: JSON.parse(body) as unknown } : {}),
      timeoutSeconds: spec.timeoutSeconds ?? 30,
    });
    if (answer.status !== spec.expectStatus) {
      throw new Error(`${spec.label}: ${method} ${url}${path} answered ${answer.status}, not ${spec.expectStatus}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
  }
}

export function runRound(spec: LoadSpec, bound: Bound): Promise<Round> {
  return startLoad(spec, bound).done;
}

/** Fewer answers than this in a round say more about the round's length than about the server. */
const minimumAnswers = 5;

/**
 * A round by time that brought too few answers (a slow request, a busy machine, a short --quick round) is
 * run again four times as long, up to 12 s, rather than reported as a rate of zero.
 */
export async function runTimedRound(spec: LoadSpec, seconds: number): Promise<Round> {
  for (let length = seconds; ; length *= 4) {
    const round = await runRound(spec, { seconds: length });
    if (round.expected + round.unexpected >= minimumAnswers || length * 4 > 12) return round;
    // What is still in flight would count against the longer round.
    await settleAfter({ ...round, p50Ms: 1000 });
  }
}

/**
 * The rate is taken between the first and the last expected answer: counting from the start of the round
 * would charge the first answer's latency (a second, for a queue of password hashes) against the rate.
 */
function readRound(result: autocannon.Result, expectStatus: number, pace: Pace): Round {
  const stats = result.statusCodeStats ?? {};
  const expected = stats[`${expectStatus}`]?.count ?? 0;
  const statuses = Object.fromEntries(Object.entries(stats).map(([status, stat]) => [status, stat.count ?? 0]));
  const answered = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  const seconds = Math.max(result.duration, 0.01);
  const paced = pace.count >= 3 && pace.last > pace.first;
  return {
    reqPerSec: paced ? ((pace.count - 1) * 1000) / (pace.last - pace.first) : expected / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    expected,
    // autocannon counts a time-out as an error too.
    unexpected: answered - expected + result.errors,
    seconds,
    statuses: { ...statuses, ...(result.errors > 0 ? { errors: result.errors } : {}), ...(result.timeouts > 0 ? { timeouts: result.timeouts } : {}) },
  };
}

/**
 * Waits about as long as the round's typical answer took: requests still in flight when autocannon stopped
 * keep the server busy (a queue of password hashes, say) and would slow whatever is measured next. Under
 * saturation that leftover work is about one median latency: every connection had one request queued.
 */
export function settleAfter(round: Round): Promise<void> {
  const ms = Math.min(Number.isFinite(round.p50Ms) ? round.p50Ms : 0, 5000);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Medians per figure: one slow round (a neighbour's test run, a compaction) must not decide the result. */
export function summarize(label: string, rounds: Round[]): Measurement {
  return {
    label,
    reqPerSec: computeMedian(rounds.map((round) => round.reqPerSec)),
    p50Ms: computeMedian(rounds.map((round) => round.p50Ms)),
    p99Ms: computeMedian(rounds.map((round) => round.p99Ms)),
    expected: rounds.reduce((sum, round) => sum + round.expected, 0),
    unexpected: rounds.reduce((sum, round) => sum + round.unexpected, 0),
    statuses: addUp(rounds.map((round) => round.statuses)),
    rounds,
  };
}

function addUp(counts: readonly Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const count of counts) {
    for (const [key, value] of Object.entries(count)) total[key] = (total[key] ?? 0) + value;
  }
  return total;
}

export function computeMedian(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
