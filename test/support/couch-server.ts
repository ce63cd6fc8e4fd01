// A CouchDB-compatible server (express-pouchdb, in memory, see couch-server-process.ts) on a free local port, for tests of the HTTP adapter.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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

export interface CouchServer {
  url: string;
  stop(): Promise<void>;
}

export async function startCouchServer(): Promise<CouchServer> {
  const port = await freePort();
  // It writes its log where it runs: somewhere of its own, not the repository.
  const directory = await mkdtemp(path.join(os.tmpdir(), 'couch-server-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', tsxLoader, path.join(root, 'test', 'support', 'couch-server-process.ts'), '--port', String(port)], {
    cwd: directory,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
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
      throw new Error(`the CouchDB-compatible server did not start: ${errors}`);
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
