// startTestInstance(): a throwaway server for other projects' test suites, on a free port, in memory (or a locked directory), with an admin logged in.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from './app.ts';
import { readConfig } from './config.ts';
import { createHttpServer } from './http-server.ts';
import { listen } from './listen.ts';
import { createLogger, silentLogger } from './log.ts';
import type { PouchLocation } from './storage/pouchdb.ts';
import { StorageUnavailableError } from './storage/storage.ts';

/**
 * INSECURE, FOR THROWAWAY TEST INSTANCES ONLY: argon2id with 1 MiB and one pass hashes in about a
 * millisecond, so that a test suite that registers and logs in many users stays fast. A password
 * hashed like this can be guessed quickly. The server's configuration refuses these values
 * (ARGON2_MEMORY_KIB below 19456, ARGON2_TIME_COST below 2), and a real server that opens a base
 * directory written by a test instance rehashes each password, with its own parameters, at its next login.
 */
// Typed here rather than with the hasher's type, so that the published declarations of this entry stand alone.
export const insecureTestArgon2: Readonly<{ memoryCost: number; timeCost: number; parallelism: number }> = Object.freeze({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

export interface TestInstanceOptions {
  /**
   * A directory to keep the data in, on disk, instead of memory: it outlives the instance, and a later
   * instance on it finds the data again. One instance at a time may use it (BaseDirectoryLockedError).
   */
  baseDir?: string;
  /** Server settings, as the environment variables of the README (SERVICE_KEYS, TOKEN_IDLE_SECONDS, …). */
  env?: Readonly<Record<string, string>>;
  /**
   * The admin to create; `admin` and `admin@example.org` with a random password unless given. With a
   * base directory, a random password is kept in it (`admin-password`), so that the next instance on it
   * logs the same admin in.
   */
  admin?: { name?: string; email?: string; password?: string };
  /** Where each log line (JSON) goes; nowhere unless given. */
  log?: (line: string) => void;
}

export interface TestInstance {
  /** The API's base URL, `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  /** An admin, logged in: its token goes in X-User-Token. */
  admin: { name: string; password: string; token: string };
  /** Stops listening, closes the database (in memory: gone) and ends the hashing processes. */
  stop(): Promise<void>;
}

/** A second instance on a base directory that one is using already, in this process or another. */
export class BaseDirectoryLockedError extends Error {
  override name = 'BaseDirectoryLockedError';
  constructor(
    readonly directory: string,
    options?: ErrorOptions,
  ) {
    super(`the base directory ${directory} is in use by another instance (its database is locked); stop that one, or give each instance a directory of its own`, options);
  }
}

/** Server settings a test instance sets itself; the rest come from `options.env` or the defaults. */
const ownSettings = ['PORT', 'HOST', 'PUBLIC_URL', 'DATA_DIR', 'DATABASE_URL', 'ADMIN_NAME', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'ARGON2_MEMORY_KIB', 'ARGON2_TIME_COST', 'ARGON2_PARALLELISM'];

export async function startTestInstance(options: TestInstanceOptions = {}): Promise<TestInstance> {
  const given = ownSettings.filter((name) => options.env?.[name] !== undefined);
  if (given.length > 0) throw new Error(`a test instance sets ${given.join(', ')} itself; use baseDir and admin instead`);
  const baseDir = options.baseDir === undefined ? undefined : path.resolve(options.baseDir);
  // Mails are written to DATA_DIR/outbox/: the base directory, or one of the instance's own, removed when it stops.
  const dataDir = baseDir ?? (await mkdtemp(path.join(os.tmpdir(), 'adhocracy-test-instance-')));
  if (baseDir !== undefined) await mkdir(baseDir, { recursive: true });
  const admin = {
    name: options.admin?.name ?? 'admin',
    email: options.admin?.email ?? 'admin@example.org',
    password: options.admin?.password ?? (baseDir === undefined ? randomPassword() : await keptPassword(baseDir)),
  };
  const removeOwnDirectory = () => (baseDir === undefined ? rm(dataDir, { recursive: true, force: true }) : Promise.resolve());

  // Listening first, on a port the system picks, so that the URL is known before the app is made.
  const host = '127.0.0.1';
  const server = createHttpServer(readConfig({ ...options.env }).requestTimeoutSeconds);
  let app: App | undefined;
  try {
    await listen(server, 0, host);
    const url = `http://${host}:${(server.address() as AddressInfo).port}`;
    const config = readConfig({
      HASH_CONCURRENCY: '1',
      ...options.env,
      HOST: host,
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      ADMIN_NAME: admin.name,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    });
    const database: PouchLocation = baseDir === undefined ? { adapter: 'memory', name: `test-instance-${randomUUID()}` } : { adapter: 'leveldb', directory: baseDir };
    app = await createApp({
      config: { ...config, argon2: insecureTestArgon2 },
      database,
      log: options.log ? createLogger(options.log) : silentLogger,
    }).catch((error: unknown) => {
      throw error instanceof StorageUnavailableError && error.reason === 'locked' && baseDir !== undefined ? new BaseDirectoryLockedError(baseDir, { cause: error }) : error;
    });
    server.on('request', app.express);
    const token = await logIn(url, admin.name, admin.password);
    const running = app;
    let stopping: Promise<void> | undefined;
    return {
      url,
      admin: { name: admin.name, password: admin.password, token },
      stop: () => (stopping ??= closeAll(server, running).then(removeOwnDirectory)),
    };
  } catch (error) {
    await closeAll(server, app);
    await removeOwnDirectory();
    throw error;
  }
}

const randomPassword = () => randomBytes(18).toString('base64url');

/** The admin password kept in a base directory, made on first use; readable by its owner only. */
async function keptPassword(baseDir: string): Promise<string> {
  const file = path.join(baseDir, 'admin-password');
  try {
    await writeFile(file, randomPassword(), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return (await readFile(file, 'utf8')).trim();
}

/** The admin's token, from a login like any client's. */
async function logIn(url: string, name: string, password: string): Promise<string> {
  const answer = await fetch(`${url}/login_username`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }) });
  const body = (await answer.json()) as { user_token?: string };
  if (answer.status !== 200 || typeof body.user_token !== 'string') {
    // The admin's name or email belongs to a user of the base directory with another password.
    throw new Error(`the admin ${name} could not log in (${answer.status}): ${JSON.stringify(body)}`);
  }
  return body.user_token;
}

async function closeAll(server: ReturnType<typeof createHttpServer>, app: App | undefined): Promise<void> {
  if (server.listening) {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
  await app?.close();
}
