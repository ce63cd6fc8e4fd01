// Starting the real server (the build, as npm start runs it, or node --import tsx src/server.ts) as a child process on a port and data directory of the test's choosing.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { trackChild } from '../support/children.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Node's arguments for the server from the sources, through tsx. */
export const fromSources = ['--import', 'tsx', 'src/server.ts'];
/**
 * Node's arguments for the server from the build, as `npm start` runs it: what the tests start unless
 * told otherwise, since it is what runs in production and starts with about 0.7 s less CPU than through
 * tsx. test/support/build.ts builds the sources as they are now before mocha runs a test; a script run
 * on its own calls buildDist() first.
 */
export const fromBuild = ['dist/src/server.js'];

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves to the exit code once it has exited (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Sends the signal and resolves to the exit code once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resident memory in KiB, from /proc (Linux); undefined elsewhere. */
  residentKiB(): number | undefined;
}

/** Removes a data directory, which holds the store and the index databases PouchDB adds to it. */
export async function removeDataDir(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Spawns the server without waiting for it; `env` adds to the parent's environment. */
export function spawnServer(port: number, env: Record<string, string>, nodeArgs: readonly string[] = fromBuild): ServerProcess {
  const child = trackChild(
    spawn(process.execPath, nodeArgs, {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, HASH_CONCURRENCY: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    `server on port ${port}`,
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    residentKiB() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
        return match ? Number(match[1]) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** Resolves once the server logged that it listens; rejects if it exits or takes longer than `timeoutMs`. */
export async function waitForListening(server: ServerProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!server.output().includes('"event":"listening"')) {
    if (server.child.exitCode !== null) throw new Error(`the server exited with ${server.child.exitCode}: ${server.output()}`);
    if (Date.now() > deadline) throw new Error(`the server did not start within ${timeoutMs} ms: ${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startServer(port: number, env: Record<string, string>): Promise<ServerProcess> {
  const server = spawnServer(port, env);
  await waitForListening(server);
  return server;
}
