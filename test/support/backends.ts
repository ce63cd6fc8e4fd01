// The stores every storage test runs against: memory, LevelDB on disk, and CouchDB over HTTP (one CouchDB server per test file, started when first needed).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PouchLocation } from '../../src/storage/pouchdb.ts';
import { startCouchServer, type CouchServer } from './couch-server.ts';

export interface Backend {
  name: string;
  open(): Promise<{ location: PouchLocation; cleanUp: () => Promise<void> }>;
}

/** The backends, each database named `<prefix>-<uuid>`; call `stop` after the tests to stop the server it started. */
export function storageBackends(prefix: string): { backends: Backend[]; couchUrl(): Promise<string>; stop(): Promise<void> } {
  let couch: Promise<CouchServer> | undefined;
  const couchUrl = async () => (await (couch ??= startCouchServer())).url;
  return {
    couchUrl,
    backends: [
      { name: 'memory', open: async () => ({ location: { adapter: 'memory', name: `${prefix}-${randomUUID()}` }, cleanUp: async () => undefined }) },
      {
        name: 'leveldb',
        open: async () => {
          const directory = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
          return { location: { adapter: 'leveldb', directory }, cleanUp: () => rm(directory, { recursive: true, force: true }) };
        },
      },
      {
        name: 'CouchDB over HTTP',
        open: async () => ({ location: { adapter: 'http', url: `${await couchUrl()}/${prefix}-${randomUUID()}` }, cleanUp: async () => undefined }),
      },
    ],
    async stop() {
      await (await couch)?.stop();
    },
  };
}
