// A CouchDB-compatible server (pouchdb-server, in memory) on a free local port, for tests of the HTTP adapter.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface CouchServer {
  url: string;
  stop(): Promise<void>;
}

export async function startCouchServer(): Promise<CouchServer> {
  const port = await freePort();
  // pouchdb-server writes config.json and log.txt where it runs: somewhere of its own, not the repository.
  const directory = await mkdtemp(path.join(os.tmpdir(), 'couch-server-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'pouchdb-server', 'bin', 'pouchdb-server'), '--in-memory', '--port', String(port), '--host', '127.0.0.1', '--no-stdout-logs'],
    { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await rm(directory, { recursive: true, force: true });
      throw new Error(`pouchdb-server did not start: ${errors}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
