// createApp(): the one place that wires storage, registry, authentication and routes into an express app.
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { createLockout } from './auth/lockout.ts';
import { createLockoutSettings } from './auth/lockout-settings.ts';
import { createServiceKeys } from './auth/service-keys.ts';
import { createRateLimiter } from './auth/rate-limit.ts';
import { createPasswordHasher, type HashProcesses } from './auth/password-hasher.ts';
import { createPasswords } from './auth/passwords.ts';
import { createSessions } from './auth/sessions.ts';
import { ensureAdmin, ensureInitialTree, migrateUniqueKeys, usersPoolPath } from './bootstrap.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createLive } from './live/live.ts';
import { describeError, silentLogger, type Logger } from './log.ts';
import { createOutbox, type OutboxEvents } from './mail/outbox.ts';
import { loadMailTemplates } from './mail/templates.ts';
import { createMailTransport } from './mail/transport.ts';
import { createAccountDeletion } from './model/account-deletion.ts';
import { createAccountKeys } from './model/account-keys.ts';
import { createAccountMails } from './model/account-mails.ts';
import { createAccounts } from './model/accounts.ts';
import { createLogin } from './model/login.ts';
import { createPendingChanges } from './model/pending-changes.ts';
import { createResourceService } from './model/resources.ts';
import { createUniqueValues } from './model/unique-values.ts';
import { createRegistry, loadSheets } from './registry.ts';
import { builtinResourceTypes } from './resources/index.ts';
import { createCors } from './rest/cors.ts';
import { createDispatcher } from './rest/dispatch.ts';
import { createErrorHandler } from './rest/error-handler.ts';
import { explorerName, serveExplorer } from './rest/explorer.ts';
import { queryParameters } from './rest/pool-query.ts';
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
  /** Password hashing processes shared with other apps of this process, such as a test suite's; by default the app forks its own. */
  hashProcesses?: HashProcesses;
}

export interface App {
  express: Express;
  services: Services;
  /** What runs every SESSION_SWEEP_SECONDS, at once. */
  sweep(): Promise<void>;
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
    reservedNames: [...viewNames, explorerName],
    queryParameters,
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
    processes: options.hashProcesses,
  });
  const sessions = createSessions({
    storage,
    clock,
    policy: config.sessions,
    usersPool: usersPoolPath,
    onBackgroundError: logFailure('session_touch_failed'),
  });
  const passwords = createPasswords(registry, hasher);
  const lockoutSettings = createLockoutSettings(config.lockout, storage);
  const lockout = createLockout(lockoutSettings, config.lockout.trackedKeys, clock, storage);
  const onEvent = (event: string, fields: Record<string, unknown>) => log.info(event, fields);
  const serviceKeys = createServiceKeys(config.serviceKeys, {
    storage,
    clock,
    settings: lockoutSettings,
    onEvent,
    cache: { size: config.lockout.trackedKeys, revalidateSeconds: config.sessions.revalidateSeconds },
  });
  const unique = createUniqueValues({ storage, registry, clock });
  const keys = createAccountKeys({ storage, clock, usersPool: usersPoolPath });
  // Mails wait in the store; without SMTP_URL they are written to files a developer (or a test) reads.
  const outboxDirectory = path.resolve(config.dataDir, 'outbox');
  const compose = createAccountMails({
    storage,
    clock,
    keys,
    unique,
    templates: loadMailTemplates(),
    policy: config.accounts,
    frontendUrl: config.mail.frontendUrl,
  });
  const outbox = createOutbox({
    storage,
    clock,
    transport: createMailTransport({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, outboxDirectory }),
    compose,
    policy: config.mail,
    events: mailEvents(log, config.mail.smtpUrl, outboxDirectory, logFailure('mail_queue_failed')),
    host: config.mail.from.replace(/^.*@/, '').replace(/>$/, ''),
  });
  const pending = createPendingChanges({ storage, registry, clock, keys, unique, outbox, policy: config.accounts });
  const resources = createResourceService({ storage, registry, passwords, sessions, clock, codec, unique, pending, onEvent });
  const login = createLogin({ resources, storage, passwords, hasher, sessions, lockout, keys, onEvent });
  const limiter = createRateLimiter(storage, clock);
  const accounts = createAccounts({ storage, registry, clock, keys, unique, resources, sessions, passwords, limiter, outbox, policy: config.accounts });
  const accountDeletion = createAccountDeletion({ storage, registry, clock, unique, sessions, keys, usersPool: usersPoolPath });
  const services: Services = {
    config,
    registry,
    storage,
    codec,
    clock,
    log,
    hasher,
    passwords,
    sessions,
    serviceKeys,
    lockoutSettings,
    resources,
    login,
    accounts,
    accountDeletion,
    outbox,
  };

  try {
    await ensureInitialTree(storage, registry, new Date(clock.now()).toISOString());
    if (!(await accountDeletion.reservePlaceholder()).reserved) log.warn('deleted_account_name_taken', {});
    if (config.admin) await ensureAdmin({ admin: config.admin, storage, registry, resources, log, passwordPolicy: config.password });
  } catch (error) {
    await hasher.close();
    await storage.close();
    throw error;
  }
  // Mails stored before a restart (or by other processes) go out now, and whenever the queue is looked at.
  outbox.start();
  void outbox.deliverDue().catch(logFailure('mail_queue_failed'));

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
  app.use(serveExplorer());
  app.use(createDispatcher(routes, services));
  app.use(createErrorHandler(log));

  /** Deletes what expired: sessions, lockout and rate counts, accounts never activated, addresses held past
   * their link, journals older than their retention; finishes what stopped processes left of transactions. */
  const sweep = async () => {
    await Promise.all([
      sessions.sweep().then(
        (deleted) => deleted > 0 && log.info('sessions_swept', { deleted }),
        logFailure('session_sweep_failed'),
      ),
      lockout.sweep().then(
        (deleted) => deleted > 0 && log.info('lockout_counts_swept', { deleted }),
        (error: unknown) => log.error('lockout_sweep_failed', describeError(error)),
      ),
      accounts.sweep().then(
        ({ accountsRemoved, holdsReleased }) => (accountsRemoved > 0 || holdsReleased > 0) && log.info('accounts_swept', { accounts_removed: accountsRemoved, holds_released: holdsReleased }),
        logFailure('account_sweep_failed'),
      ),
      finishTransactions(),
      storage.deleteJournalsBefore(clock.now() - journalRetentionMs).catch(logFailure('journal_sweep_failed')),
    ]);
  };
  const sweeper = setInterval(() => void sweep(), config.sweepSeconds * 1000);
  sweeper.unref();

  return {
    express: app,
    services,
    sweep,
    acceptWebSockets: (server) => live.accept(server),
    closeWebSockets: () => live.closeConnections(),
    async close() {
      await live.close();
      clearInterval(sweeper);
      await outbox.close();
      await migration;
      await finishing;
      await sessions.flush();
      await hasher.close();
      await storage.close();
    },
  };
}

/** The outbox's log lines: each mail sent or written (naming the file), each failure, each one given up; never the SMTP credentials. */
function mailEvents(log: Logger, smtpUrl: string | undefined, outboxDirectory: string, onUnavailable: (error: unknown) => void): OutboxEvents {
  const password = smtpUrl ? new URL(smtpUrl).password : '';
  const scrub = (text: string) => (password ? text.split(password).join('***').split(decodeURIComponent(password)).join('***') : text);
  return {
    sent: ({ where, ...fields }) => log.info(smtpUrl ? 'mail_sent' : 'mail_written', smtpUrl ? fields : { ...fields, file: path.join(outboxDirectory, where) }),
    failed: ({ error, ...fields }) => log.warn('mail_failed', { ...fields, error: scrub(error) }),
    parked: ({ error, ...fields }) => log.error('mail_given_up', { ...fields, error: scrub(error) }),
    unavailable: onUnavailable,
  };
}
