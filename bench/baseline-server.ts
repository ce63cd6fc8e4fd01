// A baseline for the benchmark: the least an express 5 app can do for one measured request; its kind is argv[2].
// Run as `node --import tsx bench/baseline-server.ts json|verify|hash|put` with PORT (and the variables below).
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import argon2, { type HashOptions } from 'argon2';
import express, { type RequestHandler } from 'express';
// Raw PouchDB on purpose: the baseline is one put with nothing of the backend's storage layer around it.
import PouchDB from 'pouchdb';

type Kind = 'json' | 'verify' | 'hash' | 'put';

const kind = process.argv[2] as Kind;
const port = Number(process.env.PORT);
const argon2Options: HashOptions = {
  type: argon2.argon2id,
  memoryCost: Number(process.env.ARGON2_MEMORY_KIB ?? 19456),
  timeCost: Number(process.env.ARGON2_TIME_COST ?? 2),
  parallelism: Number(process.env.ARGON2_PARALLELISM ?? 1),
};
// The backend hashes in HASH_CONCURRENCY child processes; allowing more here would flatter the baseline.
const hashing = createLimiter(Number(process.env.HASH_CONCURRENCY ?? 1));

/** Runs at most `concurrency` tasks at once, the rest in arrival order. */
function createLimiter(concurrency: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function runLimited<T>(task: () => Promise<T>): Promise<T> {
    if (active < concurrency) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hands the slot straight to the next waiter, so `active` stays right.
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

function readPassword(body: unknown): string {
  const record = (body ?? {}) as Record<string, unknown>;
  if (typeof record.password === 'string') return record.password;
  const data = record.data as Record<string, Record<string, unknown>> | undefined;
  return String(data?.['adhocracy_core.sheets.principal.IPasswordAuthentication']?.password ?? '');
}

async function createHandler(): Promise<{ handler: RequestHandler; close: () => Promise<void> }> {
  switch (kind) {
    case 'json': {
      // The same bodies the backend answered, parsed once, serialized per request as the backend must.
      // The file appears only once the backend is set up, after this server started: read it when asked.
      const bodiesFile = String(process.env.BODIES_FILE);
      let bodies: Map<string, unknown> | undefined;
      return {
        handler: (request, response) => {
          if (!bodies && existsSync(bodiesFile)) bodies = new Map(Object.entries(JSON.parse(readFileSync(bodiesFile, 'utf8')) as Record<string, unknown>));
          const body = bodies?.get(request.path);
          if (body === undefined) response.status(404).json({});
          else response.json(body);
        },
        close: async () => undefined,
      };
    }
    case 'verify': {
      const hash = await argon2.hash(String(process.env.BENCH_PASSWORD), argon2Options);
      return {
        handler: async (request, response) => {
          const valid = await hashing(() => argon2.verify(hash, readPassword(request.body)));
          response.status(valid ? 200 : 400).json({ status: valid ? 'success' : 'error' });
        },
        close: async () => undefined,
      };
    }
    case 'hash':
      return {
        handler: async (request, response) => {
          const hash = await hashing(() => argon2.hash(readPassword(request.body), argon2Options));
          response.json({ status: 'success', length: hash.length });
        },
        close: async () => undefined,
      };
    case 'put': {
      const db = new PouchDB<Record<string, unknown>>(String(process.env.DATA_DIR), { adapter: 'leveldb' });
      let next = 0;
      return {
        handler: async (request, response) => {
          // A new document each time: one put, no read, no revision to carry.
          const result = await db.put({ _id: `doc-${process.pid}-${next++}`, ...(request.body as Record<string, unknown>) });
          response.json({ ok: result.ok });
        },
        close: () => db.close(),
      };
    }
    default:
      throw new Error(`unknown baseline kind ${String(kind)}; use json, verify, hash or put`);
  }
}

async function main(): Promise<void> {
  const { handler, close } = await createHandler();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (kind !== 'json') app.use(express.json());
  app.use(handler);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.on('SIGTERM', () => {
    server.close(() => void close().finally(() => process.exit(0)));
    server.closeAllConnections();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline ${kind} could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
