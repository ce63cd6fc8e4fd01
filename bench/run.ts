// `npm run bench`: measures the backend against baselines run beside it, as ratios (issue 6); see settings.ts.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConfig } from '../src/config.ts';
import { argon2Env, benchUser, prepareBackend, repoRoot, startBackend, type BackendFixture } from './backend.ts';
import { measureHashCost, type HashCost } from './hash-cost.ts';
import { checkSpec, runRound, settleAfter, startLoad, summarize, type Bound, type LoadSpec, type Measurement, type Round } from './load.ts';
import { findPouchdbServer, preparePeer, startPeer } from './peer.ts';
import { describeServerErrors, findFreePort, makeScratchDir, startServer, stopAll, stopAllOnExit, type Server } from './processes.ts';
import { runProfile } from './profile.ts';
import { formatTable, writeResults, type Row } from './report.ts';
import { measureRss, type RssResult } from './rss.ts';
import { defineComparisons, type Comparison } from './scenarios.ts';
import { seedPools } from './seed.ts';
import { readSettings, usage, type Settings } from './settings.ts';

const startedAt = Date.now();
const say = (text: string) => process.stderr.write(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${text}\n`);
/** The backend's own defaults, read the way it reads them, so that the bench never drifts from them. */
const defaults = readConfig({});
const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function startBaseline(kind: 'json' | 'verify' | 'hash' | 'put', hashConcurrency: number, extraEnv: Record<string, string> = {}): Promise<Server> {
  const dir = makeScratchDir(`baseline-${kind}`);
  const port = await findFreePort();
  return startServer({
    name: `baseline ${kind}`,
    args: ['--import', 'tsx', 'bench/baseline-server.ts', kind],
    cwd: repoRoot,
    env: { PORT: String(port), DATA_DIR: dir, HASH_CONCURRENCY: String(hashConcurrency), ...argon2Env, ...extraEnv },
    port,
    dir,
  });
}

/** pouchdb-server started, or why not: its rows are left out then, and the rest still runs. */
async function startPeerIfInstalled(): Promise<Server | string> {
  const command = findPouchdbServer();
  if ('missing' in command) return command.missing;
  try {
    return await startPeer(command.bin, await findFreePort(), makeScratchDir('pouchdb-server'));
  } catch (error) {
    return `it did not start (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

/** Baseline and measured alternate round by round, so that a noisy minute on the machine hits both alike. */
async function measurePair(comparison: Comparison, settings: Settings): Promise<{ measured: Measurement; baseline: Measurement }> {
  const { measured, baseline, alongside } = comparison;
  for (const spec of [measured, baseline]) {
    if (!spec.vary) await checkSpec(spec);
  }
  const runSettled = async (spec: LoadSpec, bound: Bound): Promise<Round> => {
    const round = await runRound(spec, bound);
    await settleAfter(round);
    return round;
  };
  const runMeasured = async (seconds: number): Promise<Round> => {
    if (!alongside) return runSettled(measured, { seconds });
    // The background load starts first and outlasts the round, so the round sees it from start to end.
    const background = startLoad(alongside, { seconds: seconds + 30 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const round = await runSettled(measured, { seconds });
    background.stop();
    await settleAfter(await background.done);
    return round;
  };
  await runSettled(baseline, { seconds: settings.warmupSeconds });
  await runMeasured(settings.warmupSeconds);
  const baselineRounds: Round[] = [];
  const measuredRounds: Round[] = [];
  for (let round = 1; round <= settings.rounds; round += 1) {
    baselineRounds.push(await runSettled(baseline, { seconds: settings.secondsPerRound }));
    measuredRounds.push(await runMeasured(settings.secondsPerRound));
  }
  return { measured: summarize(measured.label, measuredRounds), baseline: summarize(baseline.label, baselineRounds) };
}

function compare(comparison: Comparison, measured: Measurement, baseline: Measurement, hashCost: HashCost): Row {
  const ratio =
    comparison.ratioKind === 'throughput' ? measured.reqPerSec / baseline.reqPerSec : baseline.reqPerSec / measured.reqPerSec;
  const { target } = comparison;
  const answered = measured.expected > 0 && baseline.expected > 0;
  const suffix = comparison.ratioKind === 'time' ? '× the time' : '';
  const row: Row = {
    id: comparison.id,
    figure: comparison.figure,
    measured,
    baselineLabel: baseline.label,
    baseline,
    ratio,
    ratioText: answered ? `${ratio.toFixed(2)}${suffix}` : 'no answers',
    targetText: target ? `${target.comparison === '>=' ? '≥' : '≤'} ${target.value.toFixed(2)}${suffix}` : '',
  };
  if (target) row.met = answered && (target.comparison === '>=' ? ratio >= target.value : ratio <= target.value);
  if (comparison.id === 'login-vs-peer') {
    const peer = hashCost.peer ? `${hashCost.peer.ms.toFixed(3)} ms` : '?';
    row.targetText = `printed; one hash: ${hashCost.ours.ms.toFixed(1)} ms vs ${peer} (notes)`;
  }
  return row;
}

function describeRss(rss: RssResult): Row {
  const bound = defaults.sessions.cacheSize * 1024;
  const growth = rss.afterBytes - rss.beforeBytes;
  return {
    id: 'rss-bogus-tokens',
    figure: `RSS after ${rss.requests.toLocaleString('en')} distinct bogus tokens`,
    measured: rss.load,
    baselineLabel: `RSS before: ${mebibytes(rss.beforeBytes)}`,
    ratioText: `${mebibytes(rss.afterBytes)} (half-way ${mebibytes(rss.halfwayBytes)}), ${growth >= 0 ? '+' : ''}${mebibytes(growth)}`,
    targetText: `growth ≤ ${mebibytes(bound)} (TOKEN_CACHE_SIZE ${defaults.sessions.cacheSize.toLocaleString('en')} × 1 KiB)`,
    met: growth <= bound,
  };
}

/** Where a measurement counted answers other than the expected status, the table alone would mislead. */
function describeUnexpected(rows: readonly Row[]): string[] {
  return rows.flatMap((row) =>
    [row.measured, row.baseline].flatMap((measurement) =>
      measurement && measurement.unexpected > 0
        ? [
            `${measurement.label}: ${measurement.unexpected.toLocaleString('en')} of ${(measurement.unexpected + measurement.expected).toLocaleString('en')} requests had another answer (not counted in req/s): ${JSON.stringify(measurement.statuses)}`,
          ]
        : [],
    ),
  );
}

async function runBench(settings: Settings): Promise<void> {
  const hashConcurrency = Math.max(1, os.availableParallelism() - 1);
  const notes: string[] = [];
  if (settings.quick) {
    notes.push(
      `--quick: ${settings.rounds} rounds of ${settings.secondsPerRound} s, a big pool of ${settings.bigPool.toLocaleString('en')} instead of 100,000, ${settings.bogusRequests.toLocaleString('en')} bogus tokens instead of 1,000,000; for development, not for the README`,
    );
  }

  const backendDir = makeScratchDir('backend');
  say(`seeding /big/ (${settings.bigPool.toLocaleString('en')} children) and /small/ (${settings.smallPool.toLocaleString('en')})…`);
  const seedStarted = Date.now();
  await seedPools(settings.backendRoot, backendDir, [
    { name: 'big', children: settings.bigPool },
    { name: 'small', children: settings.smallPool },
  ]);
  say(`  seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

  say('starting the servers…');
  // The peer starts beside the others; its setup waits for the document the backend will answer.
  const peerStarting = startPeerIfInstalled();
  const [backend, rssBackend, verify, hash, put] = await Promise.all([
    findFreePort().then((port) => startBackend({ name: 'backend', root: settings.backendRoot, port, dataDir: backendDir, hashConcurrency })),
    findFreePort().then((port) => startBackend({ name: 'backend (RSS)', root: settings.backendRoot, port, dataDir: makeScratchDir('backend-rss'), hashConcurrency })),
    startBaseline('verify', hashConcurrency, { BENCH_PASSWORD: benchUser.password }),
    startBaseline('hash', hashConcurrency),
    startBaseline('put', hashConcurrency),
  ]);
  say('preparing users, tokens and pools…');
  const fixture: BackendFixture = await prepareBackend(backend, settings.connections);
  const bodiesFile = path.join(makeScratchDir('bodies'), 'bodies.json');
  writeFileSync(bodiesFile, JSON.stringify(fixture.bodies));
  const [json, peerOrReason] = await Promise.all([
    startBaseline('json', hashConcurrency, { BODIES_FILE: bodiesFile }),
    peerStarting.then(async (started) =>
      typeof started === 'string' ? started : { server: started, fixture: await preparePeer(started, fixture.bodies[fixture.userPath]) },
    ).catch((error: unknown) => `it could not be set up (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`),
  ]);
  const peer = typeof peerOrReason === 'string' ? undefined : peerOrReason;
  if (typeof peerOrReason === 'string') notes.push(`pouchdb-server rows left out: ${peerOrReason}`);

  const hashCost = await measureHashCost(defaults.argon2, peer?.fixture.hashing);
  const context = { settings, backend, fixture, baselines: { json, verify, hash, put }, peer };
  const rows: Row[] = [];
  const measurements: Record<string, unknown> = {};
  for (const comparison of defineComparisons(context)) {
    say(`measuring ${comparison.figure} (${settings.rounds} × ${settings.secondsPerRound} s per side)…`);
    const { measured, baseline } = await measurePair(comparison, settings);
    rows.push(compare(comparison, measured, baseline, hashCost));
    measurements[comparison.id] = { measured, baseline };
  }

  say(`RSS under ${settings.bogusRequests.toLocaleString('en')} distinct bogus tokens…`);
  const rss = await measureRss(rssBackend, { requests: settings.bogusRequests, warmup: settings.bogusWarmup, connections: settings.connections, onProgress: say });
  rows.push(describeRss(rss));
  notes.push(...describeUnexpected(rows));
  notes.push(
    `hashing: ours ${hashCost.ours.algorithm}, ${hashCost.ours.ms.toFixed(1)} ms per hash, HASH_CONCURRENCY ${hashConcurrency} for the backend and the argon2 baselines alike` +
      (hashCost.peer ? `; pouchdb-server ${hashCost.peer.algorithm}, ${hashCost.peer.ms.toFixed(3)} ms per hash` : ''),
  );

  await stopAll();
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  const command = `npm run bench${settings.quick ? ' -- --quick' : ''}`;
  const table = formatTable(rows);
  process.stdout.write(`\n${table}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n`);
  process.stdout.write(
    `\n${command}, ${new Date().toISOString().slice(0, 10)}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}, ${seconds} s; medians of ${settings.rounds} rounds, ${settings.connections} connections (${settings.hashConnections} for login and registration)\n`,
  );
  const resultsFile = path.join(repoRoot, 'bench', 'results.json');
  writeResults(resultsFile, {
    command,
    date: new Date().toISOString(),
    code: describeCode(settings.backendRoot),
    machine: { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}` },
    settings,
    hashConcurrency,
    hashCost,
    rows: rows.map(({ measured, baseline, ...row }) => ({ ...row, measured: strip(measured), baseline: baseline && strip(baseline) })),
    rss,
    measurements,
    notes,
    table,
  });
  say(`wrote ${path.relative(process.cwd(), resultsFile)}`);
}

/** Which code was measured: the commit, and whether the work tree differed from it. */
function describeCode(root: string): { commit: string; changedFiles: string[] } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src', 'sheets', 'package.json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, changedFiles: status.split('\n').filter(Boolean).map((line) => line.slice(3)) };
  } catch {
    return { commit: 'unknown (no git)', changedFiles: [] };
  }
}

/** The per-round figures stay in `measurements`; the rows carry the medians only. */
function strip(measurement: Measurement): Omit<Measurement, 'rounds'> {
  const { rounds: _rounds, ...rest } = measurement;
  return rest;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const settings = readSettings(args, repoRoot);
  stopAllOnExit();
  try {
    if (settings.profile !== undefined) await runProfile(settings);
    else await runBench(settings);
  } catch (error) {
    const logged = describeServerErrors();
    if (logged) process.stderr.write(`${logged}\n`);
    throw error;
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
