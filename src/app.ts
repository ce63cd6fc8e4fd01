// createApp(): the one place that wires storage, registry, authentication and routes into an express app.
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { createLockout } from './auth/lockout.ts';
import { createPasswordHasher } from './auth/password-hasher.ts';
import { createPasswords } from './auth/passwords.ts';
import { createSessions } from './auth/sessions.ts';
import { ensureAdmin, ensureInitialTree, migrateUniqueKeys, usersPoolPath } from './bootstrap.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createLive } from './live/live.ts';
import { describeError, silentLogger, type Logger } from './log.ts';
import { createLogin } from './model/login.ts';
import { createResourceService } from './model/resources.ts';
import { createRegistry, loadSheets } from './registry.ts';
import { builtinResourceTypes } from './resources/index.ts';
import { createCors } from './rest/cors.ts';
import { createDispatcher } from './rest/dispatch.ts';
import { createErrorHandler } from './rest/error-handler.ts';
import { createRequestLog } from './rest/request-log.ts';
import { routes, viewNames } from './rest/routes.ts';
import type { Services } from './rest/services.ts';
import { openPouchStorage, type PouchLocation } from './storage/pouchdb.ts';
import { StorageUnavailableError } from './storage/storage.ts';
import { createPathCodec } from './tree/path.ts';

export const defaultSheetsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'sheets');

export interface AppOptions {
  config: Config;
  database: PouchLocation;
  clock?: Clock;
  log?: Logger;
  sheetsDirectory?: string;
}

export interface App {
  express: Express;
  services: Services;
  /** Answers WebSocket handshakes at /websocket on an http server: live change notifications (docs/websockets.md). */
  acceptWebSockets(server: Server): void;
  /** Closes every WebSocket connection with 1001 (an http server closes only once they are gone). */
  closeWebSockets(): Promise<void>;
  /** Closes the WebSocket connections, stops background work, writes what is pending and closes the database. */
  close(): Promise<void>;
}

/** How long the journal of a transaction is kept for connections that resume from the store's feed. */
const journalRetentionMs = 60 * 60 * 1000;

export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;

  const registry = createRegistry({
    sheets: await loadSheets(options.sheetsDirectory ?? defaultSheetsDirectory),
    resourceTypes: builtinResourceTypes,
    reservedNames: viewNames,
  });
  const storage = await openPouchStorage(options.database, {
    indexKeys: [...registry.indexedFields.keys()],
    onAvailabilityChange: (answering, cause) => (answering ? log.info('storage_available') : log.error('storage_unavailable', { cause })),
  });
  // An outage is logged when it starts and ends (above), not again by every write it makes fail.
  const logFailure = (event: string) => (error: unknown) => error instanceof StorageUnavailableError || log.error(event, describeError(error));
  const codec = createPathCodec(config.publicUrl);
  const hasher = createPasswordHasher({
    params: config.argon2,
    concurrency: config.hashConcurrency,
    maxQueue: config.hashQueue,
    maxPerClient: config.hashQueuePerAddress,
  });
  const sessions = createSessions({
    storage,
    clock,
    policy: config.sessions,
    usersPool: usersPoolPath,
    onBackgroundError: logFailure('session_touch_failed'),
  });
  const onEvent = (event: string, fields: Record<string, unknown>) => log.info(event, fields);
  const passwords = createPasswords(registry, hasher);
  const lockout = createLockout(config.lockout, clock, storage);
  const resources = createResourceService({ storage, registry, passwords, sessions, clock, codec, onEvent });
  const login = createLogin({
    resources,
    storage,
    passwords,
    hasher,
    sessions,
    lockout,
    onEvent,
  });
  const services: Services = { config, registry, storage, codec, clock, log, hasher, passwords, sessions, resources, login };

  try {
    await ensureInitialTree(storage, registry, new Date(clock.now()).toISOString());
    if (config.admin) await ensureAdmin({ admin: config.admin, storage, registry, resources, log, passwordPolicy: config.password });
  } catch (error) {
    await hasher.close();
    await storage.close();
    throw error;
  }

  // Over CouchDB, what a stopped process left of a transaction is rolled back or finished; readers see
  // each transaction whole or not at all meanwhile.
  const finishTransactions = () =>
    storage.finishTransactions(clock.now()).then(
      (finished) => finished > 0 && log.info('transactions_finished', { finished }),
      (error: unknown) => log.error('transactions_finish_failed', describeError(error)),
    );
  const finishing = finishTransactions();

  // Following the store's changes from the start, so that connections that come back find what they missed.
  const live = createLive({ storage, registry, codec, sessions, passwords, clock, log, config });

  // Old stores are migrated while the server already answers; closing waits for it.
  const migration = migrateUniqueKeys({ storage, resources, log }).catch((error: unknown) => log.error('unique_keys_migration_failed', describeError(error)));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(createRequestLog(log));
  app.use(createCors(config.corsOrigins));
  app.use(createDispatcher(routes, services));
  app.use(createErrorHandler(log));

  const sweeper = setInterval(() => {
    sessions.sweep().then(
      (deleted) => deleted > 0 && log.info('sessions_swept', { deleted }),
      logFailure('session_sweep_failed'),
    );
    lockout.sweep().then(
      (deleted) => deleted > 0 && log.info('lockout_counts_swept', { deleted }),
      (error: unknown) => log.error('lockout_sweep_failed', describeError(error)),
    );
    storage.deleteJournalsBefore(clock.now() - journalRetentionMs).catch(logFailure('journal_sweep_failed'));
    finishTransactions();
  }, config.sweepSeconds * 1000);
  sweeper.unref();

  return {
    express: app,
    services,
    acceptWebSockets: (server) => live.accept(server),
    closeWebSockets: () => live.closeConnections(),
    async close() {
      await live.close();
      clearInterval(sweeper);
      await migration;
      await finishing;
      await sessions.flush();
      await hasher.close();
      await storage.close();
    },
  };
}
