// Expensive pool queries must not starve cheap requests: clients loop a deep query over a large pool while a probe times cheap GETs.
// A timing check, so part of `npm run test:slow` only: `tsx test/hardening/query-starvation.ts [--children 5000] [--clients 8] [--seconds 10]`.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seedPools } from '../../bench/seed.ts';
import { buildDist } from '../support/build.ts';
import { freePort, removeDataDir, startServer, type ServerProcess } from './server-process.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const expensiveQuery = '/big/?depth=all&elements=content';
/**
 * The promise: a cheap request waits about 50 ms at most behind long scans. Checked as the 99th
 * percentile, and with the default budget also as the maximum, with twice the room, since one
 * scheduling hiccup of a shared machine would otherwise decide it.
 */
const waitLimitMs = Number(process.env.STARVATION_LIMIT_MS ?? 50);

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/**
 * The expensive clients run in a process of their own, so that reading their large answers does not
 * delay the probe's timing in this one. It prints how many answers of each status it got.
 */
function startExpensiveClients(url: string, clients: number, seconds: number): Promise<Record<string, number>> {
  const script = `
    const statuses = {};
    const until = Date.now() + ${seconds * 1000};
    const loop = async () => {
      while (Date.now() < until) {
        const response = await fetch(${JSON.stringify(url + expensiveQuery)});
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    };
    Promise.all(Array.from({ length: ${clients} }, loop)).then(() => console.log(JSON.stringify(statuses)));
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as Record<string, number>) : reject(new Error(`the clients exited with ${code}`))));
  });
}

/** Times cheap GETs one after another until `done` settles; answers each duration in ms. */
async function probe(url: string, done: Promise<unknown>): Promise<number[]> {
  let running = true;
  void done.finally(() => (running = false));
  const durations: number[] = [];
  while (running) {
    const started = performance.now();
    const response = await fetch(`${url}/principals/`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`the cheap GET answered ${response.status}`);
    durations.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return durations;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

interface Phase {
  label: string;
  env: Record<string, string>;
  /** Whether the maximum is checked too. */
  checkMax: boolean;
}

async function measure(dataDir: string, phase: Phase, clients: number, seconds: number): Promise<{ p50: number; p95: number; p99: number; max: number }> {
  const server: ServerProcess = await startServer(await freePort(), { DATA_DIR: dataDir, ...phase.env });
  try {
    // Warm up the caches and the query path once.
    await (await fetch(`${server.url}${expensiveQuery}`)).arrayBuffer();
    const expensive = startExpensiveClients(server.url, clients, seconds);
    const durations = (await probe(server.url, expensive)).sort((a, b) => a - b);
    const statuses = await expensive;
    const figures = { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95), p99: percentile(durations, 0.99), max: durations.at(-1) as number };
    console.log(
      `${phase.label}: ${clients} clients looping ${expensiveQuery} got ${JSON.stringify(statuses)}; ` +
        `${durations.length} cheap GETs took p50 ${figures.p50.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, max ${figures.max.toFixed(1)} ms`,
    );
    return figures;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  buildDist();
  const children = argument('children', 5000);
  const clients = argument('clients', 8);
  const seconds = argument('seconds', 10);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'adhocracy-starvation-'));
  try {
    await seedPools(root, dataDir, [{ name: 'big', children }]);
    const phases: Phase[] = [
      // The whole scan runs: what matters is that it yields between batches.
      // With eight of them, one turn of the event loop serves a batch of each: the maximum is theirs together.
      { label: 'within the budget', env: { QUERY_SCAN_LIMIT: String(2 * children), QUERY_SCAN_LIMIT_ANONYMOUS: String(2 * children) }, checkMax: false },
      { label: 'default budget', env: {}, checkMax: true },
    ];
    let failed = false;
    for (const phase of phases) {
      const { p99, max } = await measure(dataDir, phase, clients, seconds);
      if (p99 > waitLimitMs || (phase.checkMax && max > 2 * waitLimitMs)) {
        console.log(`  above the limit: p99 ${waitLimitMs} ms${phase.checkMax ? `, max ${2 * waitLimitMs} ms` : ''}`);
        failed = true;
      }
    }
    if (failed) process.exitCode = 1;
  } finally {
    await removeDataDir(dataDir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
