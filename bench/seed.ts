// Fills a data directory with big pools before the backend opens it: far faster than a hundred thousand POSTs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResourceRecord, SheetData, Storage } from '../src/storage/storage.ts';
import { trackChild } from './processes.ts';

const basicPool = 'adhocracy_core.resources.pool.IBasicPool';
const batchSize = 1000;

export interface PoolSeed {
  /** A child of the root: `big` becomes `/big/`. The root itself is created by the server at start. */
  name: string;
  children: number;
}

/**
 * The seeding goes through the storage and the registry of the backend under test (which --backend may
 * point elsewhere), built the way src/app.ts builds them, so that what the store keeps beside a resource
 * (index values, child counts, Mango indexes) is what the backend itself would have written.
 */
async function loadBackend(root: string) {
  const load = (file: string) => import(pathToFileURL(path.join(root, 'src', file)).href);
  const [{ openPouchStorage }, { createRegistry, loadSheets }, { builtinResourceTypes }, { viewNames }] = (await Promise.all([
    load('storage/pouchdb.ts'),
    load('registry.ts'),
    load('resources/index.ts'),
    load('rest/routes.ts'),
  ])) as [
    typeof import('../src/storage/pouchdb.ts'),
    typeof import('../src/registry.ts'),
    typeof import('../src/resources/index.ts'),
    typeof import('../src/rest/routes.ts'),
  ];
  const registry = createRegistry({ sheets: await loadSheets(path.join(root, 'sheets')), resourceTypes: builtinResourceTypes, reservedNames: viewNames });
  // Older checkouts derive nothing; they store records as they are.
  const derivedFile = path.join(root, 'src', 'model', 'derived.ts');
  const derive = existsSync(derivedFile)
    ? ((await load('model/derived.ts')) as typeof import('../src/model/derived.ts')).withDerivedFields.bind(undefined, registry)
    : (record: ResourceRecord) => record;
  return { openPouchStorage, derive, indexKeys: [...(registry.indexedFields?.keys() ?? [])] };
}

/** The sheets a pool created through the API would have stored, with the metadata shape of bootstrap.ts. */
function makePoolSheets(name: string, created: string): SheetData {
  return {
    'adhocracy_core.sheets.metadata.IMetadata': {
      creator: null,
      creation_date: created,
      item_creation_date: created,
      modified_by: null,
      modification_date: created,
      hidden: false,
      deleted: false,
    },
    'adhocracy_core.sheets.name.IName': { name },
    'adhocracy_core.sheets.title.ITitle': { title: `Proposal ${name}` },
    'adhocracy_core.sheets.description.IDescription': { short_description: '', description: '' },
  };
}

export interface SeedOptions {
  /** Builds every Mango index before the server opens the store (the default), or leaves them as the writes left them. */
  buildIndexes?: boolean;
}

async function seedInThisProcess(backendRoot: string, dataDir: string, pools: readonly PoolSeed[], options: SeedOptions): Promise<void> {
  const { openPouchStorage, derive, indexKeys } = await loadBackend(backendRoot);
  const storage: Storage = await openPouchStorage({ adapter: 'leveldb', directory: dataDir }, { indexKeys });
  // Children a second apart, so that sorting on the creation date has an order to find.
  const start = Date.now() - 365 * 24 * 3600 * 1000;
  const record = (poolPath: string, name: string, index: number): ResourceRecord =>
    derive({ path: `${poolPath}${name}/`, contentType: basicPool, data: makePoolSheets(name, new Date(start + index * 1000).toISOString()) });
  try {
    for (const pool of pools) {
      await storage.insertResources([record('/', pool.name, 0)]);
      for (let first = 0; first < pool.children; first += batchSize) {
        const batch: ResourceRecord[] = [];
        for (let index = first; index < Math.min(first + batchSize, pool.children); index += 1) {
          batch.push(record(`/${pool.name}/`, String(index).padStart(7, '0'), index));
        }
        await storage.insertResources(batch);
      }
    }
    // A Mango index covers every document of the store and is brought up to date by the first query that
    // reads it: let that be this process, not the measurement.
    if ('queryChildren' in storage && options.buildIndexes !== false) {
      for (const key of indexKeys) {
        const started = Date.now();
        await storage.queryChildren({ parent: '/big/', depth: 1, includeHidden: false, filters: [], sort: { key, reverse: false }, limit: 1, offset: 0 });
        process.stderr.write(`  index on ${key} built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }
    }
  } finally {
    await storage.close();
  }
}

/**
 * Seeds in a child process of its own: PouchDB keeps the LevelDB of a Mango index open after close(), and
 * its lock must be gone before the server opens the same directory.
 */
export function seedPools(backendRoot: string, dataDir: string, pools: readonly PoolSeed[], options: SeedOptions = {}): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), backendRoot, dataDir, JSON.stringify(pools), JSON.stringify(options)], {
    cwd: backendRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  trackChild(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding ${dataDir} failed (exit ${code})`))));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [backendRoot, dataDir, pools, options = '{}'] = process.argv.slice(2) as [string, string, string, string?];
  seedInThisProcess(backendRoot, dataDir, JSON.parse(pools) as PoolSeed[], JSON.parse(options) as SeedOptions).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`seeding failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
