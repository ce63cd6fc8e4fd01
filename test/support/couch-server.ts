// A CouchDB-compatible server (express-pouchdb, see couch-server-process.ts) on a free local port, for tests of the HTTP adapter; it can be halted and resumed like an outage.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { trackChild } from './children.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
// It runs somewhere of its own, where `--import tsx` would not find tsx.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface CouchServerOptions {
  /** Keep the databases on disk, so that they outlive halt() and resume(); in memory otherwise. */
  onDisk?: boolean;
}

export interface CouchServer {
  url: string;
  /** Stops the server for good and removes its directory. */
  stop(): Promise<void>;
  /** Kills the server process, as an outage would; what it keeps on disk stays. */
  halt(): Promise<void>;
  /** Starts the server again on the same port, and resolves once it answers. */
  resume(): Promise<void>;
}

export async function startCouchServer(options: CouchServerOptions = {}): Promise<CouchServer> {
  const port = await freePort();
  // It writes its log where it runs: somewhere of its own, not the repository, and the same place again on resume().
  const directory = await mkdtemp(path.join(os.tmpdir(), 'couch-server-'));
  const url = `http://127.0.0.1:${port}`;
  const storageArguments = options.onDisk ? ['--dir', path.join(directory, 'data')] : [];
  if (options.onDisk) await mkdir(path.join(directory, 'data'));
  let child: ChildProcess | undefined;

  const launch = async () => {
    const started = spawn(
      process.execPath,
      ['--import', tsxLoader, path.join(root, 'test', 'support', 'couch-server-process.ts'), ...storageArguments, '--port', String(port)],
      { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = trackChild(started, `CouchDB server on port ${port}`);
    let errors = '';
    started.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        if ((await fetch(url)).ok) return;
      } catch {
        // Not listening yet.
      }
      if (started.exitCode !== null || Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(`the CouchDB-compatible server did not start: ${errors}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const kill = async (signal: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    }
  };

  try {
    await launch();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    async stop() {
      await kill('SIGTERM');
      await rm(directory, { recursive: true, force: true });
    },
    halt: () => kill('SIGKILL'),
    resume: launch,
  };
}
