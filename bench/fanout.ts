// WebSocket fan-out: one change reaching 1,000 subscribed connections, the memory of 10,000 idle authenticated ones, and delivery from one process to another over pouchdb-server.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { admin, repoRoot, sheet, startBackend } from './backend.ts';
import { expectOk, readField } from './http.ts';
import type { Measurement } from './load.ts';
import { startPeer } from './peer.ts';
import { findFreePort, makeScratchDir, type Server } from './processes.ts';
import type { Row } from './report.ts';
import type { Settings } from './settings.ts';

export const fanoutRowIds = ['ws-fanout', 'ws-idle-rss', 'ws-cross-process'] as const;

/** Room for every connection the bench opens from 127.0.0.1. */
const wsEnv = { WS_MAX_CONNECTIONS_PER_ADDRESS: '20000' };
/** Connections opened at once: more would only fill the listen backlog. */
const openingBatch = 100;
/** How long a change may take to reach a connection before it counts as not delivered. */
const deliveryTimeoutMs = 10_000;

const formatMiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function pickPercentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] as number;
}

function toLatencyMeasurement(label: string, latencies: number[], missed: number): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    label,
    reqPerSec: Number.NaN,
    p50Ms: pickPercentile(sorted, 0.5),
    p99Ms: pickPercentile(sorted, 0.99),
    unexpected: missed,
    expected: latencies.length,
    statuses: {},
    rounds: [],
  };
}

/** A connection that calls `onMessage` with each message and its arrival time. */
async function openConnection(wsUrl: string, onMessage: (message: Record<string, unknown>, at: number) => void): Promise<WebSocket> {
  const socket = new WebSocket(wsUrl);
  socket.on('message', (data) => onMessage(JSON.parse(data.toString()) as Record<string, unknown>, performance.now()));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

/** Opens `count` connections, each sending `first` and waiting for its answer; in batches. */
async function openMany(wsUrl: string, count: number, first: unknown, onEvent: (index: number, message: Record<string, unknown>, at: number) => void): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let start = 0; start < count; start += openingBatch) {
    const batch = Array.from({ length: Math.min(openingBatch, count - start) }, async (_, offset) => {
      const index = start + offset;
      let answered: (message: Record<string, unknown>) => void = () => undefined;
      const answer = new Promise<Record<string, unknown>>((resolve) => (answered = resolve));
      const socket = await openConnection(wsUrl, (message, at) => ('status' in message || 'error' in message ? answered(message) : onEvent(index, message, at)));
      socket.send(JSON.stringify(first));
      const answerMessage = await answer;
      if (answerMessage.status !== 'ok') throw new Error(`connection ${index} was answered ${JSON.stringify(answerMessage)}`);
      return socket;
    });
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

async function createPool(url: string, token: string, name: string): Promise<string> {
  const answer = await expectOk('POST', `${url}/`, { headers: { 'X-User-Token': token }, body: { content_type: 'adhocracy_core.resources.pool.IBasicPool', data: { [sheet.name]: { name } } } });
  return new URL(readField(answer, 'path')).pathname;
}

const logInAdmin = async (url: string) => readField(await expectOk('POST', `${url}/login_username`, { body: { name: admin.name, password: admin.password } }), 'user_token');

/**
 * Changes the pool's title `changes` times through `writer`, one after another, each once every
 * connection heard of the last; answers how long after each PUT was sent each connection heard of it.
 */
async function measureDeliveries(writer: Server, token: string, pool: string, sockets: number, changes: number, received: Map<number, number>[]): Promise<{ latencies: number[]; missed: number }> {
  const latencies: number[] = [];
  let missed = 0;
  for (let change = 0; change < changes; change++) {
    const heard = new Map<number, number>();
    received[change] = heard;
    const sentAt = performance.now();
    await expectOk('PUT', `${writer.url}${pool}`, { headers: { 'X-User-Token': token }, body: { data: { [sheet.title]: { title: `change ${change}` } } } });
    const deadline = Date.now() + deliveryTimeoutMs;
    while (heard.size < sockets && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
    for (const at of heard.values()) latencies.push(at - sentAt);
    missed += sockets - heard.size;
  }
  return { latencies, missed };
}

/** Records, for each change in turn, when each connection heard that the pool was modified. */
function recordModified(pool: string, received: Map<number, number>[]) {
  return (index: number, message: Record<string, unknown>, at: number) => {
    if (message.event !== 'modified' || !String(message.resource).endsWith(pool)) return;
    const current = received.at(-1);
    if (current && !current.has(index)) current.set(index, at);
  };
}

function closeAll(sockets: readonly WebSocket[]): void {
  for (const socket of sockets) socket.terminate();
}

async function measureOneProcess(settings: Settings, say: (text: string) => void): Promise<Row> {
  const count = settings.quick ? 200 : 1_000;
  const changes = settings.quick ? 5 : 30;
  const server = await startBackend({ name: 'fanout', root: settings.backendRoot, port: await findFreePort(), dataDir: makeScratchDir('fanout'), hashConcurrency: 1, env: wsEnv });
  try {
    const token = await logInAdmin(server.url);
    const pool = await createPool(server.url, token, 'fanout');
    const received: Map<number, number>[] = [];
    say(`  ${count} connections subscribing to one pool…`);
    const sockets = await openMany(`ws://127.0.0.1:${server.port}/websocket`, count, { action: 'subscribe', resource: pool }, recordModified(pool, received));
    say(`  ${changes} changes to it, one after another…`);
    const { latencies, missed } = await measureDeliveries(server, token, pool, count, changes, received);
    closeAll(sockets);
    const measured = toLatencyMeasurement(`backend: PUT of a pool, ${count} subscribed connections`, latencies, missed);
    return {
      id: 'ws-fanout',
      figure: `one change to a pool, ${count.toLocaleString('en')} subscribed WebSocket connections`,
      measured,
      baselineLabel: 'from the PUT sent to each connection hearing modified',
      ratioText: `p99 ${measured.p99Ms.toFixed(1)} ms over ${latencies.length.toLocaleString('en')} deliveries${missed > 0 ? `, ${missed} missed` : ''}`,
      targetText: 'p99 ≤ 50 ms, none missed',
      met: measured.p99Ms <= 50 && missed === 0,
    };
  } finally {
    await server.stop();
  }
}

async function measureIdleMemory(settings: Settings, say: (text: string) => void): Promise<Row> {
  const count = settings.quick ? 1_000 : 10_000;
  const boundBytes = (200 * 1024 * 1024 * count) / 10_000;
  const server = await startBackend({ name: 'idle-sockets', root: settings.backendRoot, port: await findFreePort(), dataDir: makeScratchDir('idle-sockets'), hashConcurrency: 1, env: wsEnv });
  try {
    const token = await logInAdmin(server.url);
    const wsUrl = `ws://127.0.0.1:${server.port}/websocket`;
    // Warm: the first connections load the WebSocket code and the session.
    closeAll(await openMany(wsUrl, 50, { action: 'authenticate', token }, () => undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = server.readRss();
    say(`  ${count.toLocaleString('en')} idle authenticated connections…`);
    const sockets = await openMany(wsUrl, count, { action: 'authenticate', token }, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = server.readRss();
    closeAll(sockets);
    const growth = after - before;
    return {
      id: 'ws-idle-rss',
      figure: `RSS of ${count.toLocaleString('en')} idle authenticated WebSocket connections`,
      measured: toLatencyMeasurement('backend: idle connections', [], 0),
      baselineLabel: `RSS before: ${formatMiB(before)}`,
      ratioText: `${formatMiB(after)}, +${formatMiB(growth)} (${(growth / count / 1024).toFixed(1)} KiB each)`,
      targetText: `growth ≤ ${formatMiB(boundBytes)}`,
      met: growth <= boundBytes,
    };
  } finally {
    await server.stop();
  }
}

async function measureAcrossProcesses(settings: Settings, say: (text: string) => void): Promise<Row | undefined> {
  const count = settings.quick ? 50 : 200;
  const changes = settings.quick ? 5 : 20;
  const peerDir = makeScratchDir('fanout-peer');
  const peer = await startPeer(repoRoot, await findFreePort(), peerDir);
  const env = { ...wsEnv, DATABASE_URL: `${peer.url}/fanout` };
  const writer = await startBackend({ name: 'fanout-a', root: settings.backendRoot, port: await findFreePort(), dataDir: makeScratchDir('fanout-a'), hashConcurrency: 1, env });
  const reader = await startBackend({ name: 'fanout-b', root: settings.backendRoot, port: await findFreePort(), dataDir: makeScratchDir('fanout-b'), hashConcurrency: 1, env });
  try {
    const token = await logInAdmin(writer.url);
    const pool = await createPool(writer.url, token, 'fanout');
    const received: Map<number, number>[] = [];
    say(`  ${count} connections on one process, changes through the other…`);
    const sockets = await openMany(`ws://127.0.0.1:${reader.port}/websocket`, count, { action: 'subscribe', resource: pool }, recordModified(pool, received));
    const { latencies, missed } = await measureDeliveries(writer, token, pool, count, changes, received);
    closeAll(sockets);
    const measured = toLatencyMeasurement(`backend B: PUT through backend A, ${count} connections on B`, latencies, missed);
    return {
      id: 'ws-cross-process',
      figure: `a change through one process to ${count} connections on another, over pouchdb-server`,
      measured,
      baselineLabel: 'from the PUT sent to A to each connection on B hearing modified',
      ratioText: `p99 ${measured.p99Ms.toFixed(1)} ms over ${latencies.length.toLocaleString('en')} deliveries${missed > 0 ? `, ${missed} missed` : ''}`,
      targetText: 'p99 ≤ 500 ms, none missed',
      met: measured.p99Ms <= 500 && missed === 0,
    };
  } finally {
    await reader.stop();
    await writer.stop();
    await peer.stop();
  }
}

/** The rows of `ids` among fanoutRowIds, each measured on backends of its own. */
export async function measureFanout(settings: Settings, ids: readonly string[], say: (text: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  if (ids.includes('ws-fanout')) {
    say('WebSocket fan-out in one process…');
    rows.push(await measureOneProcess(settings, say));
  }
  if (ids.includes('ws-idle-rss')) {
    say('memory of idle WebSocket connections…');
    rows.push(await measureIdleMemory(settings, say));
  }
  if (ids.includes('ws-cross-process')) {
    say('WebSocket delivery across processes over pouchdb-server…');
    const row = await measureAcrossProcesses(settings, say);
    if (row) rows.push(row);
  }
  for (const row of rows) say(`  ${row.figure}: ${row.ratioText} (${row.targetText})`);
  return rows;
}
