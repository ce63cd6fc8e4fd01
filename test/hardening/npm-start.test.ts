// `npm start` as a process manager runs it: from the build, stopped by SIGTERM to npm's process, with nothing left behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, fromBuild, removeDataDir, spawnServer, waitForListening } from './server-process.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
/** Set by `npm run test:slow`: the longest a start on an empty data directory may take, median of the runs below. */
const startUpLimitMs = process.env.START_UP_LIMIT_MS === undefined ? undefined : Number(process.env.START_UP_LIMIT_MS);
const startUpRuns = 5;

interface ProcessInfo {
  pid: number;
  command: string;
}

/** State and parent of a process from /proc (Linux), or undefined once it is gone. */
function readProcStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces; the fields after its closing parenthesis do not.
    const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** A zombie has exited and only waits for its parent to read its status: it runs no code and holds no port. */
function isRunning(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** Every process below `pid`, children first found through their parent in /proc. */
function listDescendants(pid: number): ProcessInfo[] {
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat) childrenOf.set(stat.ppid, [...(childrenOf.get(stat.ppid) ?? []), Number(entry)]);
  }
  const found: ProcessInfo[] = [];
  const visit = (parent: number) => {
    for (const child of childrenOf.get(parent) ?? []) {
      let command = '';
      try {
        command = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {
        // Gone meanwhile.
      }
      found.push({ pid: child, command });
      visit(child);
    }
  };
  visit(pid);
  return found;
}

async function waitUntil(isDone: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isDone())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

async function isRefusingConnections(port: number): Promise<boolean> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  const outcome = await new Promise<string | undefined>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
  socket.destroy();
  return outcome === 'ECONNREFUSED';
}

describe('hardening/npm start', function () {
  this.timeout(120_000);
  let dataDir: string;

  // The build it starts is of the sources as they are now: test/support/build.ts makes it before the tests run.
  before(function () {
    if (process.platform !== 'linux') this.skip();
  });
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'adhocracy-npm-start-'));
  });
  afterEach(async () => {
    await removeDataDir(dataDir);
  });

  it('stops npm, the server and its hashing processes on SIGTERM to npm, and frees the port', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: root,
      // The admin, created at start-up, has its password hashed: the hashing process is running from then on.
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin password 1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    let tree: ProcessInfo[] = [];
    try {
      const answering = await waitUntil(async () => {
        if (npm.exitCode !== null) return true;
        return fetch(`http://127.0.0.1:${port}/`).then((response) => response.ok, () => false);
      }, 60_000);
      assert.ok(answering && npm.exitCode === null, `npm start did not answer: ${output}`);
      tree = listDescendants(npm.pid as number);
      assert.ok(tree.some((member) => member.command.endsWith('dist/src/server.js')), `no server from the build below npm: ${JSON.stringify(tree)}`);
      assert.ok(tree.some((member) => member.command.endsWith('dist/src/auth/hash-worker.js')), `no hashing process below npm: ${JSON.stringify(tree)}`);

      npm.kill('SIGTERM');
      const [code, signal] = await exited;
      const allGone = await waitUntil(() => tree.every((member) => !isRunning(member.pid)), 10_000);
      assert.ok(allGone, `left running: ${JSON.stringify(tree.filter((member) => isRunning(member.pid)))}`);
      assert.ok(await isRefusingConnections(port), `port ${port} still open`);
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, output);
      assert.match(output, /"event":"stopping","signal":"SIGTERM"/);
    } finally {
      // Whatever failed above, nothing this test started outlives it.
      for (const member of [{ pid: npm.pid as number, command: 'npm' }, ...tree]) {
        if (isRunning(member.pid)) process.kill(member.pid, 'SIGKILL');
      }
    }
  });

  it('starts from the build and listens on an empty data directory (how long it took is printed; test:slow holds it to START_UP_LIMIT_MS)', async () => {
    const took: number[] = [];
    for (let run = 0; run < startUpRuns; run += 1) {
      const directory = path.join(dataDir, `run-${run}`);
      const started = performance.now();
      const server = spawnServer(await freePort(), { DATA_DIR: directory }, fromBuild);
      try {
        await waitForListening(server);
        took.push(performance.now() - started);
      } finally {
        assert.equal(await server.stop(), 0, server.output());
      }
    }
    const median = [...took].sort((a, b) => a - b)[startUpRuns >> 1] as number;
    console.log(`      from spawning node to listening on an empty data directory: median ${Math.round(median)} ms (${took.map(Math.round).join(', ')} ms)`);
    if (startUpLimitMs !== undefined) assert.ok(median < startUpLimitMs, `start-up took ${Math.round(median)} ms, more than ${startUpLimitMs} ms`);
  });
});
