// Run as a process: a CouchDB-compatible server (express-pouchdb, the core of pouchdb-server) for the HTTP adapter's tests and the bench.
// node --import tsx test/support/couch-server-process.ts --port <port> [--dir <directory>]
// Without --dir the databases live in memory; with it, on disk in that directory (LevelDB), with its
// configuration and log beside them; without --dir its log is written in its working directory. It speaks CouchDB's whole protocol as pouchdb-server does: documents, _bulk_docs,
// _all_docs, _changes, views, _find and _index, _users, _session, _security and _config.
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RequestListener } from 'node:http';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';

/** What express-pouchdb exports (it ships no types): an express application built around a PouchDB constructor. */
type ExpressPouchDB = (pouchDB: ReturnType<typeof PouchDB.defaults>, options: { inMemoryConfig?: boolean; configPath?: string; logPath?: string }) => RequestListener & {
  listen(port: number, host: string, callback: () => void): import('node:http').Server;
};

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' }, dir: { type: 'string' } } });
if (!values.port) throw new Error('--port is required');
const expressPouchDB = createRequire(import.meta.url)('express-pouchdb') as ExpressPouchDB;

PouchDB.plugin(memoryAdapter);
const directory = values.dir ? path.resolve(values.dir) : undefined;
const databases = directory ? PouchDB.defaults({ prefix: directory + path.sep }) : PouchDB.defaults({ adapter: 'memory' });
// What /_config changes (admins, say) lives as long as the databases: on disk beside them with --dir (so
// that a restart keeps its admins, as CouchDB's does), in memory without.
const app = expressPouchDB(
  databases,
  directory ? { configPath: path.join(directory, 'config.json'), logPath: path.join(directory, 'log.txt') } : { inMemoryConfig: true },
);
app.listen(Number(values.port), values.host, () => process.stdout.write(`listening on ${values.host}:${values.port}\n`));
