// A fresh app on PouchDB's memory adapter with a clock the test moves: the same code path as production.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { createApp, type App } from '../../src/app.ts';
import { createManualClock } from '../../src/clock.ts';
import { readConfig, type Config } from '../../src/config.ts';
import { silentLogger, type Logger } from '../../src/log.ts';
import type { PouchLocation } from '../../src/storage/pouchdb.ts';
import { sharedHashProcesses } from './hash-processes.ts';

export interface TestApp {
  app: App;
  /** Where its store is, for a second app or storage on the same database. */
  database: PouchLocation;
  http: supertest.Agent;
  clock: ReturnType<typeof createManualClock>;
  close(): Promise<void>;
}

export const publicUrl = 'http://localhost:6541';

/** `env` takes the same variables as the server, e.g. `{ TOKEN_IDLE_SECONDS: '60' }`. */
export interface TestAppOptions {
  env?: Record<string, string>;
  log?: Logger;
  clockStart?: number;
  /** A CouchDB-compatible server's base URL: the app then gets a fresh database there, over HTTP. */
  couchUrl?: string;
  /** With couchUrl, this database instead of a fresh one: apps given the same name share their data. */
  couchDatabase?: string;
  /** A directory for an embedded LevelDB store instead of memory; the caller removes it. */
  directory?: string;
  /** An existing store, such as another test app's database over HTTP. */
  database?: PouchLocation;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // Mails go to DATA_DIR/outbox/: a directory of the app's own, removed on close, unless the test gives one.
  const dataDir = options.env?.DATA_DIR ?? options.directory ?? (await mkdtemp(path.join(os.tmpdir(), 'test-app-')));
  const ownsDataDir = options.env?.DATA_DIR === undefined && options.directory === undefined;
  const config: Config = readConfig({ PUBLIC_URL: publicUrl, HASH_CONCURRENCY: '1', DATA_DIR: dataDir, ...options.env });
  const clock = createManualClock(options.clockStart);
  const database: PouchLocation =
    options.database ??
    (options.couchUrl
      ? { adapter: 'http', url: `${options.couchUrl}/${options.couchDatabase ?? `test-${randomUUID()}`}` }
      : options.directory
        ? { adapter: 'leveldb', directory: options.directory }
        : { adapter: 'memory', name: `test-${randomUUID()}` });
  const app = await createApp({ config, clock, log: options.log ?? silentLogger, database, hashProcesses: sharedHashProcesses });
  const close = async () => {
    await app.close();
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
  };
  return { app, database, http: supertest.agent(app.express), clock, close };
}

export const ids = {
  user: 'adhocracy_core.resources.principal.IUser',
  basicPool: 'adhocracy_core.resources.pool.IBasicPool',
  userBasic: 'adhocracy_core.sheets.principal.IUserBasic',
  userExtended: 'adhocracy_core.sheets.principal.IUserExtended',
  password: 'adhocracy_core.sheets.principal.IPasswordAuthentication',
  permissions: 'adhocracy_core.sheets.principal.IPermissions',
  metadata: 'adhocracy_core.sheets.metadata.IMetadata',
  name: 'adhocracy_core.sheets.name.IName',
  pool: 'adhocracy_core.sheets.pool.IPool',
  title: 'adhocracy_core.sheets.title.ITitle',
  aliases: 'adhocracy_ts.sheets.principal.IAliases',
} as const;

export function registrationBody(name: string, email: string, password = 'EckVocUbs3') {
  return {
    content_type: ids.user,
    data: {
      [ids.userBasic]: { name },
      [ids.userExtended]: { email },
      [ids.password]: { password },
    },
  };
}

/** Registers and logs in a user; answers its path and token. */
export async function registerAndLogIn(http: supertest.Agent, name: string, email = `${name.toLowerCase().replace(/\W/g, '')}@example.org`, password = 'EckVocUbs3') {
  const registered = await http.post('/principals/users').send(registrationBody(name, email, password)).expect(200);
  const login = await http.post('/login_username').send({ name, password }).expect(200);
  return { path: registered.body.path as string, token: login.body.user_token as string };
}
