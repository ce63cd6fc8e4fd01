// The servers the benchmark starts: each its own child process on 127.0.0.1, all stopped on exit, failure or Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Server {
  name: string;
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  port: number;
  pid: number;
  /** A fresh directory of its own, for its data and its log. */
  dir: string;
  logFile: string;
  /** Resident set size of the server process itself (not of its children), in bytes. */
  readRss(): number;
  /** CPU time the server process itself has used so far (user and system), in microseconds. */
  readCpuMicros(): number;
  /** SIGTERM, then SIGKILL if it has not gone after a while. */
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  /** Arguments to `node`. */
  args: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  dir: string;
  /** Any HTTP answer on this path means the server is up. */
  readyPath?: string;
}

const children = new Set<ChildProcess>();
const logs = new Map<string, string>();
let scratchRoot: string | undefined;

/** One temporary directory per run holds every server's directory, so one removal cleans up everything. */
export function makeScratchDir(name: string): string {
  scratchRoot ??= mkdtempSync(path.join(os.tmpdir(), 'adhocracy-bench-'));
  const dir = path.join(scratchRoot, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Asks the kernel for a free loopback port; the tiny race until the server binds it is acceptable here. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Counts a child process among those to stop on exit, for children that are no servers (the seeding). */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export async function startServer(spec: ServerSpec): Promise<Server> {
  const logFile = path.join(spec.dir, 'server.log');
  const log = openSync(logFile, 'a');
  // stdout goes to a file, not a pipe: a pipe nobody drains would stall a server that logs every request.
  const child = spawn(process.execPath, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  trackChild(child);
  logs.set(spec.name, logFile);
  const url = `http://127.0.0.1:${spec.port}`;
  await waitUntilAnswering(child, `${url}${spec.readyPath ?? '/'}`, spec.name, logFile);
  const pid = child.pid as number;
  return {
    name: spec.name,
    url,
    port: spec.port,
    pid,
    dir: spec.dir,
    logFile,
    readRss: () => readRss(pid),
    readCpuMicros: () => readCpuMicros(pid),
    stop: () => stopChild(child),
  };
}

async function waitUntilAnswering(child: ChildProcess, url: string, name: string, logFile: string): Promise<void> {
  // Generous: a backend on a big store brings its indexes up to date before it listens.
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} stopped before it answered (exit ${child.exitCode ?? child.signalCode}):\n${readTail(logFile)}`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${name} did not answer on ${url} within 300 s:\n${readTail(logFile)}`);
}

/** The last error lines each server logged: read before stopAll removes the logs, when something failed. */
export function describeServerErrors(): string {
  return [...logs]
    .flatMap(([name, file]) => {
      if (!existsSync(file)) return [];
      const errors = readFileSync(file, 'utf8').split('\n').filter((line) => /"level":"error"|Error|error:/.test(line));
      return errors.length > 0 ? [`${name} logged:\n${errors.slice(-3).map((line) => `  ${line.slice(0, 2000)}`).join('\n')}`] : [];
    })
    .join('\n');
}

export function readTail(file: string, lines = 20): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
}

function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Linux counts a process's CPU time in clock ticks of 1/100 s (USER_HZ), whatever the kernel's own tick. */
const microsPerTick = 10_000;

function readCpuMicros(pid: number): number {
  // The command name in parentheses may hold spaces; the fields after it are fixed: utime and stime are 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`no CPU times for process ${pid}`);
  return ticks * microsPerTick;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every server still running and removes the scratch directory. */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
  removeScratch();
}

function removeScratch(): void {
  if (scratchRoot) rmSync(scratchRoot, { recursive: true, force: true });
  scratchRoot = undefined;
}

/** Last resort when the benchmark dies or is interrupted: nothing it started may outlive it. */
export function stopAllOnExit(): void {
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
    removeScratch();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the servers the benchmark started\n`);
      stopAll().finally(() => process.exit(130));
    });
  }
}
