// `npm run bench:ab -- DIR_A DIR_B`: two checkouts of the backend side by side, by req/s and by server CPU per request.
import path from 'node:path';
import { prepareBackend, repoRoot, startBackend } from './backend.ts';
import { computeMedian, runTimedRound } from './load.ts';
import { findFreePort, makeScratchDir, stopAll, stopAllOnExit, type Server } from './processes.ts';
import { defineBackendSpecs } from './scenarios.ts';
import { readSettings } from './settings.ts';

const usage = `npm run bench:ab -- DIR_A DIR_B [--rows=user-get,pool-get,put] [--rounds=8] [--seconds=2]
  Starts the backend of each checkout (a git worktree with a node_modules link, say) and measures the
  rows on both, alternating which goes first. Besides req/s it prints the CPU time the server process
  used per answered request, which tells whether a change made the server do less work rather than
  get more of the machine. Two runs of identical code still differ by up to 7 % on a shared 2-core
  machine: trust only larger differences, and repeat. Linux only (it reads /proc).`;

interface Side {
  name: string;
  server: Server;
  specs: ReturnType<typeof defineBackendSpecs>;
}

function readOption(args: readonly string[], name: string, fallback: string): string {
  return args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

async function startSide(name: string, root: string, connections: number): Promise<Side> {
  const settings = readSettings([], root);
  const server = await startBackend({ name, root, port: await findFreePort(), dataDir: makeScratchDir(name), hashConcurrency: 1 });
  const fixture = await prepareBackend(server, connections);
  return { name, server, specs: defineBackendSpecs({ settings, backend: server, fixture }) };
}

async function measure(side: Side, row: string, seconds: number): Promise<{ reqPerSec: number; cpuMicros: number }> {
  const spec = side.specs[row];
  if (!spec) throw new Error(`no row ${row}; choose from ${Object.keys(side.specs).join(', ')}`);
  const before = side.server.readCpuMicros();
  const round = await runTimedRound(spec, seconds);
  return { reqPerSec: round.reqPerSec, cpuMicros: (side.server.readCpuMicros() - before) / Math.max(1, round.expected) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dirs = args.filter((arg) => !arg.startsWith('--'));
  if (dirs.length !== 2 || args.includes('--help')) {
    process.stdout.write(`${usage}\n`);
    process.exitCode = args.includes('--help') ? 0 : 1;
    return;
  }
  const rows = readOption(args, 'rows', 'user-get,pool-get,put').split(',');
  const rounds = Number(readOption(args, 'rounds', '8'));
  const seconds = Number(readOption(args, 'seconds', '2'));
  const connections = readSettings([], repoRoot).connections;
  stopAllOnExit();
  try {
    const [dirA, dirB] = dirs.map((dir) => path.resolve(dir)) as [string, string];
    const a = await startSide('A', dirA, connections);
    const b = await startSide('B', dirB, connections);
    process.stdout.write(`A = ${dirA}\nB = ${dirB}\n${rounds} rounds of ${seconds} s per side and row, ${connections} connections; medians\n\n`);
    for (const row of rows) {
      // One round each first, so that neither side is measured cold.
      await measure(a, row, 1);
      await measure(b, row, 1);
      const results: Record<'A' | 'B', { reqPerSec: number; cpuMicros: number }[]> = { A: [], B: [] };
      for (let round = 0; round < rounds; round += 1) {
        const order = round % 2 === 0 ? [a, b] : [b, a];
        for (const side of order) results[side.name as 'A' | 'B'].push(await measure(side, row, seconds));
      }
      const median = (side: 'A' | 'B', key: 'reqPerSec' | 'cpuMicros') => computeMedian(results[side].map((result) => result[key]));
      const [rateA, rateB, cpuA, cpuB] = [median('A', 'reqPerSec'), median('B', 'reqPerSec'), median('A', 'cpuMicros'), median('B', 'cpuMicros')];
      process.stdout.write(
        `${row}: req/s A ${rateA.toFixed(0)}, B ${rateB.toFixed(0)} (B/A ${(rateB / rateA).toFixed(2)}); ` +
          `server CPU per request A ${cpuA.toFixed(0)} µs, B ${cpuB.toFixed(0)} µs (B/A ${(cpuB / cpuA).toFixed(2)})\n`,
      );
    }
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ab failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
