// `npm run bench`: measures the backend against baselines run beside it, as ratios (issue 6); see settings.ts.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { readConfig } from '../src/config.ts';
import { repoRoot } from './backend.ts';
import { peerName } from './peer.ts';
import { compare, describeRss, describeUnexpected, measurePair } from './compare.ts';
import { couchRowIds, measureCouchProcesses } from './couch-processes.ts';
import { describeFairness, measureFairness } from './fairness.ts';
import { fanoutRowIds, measureFanout } from './fanout.ts';
import type { Measurement } from './load.ts';
import { describeServerErrors, stopAll, stopAllOnExit } from './processes.ts';
import { runProfile } from './profile.ts';
import { measureSequences, sequenceRowIds } from './sequences.ts';
import { formatTable, writeResults, type Row } from './report.ts';
import { measureRss, type RssResult } from './rss.ts';
import { defineComparisons } from './scenarios.ts';
import { readSettings, usage, type Settings } from './settings.ts';
import { startServers } from './setup.ts';
import { measureStartup, startupRowIds } from './startup.ts';

const startedAt = Date.now();
const say = (text: string) => process.stderr.write(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${text}\n`);
/** The backend's own defaults, read the way it reads them, so that the bench never drifts from them. */
const defaults = readConfig({});

async function runBench(settings: Settings): Promise<void> {
  const notes: string[] = [];
  if (settings.quick) {
    notes.push(
      `--quick: ${settings.rounds} rounds of ${settings.secondsPerRound} s without warm-up, pools of ${settings.bigPool.toLocaleString('en')} and ${settings.smallPool.toLocaleString('en')} instead of 100,000 and 1,000 (pages: ${settings.pageRounds} × ${settings.pageRequests} requests), ${settings.hashConnections} connections for login and registration, ${settings.bogusRequests.toLocaleString('en')} bogus tokens instead of 1,000,000; for development, not for the README`,
    );
  }

  const { context, rssBackend, hashConcurrency } = await startServers(settings, defaults, notes, say);
  const { hashCost } = context;
  const rows: Row[] = [];
  const measurements: Record<string, unknown> = {};
  const comparisons = defineComparisons(context);
  const { only } = settings;
  if (only) {
    const known = [...comparisons.map((comparison) => comparison.id), 'login-fairness', 'rss', ...sequenceRowIds, ...fanoutRowIds, ...couchRowIds, ...startupRowIds];
    const unknown = only.filter((id) => !known.includes(id));
    if (unknown.length > 0) throw new Error(`--only: no row ${unknown.join(', ')}; choose from ${known.join(', ')}`);
    notes.push(`--only=${only.join(',')}: the other rows were not measured`);
  }
  for (const comparison of comparisons.filter(({ id }) => !only || only.includes(id))) {
    const rounds = comparison.countedRounds
      ? `${comparison.countedRounds.rounds} × ${comparison.countedRounds.requests} requests`
      : `${settings.rounds} × ${settings.secondsPerRound} s`;
    say(`measuring ${comparison.figure} (${rounds} per side)…`);
    const { measured, baseline, alongside } = await measurePair(comparison, settings);
    const row = compare(comparison, measured, baseline);
    rows.push(row);
    // The table comes at the end; this line keeps what was measured in sight should a later step fail.
    say(`  ${Math.round(measured.reqPerSec)} vs ${Math.round(baseline.reqPerSec)} req/s, p50 ${measured.p50Ms} vs ${baseline.p50Ms} ms: ${row.ratioText} (${row.targetText || 'no target'})`);
    measurements[comparison.id] = { measured, baseline, alongside };
    if (alongside) notes.push(`${comparison.figure}: meanwhile ${alongside.label} answered ${alongside.reqPerSec.toFixed(1)} logins/s (median)`);
  }

  if (!only || only.includes('login-fairness')) {
    say('login fairness under a one-address flood…');
    const fairness = await measureFairness({
      root: settings.backendRoot,
      hashConcurrency,
      floodClients: 80,
      otherAddresses: 20,
      loginsPerAddress: settings.quick ? 2 : 5,
      onProgress: say,
    });
    const row = describeFairness(fairness);
    rows.push(row);
    measurements[row.id] = fairness;
    say(`  ${row.ratioText}, p50 ${fairness.others.p50Ms} ms, p99 ${fairness.others.p99Ms} ms`);
  }

  const sequenceIds = sequenceRowIds.filter((id) => !only || only.includes(id));
  if (sequenceIds.length > 0) {
    const sequenceRows = await measureSequences(settings, context.backend, sequenceIds, say);
    rows.push(...sequenceRows);
    for (const row of sequenceRows) measurements[row.id] = { measured: row.measured, baseline: row.baseline };
  }

  let rss: RssResult | undefined;
  if (!only || only.includes('rss')) {
    say(`RSS under ${settings.bogusRequests.toLocaleString('en')} distinct bogus tokens…`);
    rss = await measureRss(rssBackend, { requests: settings.bogusRequests, warmup: settings.bogusWarmup, connections: settings.connections, onProgress: say });
    rows.push(describeRss(rss, defaults));
  }
  const fanoutIds = fanoutRowIds.filter((id) => !only || only.includes(id));
  if (fanoutIds.length > 0) {
    const fanoutRows = await measureFanout(settings, fanoutIds, say);
    rows.push(...fanoutRows);
    for (const row of fanoutRows) measurements[row.id] = row.measured;
  }
  const couchIds = couchRowIds.filter((id) => !only || only.includes(id));
  if (couchIds.length > 0) {
    say(`two backend processes on one ${peerName} against one…`);
    const couch = await measureCouchProcesses(settings, couchIds, say);
    rows.push(...couch.rows);
    notes.push(...couch.notes);
    for (const row of couch.rows) measurements[row.id] = { measured: row.measured, baseline: row.baseline };
  }
  const startupIds = startupRowIds.filter((id) => !only || only.includes(id));
  if (startupIds.length > 0) {
    say('start-up…');
    const startupRows = await measureStartup(settings, startupIds, say);
    rows.push(...startupRows);
    for (const row of startupRows) measurements[row.id] = { measured: row.measured, baseline: row.baseline };
  }
  notes.push(...describeUnexpected(rows));
  notes.push(
    `hashing: ours ${hashCost.ours.algorithm}, ${hashCost.ours.ms.toFixed(1)} ms per hash, HASH_CONCURRENCY ${hashConcurrency} for the backend and the argon2 baselines alike` +
      (hashCost.peer ? `; ${peerName} ${hashCost.peer.algorithm}, ${hashCost.peer.ms.toFixed(3)} ms per hash` : ''),
  );

  await stopAll();
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  const args = process.argv.slice(2);
  const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
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
