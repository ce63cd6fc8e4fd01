// The stores every storage test runs against: memory, LevelDB on disk, and CouchDB over HTTP (one CouchDB server per test file, started when first needed).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PouchLocation } from '../../src/storage/pouchdb.ts';
import { startCouchServer, type CouchServer } from './couch-server.ts';
import type { TestAppOptions } from './test-app.ts';

export interface Backend {
  name: string;
  open(): Promise<{ location: PouchLocation; cleanUp: () => Promise<void> }>;
}

/** The backends, each database named `<prefix>-<uuid>`; call `stop` after the tests to stop the server it started. */
export function storageBackends(prefix: string): { backends: Backend[]; couchUrl(): Promise<string>; stop(): Promise<void> } {
  let couch: Promise<CouchServer> | undefined;
  // On disk, as a CouchDB server is run: its answers come back in the timing (and order) LevelDB gives them.
  const couchUrl = async () => (await (couch ??= startCouchServer({ onDisk: true }))).url;
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

/** A store a race test of the whole app runs on, with how many rounds it runs there. */
export interface AppStore {
  name: string;
  rounds: number;
  options(): Promise<{ options: TestAppOptions; cleanUp: () => Promise<void> }>;
}

/**
 * Memory, LevelDB in a directory named after `prefix`, and a CouchDB server of its own, where each
 * round is slower: `rounds` there divided by `couchDivisor`.
 */
export function appStores(prefix: string, rounds: number, couchDivisor: number): AppStore[] {
  return [
    { name: 'memory', rounds, options: async () => ({ options: {}, cleanUp: async () => undefined }) },
    {
      name: 'leveldb',
      rounds,
      options: async () => {
        const directory = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
        return { options: { directory }, cleanUp: () => rm(directory, { recursive: true, force: true }) };
      },
    },
    {
      name: 'express-pouchdb',
      rounds: Math.ceil(rounds / couchDivisor),
      options: async () => {
        const couch = await startCouchServer();
        return { options: { couchUrl: couch.url }, cleanUp: () => couch.stop() };
      },
    },
  ];
}
