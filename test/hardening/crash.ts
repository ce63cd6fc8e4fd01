// Crash rounds: write to the real server, SIGKILL it at a random moment, restart it, and check that no acknowledged write is lost.
// Run directly for the slow run: `tsx test/hardening/crash.ts --rounds 20` (crash.test.ts runs one round in `npm test`).
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { buildDist } from '../support/build.ts';
import { registrationBody } from '../support/test-app.ts';
import { freePort, removeDataDir, spawnServer, type ServerProcess } from './server-process.ts';
import { findStoreViolations } from './store-rules.ts';

const adminPassword = 'admin password of the crash rounds';
const basicPool = 'adhocracy_core.resources.pool.IBasicPool';
const poolSheet = 'adhocracy_core.sheets.pool.IPool';
const nameSheet = 'adhocracy_core.sheets.name.IName';
const titleSheet = 'adhocracy_core.sheets.title.ITitle';
const userBasic = 'adhocracy_core.sheets.principal.IUserBasic';

export interface CrashOptions {
  /** Acknowledged writes to collect before the kill becomes possible. */
  writes: number;
  /** Requests in flight at once. */
  writers: number;
  /** One registration for every this many writes; the rest are pool creations. */
  registrationEvery: number;
}

/** At least 1,000 acknowledged writes a round, one in 50 a registration (each costs a password hash). */
export const crashRoundOptions: CrashOptions = { writes: 1000, writers: 16, registrationEvery: 50 };

export interface RoundResult {
  round: number;
  acknowledged: number;
  lost: string[];
  /** From spawning the restarted server to its first answer. */
  restartMs: number;
  /** Writes in flight when it was killed, which it may or may not have kept. */
  inFlight: number;
  /** Each pool's count minus the children actually listed: the crash pool's, and the users'. */
  countDrift: number;
}

interface Acknowledged {
  kind: 'pool' | 'user';
  path: string;
  /** The title of a pool or the name of a user, as written. */
  value: string;
}

/**
 * The crash rounds' shared state: one store that every round kills and restarts the server on, an
 * embedded one in a data directory, or a database on a CouchDB server (`databaseUrl`).
 */
export class CrashRig {
  private readonly acknowledged: Acknowledged[] = [];
  private server: ServerProcess | undefined;
  private constructor(
    readonly dataDir: string,
    private readonly port: number,
    private readonly databaseUrl: string | undefined,
  ) {}

  static async create(options: { databaseUrl?: string } = {}): Promise<CrashRig> {
    return new CrashRig(await mkdtemp(path.join(os.tmpdir(), 'adhocracy-crash-')), await freePort(), options.databaseUrl);
  }

  private get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server and resolves with the milliseconds until it first answered. */
  private async start(): Promise<number> {
    const started = performance.now();
    // Reading everything back pages through the whole crash pool, far past the default query budget.
    const budget = { QUERY_SCAN_LIMIT: '10000000', QUERY_SCAN_LIMIT_ANONYMOUS: '10000000' };
    this.server = spawnServer(this.port, {
      DATA_DIR: this.dataDir,
      ...(this.databaseUrl ? { DATABASE_URL: this.databaseUrl } : {}),
      ADMIN_NAME: 'admin',
      ADMIN_EMAIL: 'admin@example.org',
      ADMIN_PASSWORD: adminPassword,
      ...budget,
    });
    for (;;) {
      if (this.server.child.exitCode !== null) throw new Error(`the server exited with ${this.server.child.exitCode}: ${this.server.output()}`);
      if (performance.now() - started > 60_000) throw new Error(`the server did not answer within 60 s: ${this.server.output()}`);
      const answered = await fetch(`${this.url}/`).then((response) => response.status === 200, () => false);
      if (answered) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async post(target: string, body: unknown, token?: string): Promise<{ status: number; body: { path?: string; user_token?: string } }> {
    const response = await fetch(`${this.url}${target}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { 'X-User-Token': token } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { path?: string; user_token?: string } };
  }

  /** One round: start (or restart), write until at least `writes` are acknowledged, SIGKILL at a random moment, restart, verify. */
  async runRound(round: number, options: CrashOptions): Promise<RoundResult> {
    if (round === 0) await this.start();
    const login = await this.post('/login_username', { name: 'admin', password: adminPassword });
    if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
    const token = login.body.user_token as string;
    if (round === 0) await this.post('/', { content_type: basicPool, data: { [nameSheet]: { name: 'crash' } } }, token);

    let acknowledgedThisRound = 0;
    let inFlight = 0;
    let inFlightAtKill = 0;
    let killed = false;
    /** Set when a writer failed before the kill: the round is over, and the kill must not wait for ever. */
    let failed = false;
    let next = 0;
    const kill = (async () => {
      while (acknowledgedThisRound < options.writes && !failed) await new Promise((resolve) => setTimeout(resolve, 5));
      // A random moment after the minimum, with writes in flight.
      await new Promise((resolve) => setTimeout(resolve, randomInt(0, 400)));
      killed = true;
      inFlightAtKill = inFlight;
      await this.server?.stop('SIGKILL');
    })();
    const writer = async () => {
      while (!killed) {
        const index = next++;
        const tag = `r${round}-${index}-${randomBytes(3).toString('hex')}`;
        const isUser = index % options.registrationEvery === options.registrationEvery - 1;
        inFlight += 1;
        try {
          if (isUser) {
            const answer = await this.post('/principals/users', registrationBody(`User ${tag}`, `${tag}@example.org`));
            if (answer.status === 200) this.acknowledged.push({ kind: 'user', path: new URL(answer.body.path as string).pathname, value: `User ${tag}` });
            else if (!killed) throw new Error(`registration answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          } else {
            const title = `Title ${tag}`;
            const answer = await this.post('/crash/', { content_type: basicPool, data: { [nameSheet]: { name: tag }, [titleSheet]: { title } } }, token);
            if (answer.status === 200) this.acknowledged.push({ kind: 'pool', path: `/crash/${tag}/`, value: title });
            else if (!killed) throw new Error(`creation answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          }
          acknowledgedThisRound += 1;
        } catch (error) {
          // Once killed, a request in flight fails: it was never acknowledged.
          if (killed) continue;
          failed = true;
          const server = this.server;
          throw new Error(`a write failed before the kill (server exit code ${server?.child.exitCode}, signal ${server?.child.signalCode}); the server wrote: ${server?.output().slice(-3000)}`, { cause: error });
        } finally {
          inFlight -= 1;
        }
      }
    };
    await Promise.all([kill, ...Array.from({ length: options.writers }, writer)]);

    const restartMs = await this.start();
    const lost = await this.findLost();
    return { round, acknowledged: acknowledgedThisRound, lost, restartMs, inFlight: inFlightAtKill, countDrift: await this.countDrift() };
  }

  /** Every acknowledged write of every round so far that the restarted server does not have as written. */
  private async findLost(): Promise<string[]> {
    const titles = new Map<string, string>();
    for (let offset = 0; ; offset += 1000) {
      const response = await fetch(`${this.url}/crash/?elements=content&limit=1000&offset=${offset}`);
      const page = ((await response.json()) as { data: Record<string, { elements: { path: string; data: Record<string, { title?: string }> }[] }> }).data[poolSheet]?.elements ?? [];
      for (const element of page) titles.set(new URL(element.path).pathname, element.data[titleSheet]?.title ?? '');
      if (page.length < 1000) break;
    }
    const lost: string[] = [];
    for (const write of this.acknowledged) {
      if (write.kind === 'pool') {
        if (titles.get(write.path) !== write.value) lost.push(write.path);
      } else {
        const response = await fetch(`${this.url}${write.path}`);
        const body = response.status === 200 ? ((await response.json()) as { data: Record<string, { name?: string }> }) : undefined;
        if (body?.data[userBasic]?.name !== write.value) lost.push(write.path);
      }
    }
    return lost;
  }

  /** What the pools' counts say minus what they list, summed over the crash pool and the users' pool. */
  private async countDrift(): Promise<number> {
    let drift = 0;
    for (const pool of ['/crash/', '/principals/users/']) {
      const counted = await fetch(`${this.url}${pool}`).then((response) => response.json() as Promise<{ data: Record<string, { count: number }> }>);
      let listed = 0;
      for (let offset = 0; ; offset += 10_000) {
        const response = await fetch(`${this.url}${pool}?elements=paths&limit=10000&offset=${offset}`);
        const page = ((await response.json()) as { data: Record<string, { elements: string[] }> }).data[poolSheet]?.elements ?? [];
        listed += page.length;
        if (page.length < 10_000) break;
      }
      drift += (counted.data[poolSheet]?.count ?? 0) - listed;
    }
    return drift;
  }

  get total(): number {
    return this.acknowledged.length;
  }

  /** Stops the server cleanly, then reads the whole store in this process and lists what breaks the rules. */
  async finish(): Promise<string[]> {
    await this.server?.stop('SIGTERM');
    const app = await createApp({
      config: readConfig({ HASH_CONCURRENCY: '1' }),
      database: this.databaseUrl ? { adapter: 'http', url: this.databaseUrl } : { adapter: 'leveldb', directory: this.dataDir },
    });
    try {
      return await findStoreViolations(app.services);
    } finally {
      await app.close();
    }
  }

  async remove(): Promise<void> {
    await this.server?.stop('SIGKILL');
    await removeDataDir(this.dataDir);
  }
}

/**
 * The slow run: `tsx test/hardening/crash.ts --rounds 20`; exits non-zero if anything was lost or is invalid,
 * or a restart took longer than CRASH_RESTART_LIMIT_MS (5000) to answer.
 */
async function main(): Promise<void> {
  buildDist();
  const roundsArgument = process.argv.indexOf('--rounds');
  const rounds = roundsArgument >= 0 ? Number(process.argv[roundsArgument + 1]) : Number(process.env.CRASH_ROUNDS ?? 20);
  const restartLimitMs = Number(process.env.CRASH_RESTART_LIMIT_MS ?? 5_000);
  const rig = await CrashRig.create();
  let lost = 0;
  let drift = 0;
  const restarts: number[] = [];
  const started = performance.now();
  try {
    for (let round = 0; round < rounds; round += 1) {
      const result = await rig.runRound(round, crashRoundOptions);
      lost += result.lost.length;
      drift += Math.abs(result.countDrift);
      console.log(
        `round ${round + 1}/${rounds}: ${result.acknowledged} acknowledged (${rig.total} in all), ${result.inFlight} in flight at the kill, ` +
          `restarted in ${Math.round(result.restartMs)} ms, lost ${result.lost.length}${result.lost.length ? `: ${result.lost.slice(0, 5).join(', ')}` : ''}, count drift ${result.countDrift}`,
      );
      restarts.push(result.restartMs);
    }
    // Counted over all rounds rather than stopping at the first, so that one run gives every figure.
    const slow = restarts.filter((ms) => ms > restartLimitMs).length;
    console.log(`restarts answered in ${restarts.map((ms) => Math.round(ms)).join(', ')} ms; ${slow} over ${restartLimitMs} ms`);
    const violations = await rig.finish();
    console.log(`${rounds} rounds in ${Math.round((performance.now() - started) / 1000)} s: ${rig.total} acknowledged writes, ${lost} lost, ${violations.length} invalid records`);
    for (const violation of violations.slice(0, 20)) console.log(`  ${violation}`);
    if (lost > 0 || drift > 0 || violations.length > 0 || slow > 0) process.exitCode = 1;
  } finally {
    await rig.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
