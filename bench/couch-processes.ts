// Two backend processes on one CouchDB URL against one process: reads and writes with the load split across both, and the CouchDB server's own capacity for the same document writes as the ceiling.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { createChildVariation, makeChildBody, prepareBackend, repoRoot, startBackend, type BackendFixture } from './backend.ts';
import { expectOk } from './http.ts';
import { runTimedRound, settleAfter, summarize, checkSpec, type LoadSpec, type Measurement, type Round } from './load.ts';
import { peerName, startPeer } from './peer.ts';
import { findFreePort, makeScratchDir, type Server } from './processes.ts';
import type { Row } from './report.ts';
import type { Settings } from './settings.ts';

export const couchRowIds = ['couch-user-get', 'couch-pool-get', 'couch-post', 'couch-post-ceiling'] as const;

const database = 'processes';
/**
 * Writes take a server more than a second each under this load: shorter rounds would see few of them,
 * and the rate from the first to the last answer would say little.
 */
const minimumWriteSeconds = 2;

/** One side of an alternation: a load, and what the processes it runs on spent per answered request. */
interface Side {
  measurement: Measurement;
  /** CPU time per expected answer, in µs, by process name (settling time included: it is the round's work too). */
  cpuPerRequest: Record<string, number>;
  /** The CPU time of all of them over the time the side ran: how many cores the bench's processes got. */
  coresBusy: number;
}

/** autocannon runs in the bench's own process: its CPU time is this process's. */
const loadGenerator = 'autocannon';
const readOwnCpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Runs the loads in turn, round by round, as compare.ts does for two (a noisy minute hits every side
 * alike), and reads the CPU time each watched process, and autocannon, used during each side's rounds.
 */
async function alternate(specs: readonly LoadSpec[], watched: readonly Server[], settings: Settings, minimumSeconds = 0): Promise<Side[]> {
  for (const spec of specs) if (!spec.vary) await checkSpec(spec);
  const clocks: [string, () => number][] = [...watched.map((server): [string, () => number] => [server.name, () => server.readCpuMicros()]), [loadGenerator, readOwnCpuMicros]];
  const rounds: Round[][] = specs.map(() => []);
  const cpu = specs.map(() => new Map<string, number>());
  const elapsed = specs.map(() => 0);
  const runSide = async (index: number, seconds: number, counted: boolean) => {
    const before = clocks.map(([, read]) => read());
    const startedAt = performance.now();
    const round = await runTimedRound(specs[index] as LoadSpec, Math.max(seconds, minimumSeconds));
    await settleAfter(round);
    if (!counted) return;
    rounds[index]?.push(round);
    elapsed[index] = (elapsed[index] as number) + (performance.now() - startedAt) * 1000;
    clocks.forEach(([name, read], at) => cpu[index]?.set(name, (cpu[index]?.get(name) ?? 0) + read() - (before[at] as number)));
  };
  if (settings.warmupSeconds > 0) for (let index = 0; index < specs.length; index++) await runSide(index, settings.warmupSeconds, false);
  for (let round = 0; round < settings.rounds; round++) {
    for (let index = 0; index < specs.length; index++) await runSide(index, settings.secondsPerRound, true);
  }
  return specs.map((spec, index) => {
    const measurement = summarize(spec.label, rounds[index] as Round[]);
    const answered = Math.max(1, measurement.expected);
    const used = cpu[index] as Map<string, number>;
    return {
      measurement,
      cpuPerRequest: Object.fromEntries([...used].map(([name, micros]) => [name, micros / answered])),
      coresBusy: [...used.values()].reduce((sum, micros) => sum + micros, 0) / Math.max(1, elapsed[index] as number),
    };
  });
}

function describeCpu(side: Side): string {
  const perProcess = Object.entries(side.cpuPerRequest)
    .filter(([, micros]) => micros >= 1)
    .map(([name, micros]) => `${name} ${Math.round(micros).toLocaleString('en')}`)
    .join(', ');
  return `${perProcess} (together ${side.coresBusy.toFixed(2)} cores busy)`;
}

/** Children of a pool named apart across rounds and sides: each connection writes into a pool of its own. */
function throughputRow(id: string, figure: string, measured: Side, baseline: Side, target: number): Row {
  const ratio = measured.measurement.reqPerSec / baseline.measurement.reqPerSec;
  const answered = measured.measurement.expected > 0 && baseline.measurement.expected > 0;
  return {
    id,
    figure,
    measured: measured.measurement,
    baselineLabel: baseline.measurement.label,
    baseline: baseline.measurement,
    ratio,
    ratioText: answered ? `${ratio.toFixed(2)}` : 'no answers',
    targetText: `≥ ${target.toFixed(2)}`,
    met: answered && ratio >= target,
  };
}

/** The sequence number of the database's latest change: CouchDB's is a string whose number comes first, PouchDB's a number. */
async function readUpdateSeq(url: string): Promise<number> {
  const info = (await expectOk('GET', url)).body as { update_seq?: number | string };
  return Number.parseInt(String(info.update_seq ?? '0'), 10);
}

/**
 * Document bodies as the backends wrote them in their last `limit` writes, without ids and revisions,
 * and of a kind of their own, so that no view or index of the backends counts them.
 */
async function readWrittenBodies(url: string, limit: number): Promise<Record<string, unknown>[]> {
  const answer = await expectOk('GET', `${url}/_changes?descending=true&limit=${limit}&include_docs=true`);
  const results = (answer.body as { results: { doc?: Record<string, unknown> }[] }).results;
  return results.flatMap(({ doc }) => {
    if (!doc || doc._deleted) return [];
    const { _id: _ignoredId, _rev: _ignoredRev, ...body } = doc;
    return [{ ...body, kind: 'bench-copy' }];
  });
}

/**
 * New documents with the bodies given, in turn, each under an id of its own, in the backends' own
 * database: the server pays there what it pays for theirs (its checks of every write read the database's
 * design documents and its size on disk).
 */
function createDocumentWrites(bodies: readonly Record<string, unknown>[]): (request: autocannon.Request) => autocannon.Request {
  let next = 0;
  return (request) => {
    next += 1;
    return { ...request, path: `/${database}/bench-copy:${next}`, body: JSON.stringify(bodies[next % bodies.length]) };
  };
}

/**
 * The most that two processes can reach on this machine when CPU is all that limits: one process
 * serves at most 1/X requests per second (X its CPU per request), and all of them together at most
 * cores/(X + Y + Z), where Y is autocannon's CPU and Z the CouchDB server's per request.
 */
function boundTwoOverOne(one: Side, backend: string, others: readonly string[]): number {
  const own = one.cpuPerRequest[backend] ?? Number.NaN;
  const total = own + others.reduce((sum, name) => sum + (one.cpuPerRequest[name] ?? 0), 0);
  const single = Math.min(1 / own, os.availableParallelism() / total);
  return os.availableParallelism() / total / single;
}

interface Setup {
  settings: Settings;
  a: Server;
  b: Server;
  peer: Server;
  fixture: BackendFixture;
  say: (text: string) => void;
}

const withLoadSplit = (spec: LoadSpec, b: Server): LoadSpec => ({ ...spec, label: spec.label.replace('one backend', 'two backends'), alsoUrls: [b.url] });

async function measureReads(setup: Setup, id: string, what: string, one: LoadSpec): Promise<{ row: Row; note: string }> {
  const { settings, a, b, peer, say } = setup;
  say(`  ${what}: two processes against one…`);
  const [two, single] = (await alternate([withLoadSplit(one, b), one], [a, b, peer], settings)) as [Side, Side];
  const row = throughputRow(id, `${what}, two processes on one CouchDB`, two, single, 1.6);
  const bound = boundTwoOverOne(single, a.name, [loadGenerator, peer.name]);
  say(`    ${row.ratioText} (${Math.round(two.measurement.reqPerSec)} vs ${Math.round(single.measurement.reqPerSec)} req/s; at most ${bound.toFixed(2)} on this CPU)`);
  return {
    row,
    note: `${row.figure}: CPU µs per request, two processes: ${describeCpu(two)}; one: ${describeCpu(single)}; from the latter, ${os.availableParallelism()} cores allow two processes at most ${bound.toFixed(2)}× one`,
  };
}

async function measureWrites(setup: Setup, ids: readonly string[]): Promise<{ rows: Row[]; note: string }> {
  const { settings, a, b, peer, fixture, say } = setup;
  const headers = { 'X-User-Token': fixture.adminToken };
  const poolOf = (index: number) => fixture.putPaths[index % fixture.putPaths.length] as string;
  const one: LoadSpec = {
    label: 'one backend: POST child, a pool per connection',
    url: a.url,
    path: poolOf(0),
    method: 'POST',
    headers,
    body: makeChildBody('check'),
    perConnection: (index) => ({ path: poolOf(index) }),
    vary: createChildVariation('one'),
    connections: settings.connections,
    expectStatus: 200,
  };
  const two: LoadSpec = { ...withLoadSplit(one, b), vary: createChildVariation('two') };
  // What one POST writes, and the documents themselves, from a few POSTs before the measurement.
  const seqBefore = await readUpdateSeq(`${peer.url}/${database}`);
  const samples = 20;
  for (let index = 0; index < samples; index++) await expectOk('POST', `${a.url}${poolOf(index)}`, { headers, body: JSON.parse(makeChildBody(`sample-${index}`)) });
  const writesPerPost = ((await readUpdateSeq(`${peer.url}/${database}`)) - seqBefore) / samples;
  const ceiling: LoadSpec = {
    label: `${peerName}: PUT of the same documents`,
    url: peer.url,
    path: `/${database}/bench-copy:0`,
    method: 'PUT',
    body: '{}',
    vary: createDocumentWrites(await readWrittenBodies(`${peer.url}/${database}`, Math.round(writesPerPost * samples))),
    connections: settings.connections,
    expectStatus: 201,
  };
  say(`  POST of children, two processes against one, and ${peerName} alone as the ceiling (${writesPerPost.toFixed(1)} document writes per POST)…`);
  const [twoSide, oneSide, alone] = (await alternate([two, one, ceiling], [a, b, peer], settings, minimumWriteSeconds)) as [Side, Side, Side];
  const rows: Row[] = [];
  if (ids.includes('couch-post')) rows.push(throughputRow('couch-post', 'POST of children into different pools, two processes on one CouchDB', twoSide, oneSide, 1.5));
  const ceilingPosts = alone.measurement.reqPerSec / writesPerPost;
  const share = twoSide.measurement.reqPerSec / ceilingPosts;
  const serverMs = (oneSide.cpuPerRequest[peer.name] ?? Number.NaN) / 1000;
  if (ids.includes('couch-post-ceiling')) {
    rows.push({
      id: 'couch-post-ceiling',
      figure: `POST of children, two processes, against ${peerName} alone`,
      measured: twoSide.measurement,
      baselineLabel: alone.measurement.label,
      baseline: alone.measurement,
      ratio: share,
      ratioText: `${share.toFixed(2)} of ${Math.round(ceilingPosts)} POST/s (${writesPerPost.toFixed(1)} document writes per POST); ${peerName} CPU ${serverMs.toFixed(1)} ms per POST: one core for ${Math.round(1000 / serverMs)} POST/s`,
      targetText: 'printed: the ceiling',
    });
  }
  for (const row of rows) say(`    ${row.figure}: ${row.ratioText}`);
  const failed = alone.measurement.unexpected > 0 ? ` (${peerName} logged: ${readErrors(path.join(peer.dir, 'log.txt'))})` : '';
  const note = `POST over CouchDB: CPU µs per POST, two processes: ${describeCpu(twoSide)}; one: ${describeCpu(oneSide)}; per document that ${peerName} writes alone: ${describeCpu(alone)}${failed}`;
  return { rows, note };
}

/** The last lines of express-pouchdb's log (one line per request) that tell of an error. */
function readErrors(file: string): string {
  if (!existsSync(file)) return 'no log';
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => /\[error\]| 5\d\d$/.test(line));
  return `${lines.length} error lines, the last: ${lines.slice(-3).join(' / ').slice(0, 600)}`;
}

export async function measureCouchProcesses(settings: Settings, ids: readonly string[], say: (text: string) => void): Promise<{ rows: Row[]; notes: string[] }> {
  const peer = await startPeer(repoRoot, await findFreePort(), makeScratchDir('couch-peer'));
  const env = { DATABASE_URL: `${peer.url}/${database}` };
  const backends: Server[] = [];
  try {
    // One after the other: the first one creates the tree and the admin, which the second then finds.
    for (const name of ['couch-a', 'couch-b']) {
      backends.push(await startBackend({ name, root: settings.backendRoot, port: await findFreePort(), dataDir: makeScratchDir(name), hashConcurrency: 1, env }));
    }
    const [a, b] = backends as [Server, Server];
    say('  preparing users, tokens and pools over CouchDB…');
    const fixture = await prepareBackend(a, settings.connections);
    const setup: Setup = { settings, a, b, peer, fixture, say };
    const rows: Row[] = [];
    const notes = [
      `two processes on one CouchDB: ${os.availableParallelism()} cores shared by ${peerName}, both backends and autocannon (and whatever else runs on the machine: load average ${os.loadavg()[0]?.toFixed(1)} when these rows began); ${peerName} keeps its databases in LevelDB on disk without an fsync per write (leveldown's default: a killed process loses nothing acknowledged, a power cut may lose the last writes); during the one-process rounds the second backend runs idle, following the changes feed`,
    ];
    const reads: [string, string, LoadSpec][] = [
      [
        'couch-user-get',
        'authenticated GET of a user',
        { label: 'one backend: GET user, X-User-Token', url: a.url, path: fixture.userPath, headers: { 'X-User-Token': fixture.userToken }, connections: settings.connections, expectStatus: 200 },
      ],
      ['couch-pool-get', 'anonymous GET of a pool', { label: 'one backend: GET pool, anonymous', url: a.url, path: fixture.poolPath, connections: settings.connections, expectStatus: 200 }],
    ];
    for (const [id, what, one] of reads.filter(([id]) => ids.includes(id))) {
      const { row, note } = await measureReads(setup, id, what, one);
      rows.push(row);
      notes.push(note);
    }
    if (ids.includes('couch-post') || ids.includes('couch-post-ceiling')) {
      const writes = await measureWrites(setup, ids);
      rows.push(...writes.rows);
      notes.push(writes.note);
    }
    return { rows, notes };
  } finally {
    for (const backend of backends.reverse()) await backend.stop();
    await peer.stop();
  }
}
