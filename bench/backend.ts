// The backend under test: how it is started, and the users, tokens and pools the scenarios need in it.
import { execFileSync } from 'node:child_process';
import type autocannon from 'autocannon';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectOk, readField } from './http.ts';
import { startServer, type Server } from './processes.ts';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export const sheet = {
  metadata: 'adhocracy_core.sheets.metadata.IMetadata',
  name: 'adhocracy_core.sheets.name.IName',
  title: 'adhocracy_core.sheets.title.ITitle',
  userBasic: 'adhocracy_core.sheets.principal.IUserBasic',
  userExtended: 'adhocracy_core.sheets.principal.IUserExtended',
  password: 'adhocracy_core.sheets.principal.IPasswordAuthentication',
} as const;
const userType = 'adhocracy_core.resources.principal.IUser';
export const basicPoolType = 'adhocracy_core.resources.pool.IBasicPool';

export const admin = { name: 'bench-admin', email: 'bench-admin@example.org', password: 'bench-admin-password' };
export const benchUser = { name: 'bench-user', email: 'bench-user@example.org', password: 'bench-user-password' };

/** The parameters are the defaults, spelled out so that the baselines provably get the same ones. */
export const argon2Env = { ARGON2_MEMORY_KIB: '19456', ARGON2_TIME_COST: '2', ARGON2_PARALLELISM: '1' };

export function makeRegistrationBody(user: { name: string; email: string; password: string }): string {
  return JSON.stringify({
    content_type: userType,
    data: {
      [sheet.userBasic]: { name: user.name },
      [sheet.userExtended]: { email: user.email },
      [sheet.password]: { password: user.password },
    },
  });
}

/** A child of a pool, as the scenarios create them: a basic pool with a name and a title. */
export const makeChildBody = (name: string) => JSON.stringify({ content_type: basicPoolType, data: { [sheet.name]: { name }, [sheet.title]: { title: name } } });

/** Children named apart across rounds, scenarios and both sides of a comparison, by a prefix of their own. */
export function createChildVariation(prefix: string): (request: autocannon.Request) => autocannon.Request {
  let next = 0;
  return (request) => {
    next += 1;
    return { ...request, body: makeChildBody(`${prefix}-${next}`) };
  };
}

/** Checkouts built in this run. */
const built = new Set<string>();

/**
 * What `npm start` serves is the compiled server (dist/), and that is what is measured: run through tsx,
 * the same code pays for the loader's additions (a call naming every function as it is made). Builds
 * once per checkout and run (incrementally), and answers the script to run.
 */
export function buildBackend(root: string): string {
  if (!built.has(root)) {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    built.add(root);
  }
  return path.join(root, 'dist', 'src', 'server.js');
}

export async function startBackend(options: {
  name: string;
  /** The checkout to run; see --backend in settings.ts. */
  root: string;
  port: number;
  dataDir: string;
  hashConcurrency: number;
  /** Extra arguments to node before the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** The backend's own limits per client address, instead of room for every client the bench runs from 127.0.0.1. */
  defaults?: boolean;
  /** Further settings, such as DATABASE_URL. */
  env?: Record<string, string>;
}): Promise<Server> {
  const url = `http://127.0.0.1:${options.port}`;
  const script = buildBackend(options.root);
  return startServer({
    name: options.name,
    args: [...(options.nodeArgs ?? []), script],
    cwd: options.root,
    env: {
      PORT: String(options.port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      PUBLIC_URL: url,
      ADMIN_NAME: admin.name,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      HASH_CONCURRENCY: String(options.hashConcurrency),
      // Every bench client comes from 127.0.0.1: the per-address share of the hashing queue would refuse
      // most of the login and registration connections, which measure hashing throughput, not fairness.
      ...(options.defaults ? {} : { HASH_QUEUE_PER_ADDRESS: '64' }),
      ...argon2Env,
      ...options.env,
    },
    port: options.port,
    dir: options.dataDir,
  });
}

export interface BackendFixture {
  adminToken: string;
  userPath: string;
  userToken: string;
  /** A small pool for the anonymous GET: ten children, so that its count is not zero. */
  poolPath: string;
  /** One pool per connection for the PUT scenario, so that concurrent PUTs never conflict with each other. */
  putPaths: string[];
  /** One pool that every connection of the busy-pool scenario creates children in. */
  busyPoolPath: string;
  /** What the backend answered, for the bare express baseline to answer the same. */
  bodies: Record<string, unknown>;
}

export async function logIn(url: string, name: string, password: string): Promise<string> {
  return readField(await expectOk('POST', `${url}/login_username`, { body: { name, password } }), 'user_token');
}

async function createPool(url: string, parent: string, name: string, adminToken: string): Promise<string> {
  const answer = await expectOk('POST', `${url}${parent}`, {
    headers: { 'X-User-Token': adminToken },
    body: { content_type: basicPoolType, data: { [sheet.name]: { name }, [sheet.title]: { title: name } } },
  });
  return new URL(readField(answer, 'path')).pathname;
}

export async function prepareBackend(server: Server, putPools: number): Promise<BackendFixture> {
  const { url } = server;
  const adminToken = await logIn(url, admin.name, admin.password);
  const registered = await expectOk('POST', `${url}/principals/users/`, { body: JSON.parse(makeRegistrationBody(benchUser)) });
  const userPath = new URL(readField(registered, 'path')).pathname;
  const userToken = await logIn(url, benchUser.name, benchUser.password);

  const poolPath = await createPool(url, '/', 'pool', adminToken);
  for (let index = 0; index < 10; index += 1) await createPool(url, poolPath, `child-${index}`, adminToken);
  const putPaths: string[] = [];
  for (let index = 0; index < putPools; index += 1) {
    putPaths.push(await createPool(url, '/', `put-${String(index).padStart(2, '0')}`, adminToken));
  }

  const busyPoolPath = await createPool(url, '/', 'busy', adminToken);

  const userBody = (await expectOk('GET', `${url}${userPath}`, { headers: { 'X-User-Token': userToken } })).body;
  const poolBody = (await expectOk('GET', `${url}${poolPath}`)).body;
  return { adminToken, userPath, userToken, poolPath, putPaths, busyPoolPath, bodies: { [userPath]: userBody, [poolPath]: poolBody } };
}
