// A batch is stored whole or not at all, on LevelDB and over CouchDB: a reader meanwhile never sees part of one, nor does a restart after a SIGKILL.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, removeDataDir, spawnServer, type ServerProcess } from '../hardening/server-process.ts';
import { startCouchServer, type CouchServer } from '../support/couch-server.ts';
import { ids } from '../support/test-app.ts';

const perBatch = 5;
const batches = Number(process.env.BATCH_ROUNDS ?? 25);
const adminPassword = 'admin password of the batch rounds';
const poolSheet = ids.pool;

/** One batch: `perBatch` pools named after the round, in the pool /b/. */
const batchOf = (round: number) =>
  Array.from({ length: perBatch }, (_, index) => ({
    method: 'POST',
    path: '/b/',
    body: { content_type: ids.basicPool, data: { [ids.name]: { name: `r${round}-${index}` } } },
  }));

async function json(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The names in /b/, by round: every round must have all of its pools or none. */
function partialRounds(names: readonly string[]): string[] {
  const byRound = new Map<string, number>();
  for (const name of names) {
    const round = name.split('-')[0] as string;
    byRound.set(round, (byRound.get(round) ?? 0) + 1);
  }
  return [...byRound].filter(([, count]) => count !== perBatch).map(([round, count]) => `${round}: ${count} of ${perBatch}`);
}

for (const store of ['LevelDB', 'CouchDB (pouchdb-server)'] as const) {
  describe(`model/batch atomicity on ${store}`, function () {
    this.timeout(240_000);
    let couch: CouchServer | undefined;
    let dataDir: string;
    let databaseUrl: string | undefined;
    let server: ServerProcess | undefined;
    let port: number;

    before(async () => {
      if (store !== 'LevelDB') couch = await startCouchServer();
      databaseUrl = couch ? `${couch.url}/batch-${randomUUID()}` : undefined;
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'batch-atomicity-'));
      port = await freePort();
    });
    after(async () => {
      await server?.stop('SIGKILL');
      await removeDataDir(dataDir);
      await couch?.stop();
    });

    async function start(): Promise<string> {
      server = spawnServer(port, {
        DATA_DIR: dataDir,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        ADMIN_NAME: 'admin',
        ADMIN_EMAIL: 'admin@example.org',
        ADMIN_PASSWORD: adminPassword,
        QUERY_SCAN_LIMIT: '100000',
        QUERY_SCAN_LIMIT_ANONYMOUS: '100000',
      });
      for (const started = Date.now(); ; ) {
        if (server.child.exitCode !== null) throw new Error(`the server exited: ${server.output()}`);
        if (await fetch(`${server.url}/`).then((response) => response.ok, () => false)) break;
        if (Date.now() - started > 60_000) throw new Error(`the server did not answer: ${server.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const login = await json(await fetch(`${server.url}/login_username`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'admin', password: adminPassword }) }));
      return login.body.user_token as string;
    }

    const sendBatch = (token: string, round: number) =>
      fetch(`${server?.url}/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User-Token': token }, body: JSON.stringify(batchOf(round)) });

    async function listNames(): Promise<string[]> {
      const answer = await json(await fetch(`${server?.url}/b/?elements=paths`));
      const elements = ((answer.body.data as Record<string, { elements: string[] }>)[poolSheet]?.elements ?? []) as string[];
      return elements.map((url) => url.split('/').at(-2) as string);
    }

    it(`shows a reader every one of ${batches} batches whole or not at all`, async () => {
      const token = await start();
      const created = await fetch(`${server?.url}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-User-Token': token },
        body: JSON.stringify({ content_type: ids.basicPool, data: { [ids.name]: { name: 'b' } } }),
      });
      assert.equal(created.status, 200);
      let writing = true;
      const seen: string[] = [];
      let reads = 0;
      const reader = (async () => {
        while (writing) {
          seen.push(...partialRounds(await listNames()));
          reads += 1;
        }
      })();
      for (let round = 0; round < batches; round += 1) assert.equal((await sendBatch(token, round)).status, 200);
      writing = false;
      await reader;
      assert.deepEqual(seen, [], `of ${reads} reads, some saw part of a batch`);
      assert.equal((await listNames()).length, batches * perBatch);
      assert.ok(reads > 0);
    });

    it('keeps every batch whole or leaves it out after SIGKILLs in the middle of batches', async () => {
      let token = await start();
      let acknowledged = 0;
      for (let crash = 0; crash < 3; crash += 1) {
        let killed = false;
        let sent = 0;
        const acknowledgedBefore = acknowledged;
        const writers = Array.from({ length: 3 }, async (_, writer) => {
          for (let round = 1000 * (1 + crash * 3 + writer); !killed; round += 1) {
            sent += 1;
            const answer = await sendBatch(token, round).catch(() => undefined);
            if (answer?.status === 200) acknowledged += 1;
          }
        });
        const target = acknowledged + 3;
        while (acknowledged < target) await new Promise((resolve) => setTimeout(resolve, 2));
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 50)));
        killed = true;
        await server?.stop('SIGKILL');
        await Promise.all(writers);
        token = await start();
        // Batches were under way when the server was killed.
        assert.ok(sent > acknowledged - acknowledgedBefore, `${sent} sent, ${acknowledged - acknowledgedBefore} acknowledged`);
        const names = await listNames();
        assert.deepEqual(partialRounds(names), [], `after crash ${crash + 1}`);
        assert.ok(names.length >= (batches + acknowledged) * perBatch, `${names.length} pools, ${acknowledged} batches acknowledged`);
      }
    });
  });
}
