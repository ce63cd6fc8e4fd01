// Memory under a flood of distinct, well-formed but unknown tokens: what a token cache must not grow with.
import type autocannon from 'autocannon';
import { runRound, summarize, type LoadSpec, type Measurement } from './load.ts';
import type { Server } from './processes.ts';

export interface RssResult {
  load: Measurement;
  requests: number;
  beforeBytes: number;
  /** After half the requests, to tell a plateau from steady growth. */
  halfwayBytes: number;
  afterBytes: number;
}

/**
 * `<user name>.<32 hex session id>.<43 base64url secret>` passes the token syntax check and reaches the
 * session lookup, which is where a cache of misses (or of anything keyed by the token) would grow.
 */
export function makeBogusToken(serial: number): string {
  return `0000001.${serial.toString(16).padStart(32, '0')}.${'A'.repeat(43)}`;
}

function createBogusTokenSpec(server: Server, connections: number, firstSerial: number): LoadSpec {
  let serial = firstSerial;
  return {
    label: 'backend: GET / with a new bogus X-User-Token each',
    url: server.url,
    path: '/',
    connections,
    // Invalid user token: every request must be refused, none served as anonymous.
    expectStatus: 400,
    vary: (request: autocannon.Request) => ({ ...request, headers: { ...request.headers, 'x-user-token': makeBogusToken(serial++) } }),
  };
}

export async function measureRss(
  server: Server,
  options: { requests: number; warmup: number; connections: number; onProgress: (text: string) => void },
): Promise<RssResult> {
  // Serials never repeat across the phases, so that every token of the run is distinct.
  await runRound(createBogusTokenSpec(server, options.connections, 0), { amount: options.warmup });
  const beforeBytes = server.readRss();
  const half = Math.floor(options.requests / 2);
  options.onProgress(`  ${half.toLocaleString('en')} bogus tokens…`);
  const first = await runRound(createBogusTokenSpec(server, options.connections, options.warmup), { amount: half });
  const halfwayBytes = server.readRss();
  options.onProgress(`  ${(options.requests - half).toLocaleString('en')} more…`);
  const second = await runRound(createBogusTokenSpec(server, options.connections, options.warmup + half), { amount: options.requests - half });
  const afterBytes = server.readRss();
  const load = summarize('backend: GET / with a new bogus X-User-Token each', [first, second]);
  return { load, requests: options.requests, beforeBytes, halfwayBytes, afterBytes };
}
