// Start-up: from spawning the server, built as `npm start` runs it, to its first answer, on an empty data directory and on big stores after a SIGKILL while writing.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { admin, argon2Env, buildBackend, sheet } from './backend.ts';
import { expectOk, readField } from './http.ts';
import { computeMedian, startLoad, type Measurement } from './load.ts';
import { findFreePort, makeScratchDir, readTail, trackChild } from './processes.ts';
import type { Row } from './report.ts';
import { seedPools } from './seed.ts';
import type { Settings } from './settings.ts';

export const startupRowIds = ['startup-empty', 'startup-crash', 'startup-scaling'] as const;

/** How often the bench asks whether the server answers yet: the resolution of every start-up figure. */
const pollMs = 10;
const emptyLimitMs = 1_500;
const crashLimitMs = 5_000;
/** Ten times the store may cost at most this many times the start-up: beyond it, start-up grows with the store. */
const scalingLimit = 1.5;

interface Started {
  /** From spawn to the first answer, in ms. */
  ms: number;
  url: string;
  child: ChildProcess;
  logFile: string;
}

/** Spawns `node args` and polls GET / until anything answers. */
async function startTimed(name: string, args: string[], cwd: string, env: Record<string, string>, logDir: string): Promise<Started> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(logDir, `${name}.log`);
  const log = openSync(logFile, 'a');
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url }, stdio: ['ignore', log, log] });
  closeSync(log);
  trackChild(child);
  // An old build on a big store may bring every index up to date first: minutes.
  const deadline = Date.now() + 900_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} stopped before it answered:\n${readTail(logFile)}`);
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1_000) });
      return { ms: performance.now() - startedAt, url, child, logFile };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer within 900 s:\n${readTail(logFile)}`);
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

const adminEnv = { ADMIN_NAME: admin.name, ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, HASH_CONCURRENCY: '1', ...argon2Env };

/** A latency-only measurement: start-ups have no rate. */
function toMeasurement(label: string, took: readonly number[]): Measurement {
  const median = computeMedian(took);
  return { label, reqPerSec: Number.NaN, p50Ms: median, p99Ms: Math.max(...took), unexpected: 0, expected: took.length, statuses: {}, rounds: [] };
}

const formatMs = (ms: number) => `${Math.round(ms).toLocaleString('en')} ms`;

/** Spawns node with express answering GET /: what every start-up costs before the backend does anything of its own. */
async function measureBareStarts(runs: number, logDir: string): Promise<number[]> {
  const script = "import express from 'express'; express().get('/', (_q, s) => { s.json({}); }).listen(Number(process.env.PORT), process.env.HOST);";
  const took: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = await startTimed(`bare-${run}`, ['--input-type=module', '-e', script], process.cwd(), {}, logDir);
    took.push(started.ms);
    await stopProcess(started.child, 'SIGTERM');
  }
  return took;
}

async function measureEmpty(settings: Settings, server: string[], say: (text: string) => void): Promise<Row> {
  const runs = settings.quick ? 3 : 5;
  const logDir = makeScratchDir('startup-empty');
  say(`  ${runs} starts on empty data directories, and of bare express…`);
  const bare = await measureBareStarts(runs, logDir);
  const took: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = await startTimed(`empty-${run}`, server, settings.backendRoot, { ...adminEnv, DATA_DIR: path.join(logDir, `data-${run}`) }, logDir);
    took.push(started.ms);
    await stopProcess(started.child, 'SIGTERM');
  }
  const measured = toMeasurement('backend: spawn to first answer, empty DATA_DIR, ADMIN_* set', took);
  return {
    id: 'startup-empty',
    figure: 'start-up on an empty data directory (from the build)',
    measured,
    baselineLabel: `node + bare express: ${formatMs(computeMedian(bare))}`,
    baseline: toMeasurement('node + bare express: spawn to first answer', bare),
    ratioText: `${formatMs(measured.p50Ms)} (median of ${runs}: ${took.map((ms) => Math.round(ms)).join(', ')})`,
    targetText: `≤ ${formatMs(emptyLimitMs)}`,
    met: measured.p50Ms <= emptyLimitMs,
  };
}

interface StoreStarts {
  size: number;
  /** The first start on the freshly seeded store, whose Mango indexes were never built. */
  first: number;
  /** Each start after a SIGKILL while clients were creating children. */
  afterCrash: number[];
  /** Children created, as answered, before each SIGKILL. */
  written: number[];
  /** Whether the pool's stored count equals its children counted one by one, after each restart. */
  countsExact: boolean[];
  /** The first sorted page of the big pool after the last restart: where an index left unbuilt at start-up is built. */
  firstSortedPageMs: number;
}

const basicPool = 'adhocracy_core.resources.pool.IBasicPool';

/** The pool's count as its counts document has it, and as a scan of its children finds it. */
async function readCounts(url: string, pool: string, token: string): Promise<{ stored: number; scanned: number }> {
  const headers = { 'X-User-Token': token };
  const countOf = (body: unknown) => ((body as { data: Record<string, { count?: number }> }).data['adhocracy_core.sheets.pool.IPool']?.count ?? Number.NaN);
  const stored = countOf((await expectOk('GET', `${url}${pool}`, { headers })).body);
  // A filter that every child passes makes the count one of a scan (docs/queries.md).
  const query = new URLSearchParams({ elements: 'omit', count: 'true', 'adhocracy_core.sheets.metadata.IMetadata:creation_date': JSON.stringify(['ge', '2000-01-01T00:00:00Z']) });
  const scanned = countOf((await expectOk('GET', `${url}${pool}?${query}`, { headers })).body);
  return { stored, scanned };
}

/**
 * Seeds a store of `size` children without building its indexes, starts the server on it, then, round
 * by round, has clients create children in a pool until the server is killed with SIGKILL, and times
 * the start that follows.
 */
async function measureStore(settings: Settings, server: string[], size: number, crashes: number, say: (text: string) => void): Promise<StoreStarts> {
  const dataDir = makeScratchDir(`startup-${size}`);
  const logDir = makeScratchDir(`startup-${size}-logs`);
  say(`  seeding a store of ${size.toLocaleString('en')} resources (indexes left unbuilt)…`);
  await seedPools(settings.backendRoot, dataDir, [{ name: 'big', children: size }], { buildIndexes: false });
  // Room for the scan that checks the counts.
  const env = { ...adminEnv, DATA_DIR: dataDir, QUERY_SCAN_LIMIT: '10000000' };
  let started = await startTimed(`store-${size}-first`, server, settings.backendRoot, env, logDir);
  const result: StoreStarts = { size, first: started.ms, afterCrash: [], written: [], countsExact: [], firstSortedPageMs: Number.NaN };
  say(`    first start: ${formatMs(started.ms)}`);
  const writingSeconds = settings.quick ? 1 : 2;
  for (let crash = 0; crash < crashes; crash++) {
    const token = readField(await expectOk('POST', `${started.url}/login_username`, { body: { name: admin.name, password: admin.password } }), 'user_token');
    const pool = `/written-${crash}/`;
    await expectOk('POST', `${started.url}/`, { headers: { 'X-User-Token': token }, body: { content_type: basicPool, data: { [sheet.name]: { name: `written-${crash}` } } } });
    let next = 0;
    const load = startLoad(
      {
        label: 'children created until SIGKILL',
        url: started.url,
        path: pool,
        method: 'POST',
        headers: { 'X-User-Token': token },
        body: '{}',
        vary: (request) => ({ ...request, body: JSON.stringify({ content_type: basicPool, data: { [sheet.name]: { name: `child-${(next += 1)}` } } }) }),
        connections: 20,
        expectStatus: 200,
      },
      { seconds: writingSeconds + 10 },
    );
    await new Promise((resolve) => setTimeout(resolve, writingSeconds * 1000));
    await stopProcess(started.child, 'SIGKILL');
    load.stop();
    result.written.push((await load.done).expected);
    started = await startTimed(`store-${size}-crash-${crash}`, server, settings.backendRoot, env, logDir);
    result.afterCrash.push(started.ms);
    const counts = await readCounts(started.url, pool, readField(await expectOk('POST', `${started.url}/login_username`, { body: { name: admin.name, password: admin.password } }), 'user_token'));
    result.countsExact.push(counts.stored === counts.scanned);
    say(`    after SIGKILL with ${result.written.at(-1)} children answered: ${formatMs(started.ms)}; count ${counts.stored}, scanned ${counts.scanned}`);
  }
  const page = new URLSearchParams({ elements: 'paths', sort: 'adhocracy_core.sheets.metadata.IMetadata:creation_date', reverse: 'true', limit: '20', count: 'false' });
  const pageStarted = performance.now();
  await expectOk('GET', `${started.url}/big/?${page}`);
  result.firstSortedPageMs = performance.now() - pageStarted;
  say(`    first sorted page of /big/ after that: ${formatMs(result.firstSortedPageMs)}`);
  await stopProcess(started.child, 'SIGTERM');
  return result;
}

function describeCrashRow(big: StoreStarts, empty: number | undefined): Row {
  const measured = toMeasurement(`backend: spawn to first answer, ${big.size.toLocaleString('en')} resources, after SIGKILL`, big.afterCrash);
  const exact = big.countsExact.every(Boolean);
  return {
    id: 'startup-crash',
    figure: `start-up on a store of ${big.size.toLocaleString('en')} after SIGKILL while writing`,
    measured,
    baselineLabel: empty === undefined ? 'none' : `empty data directory: ${formatMs(empty)}`,
    ratioText: `${formatMs(measured.p50Ms)} (median of ${big.afterCrash.length}; ${big.written.join(', ')} children answered before each kill); counts ${exact ? 'exact' : 'WRONG'} after it`,
    targetText: `≤ ${formatMs(crashLimitMs)}, counts exact`,
    met: measured.p50Ms <= crashLimitMs && exact,
  };
}

function describeScalingRow(small: StoreStarts, big: StoreStarts): Row {
  const ratio = big.first / small.first;
  const times = big.size / small.size;
  return {
    id: 'startup-scaling',
    figure: `first start on a store of ${big.size.toLocaleString('en')} vs ${small.size.toLocaleString('en')}, Mango indexes unbuilt`,
    measured: toMeasurement(`backend: first start, ${big.size.toLocaleString('en')} resources`, [big.first]),
    baselineLabel: `first start, ${small.size.toLocaleString('en')} resources`,
    baseline: toMeasurement(`backend: first start, ${small.size.toLocaleString('en')} resources`, [small.first]),
    ratio,
    ratioText: `${ratio.toFixed(2)}× the time for ${times}× the store (${formatMs(big.first)} vs ${formatMs(small.first)}); first sorted page after: ${formatMs(big.firstSortedPageMs)}`,
    targetText: `≤ ${scalingLimit.toFixed(2)}× (does not scale with the store)`,
    met: ratio <= scalingLimit,
  };
}

export async function measureStartup(settings: Settings, ids: readonly string[], say: (text: string) => void): Promise<Row[]> {
  say('  building the server (npm run build)…');
  const server = [buildBackend(settings.backendRoot)];
  const rows: Row[] = [];
  let empty: Row | undefined;
  if (ids.includes('startup-empty')) {
    empty = await measureEmpty(settings, server, say);
    rows.push(empty);
  }
  const [smallSize, bigSize] = settings.quick ? [1_000, 10_000] : [10_000, 100_000];
  const crashes = settings.quick ? 1 : 3;
  if (ids.includes('startup-crash') || ids.includes('startup-scaling')) {
    const small = ids.includes('startup-scaling') ? await measureStore(settings, server, smallSize, 1, say) : undefined;
    const big = await measureStore(settings, server, bigSize, crashes, say);
    if (ids.includes('startup-crash')) rows.push(describeCrashRow(big, empty?.measured.p50Ms));
    if (small) rows.push(describeScalingRow(small, big));
  }
  for (const row of rows) say(`  ${row.figure}: ${row.ratioText} (${row.targetText})`);
  return rows;
}
