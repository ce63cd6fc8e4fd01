// Fills a data directory with big pools before the backend opens it: far faster than a hundred thousand POSTs.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceRecord, SheetData } from '../src/storage/storage.ts';

type PouchModule = typeof import('../src/storage/pouchdb.ts');

const basicPool = 'adhocracy_core.resources.pool.IBasicPool';
const batchSize = 1000;

export interface PoolSeed {
  /** A child of the root: `big` becomes `/big/`. The root itself is created by the server at start. */
  name: string;
  children: number;
}

/** The sheets a pool created through the API would have stored, with the metadata shape of bootstrap.ts. */
function makePoolSheets(name: string, now: string): SheetData {
  return {
    'adhocracy_core.sheets.metadata.IMetadata': {
      creator: null,
      creation_date: now,
      item_creation_date: now,
      modified_by: null,
      modification_date: now,
      hidden: false,
      deleted: false,
    },
    'adhocracy_core.sheets.name.IName': { name },
    'adhocracy_core.sheets.title.ITitle': { title: '' },
    'adhocracy_core.sheets.description.IDescription': { short_description: '', description: '' },
  };
}

/** Seeds through the storage code of the backend under test, so that what it keeps beside resources fits. */
export async function seedPools(backendRoot: string, dataDir: string, pools: readonly PoolSeed[]): Promise<void> {
  const storageModule = pathToFileURL(path.join(backendRoot, 'src', 'storage', 'pouchdb.ts')).href;
  const { openPouchStorage } = (await import(storageModule)) as PouchModule;
  const storage = await openPouchStorage({ adapter: 'leveldb', directory: dataDir });
  const now = new Date().toISOString();
  try {
    for (const pool of pools) {
      const poolPath = `/${pool.name}/`;
      await storage.insertResources([{ path: poolPath, contentType: basicPool, data: makePoolSheets(pool.name, now) }]);
      for (let start = 0; start < pool.children; start += batchSize) {
        const batch: ResourceRecord[] = [];
        for (let index = start; index < Math.min(start + batchSize, pool.children); index += 1) {
          const name = String(index).padStart(7, '0');
          batch.push({ path: `${poolPath}${name}/`, contentType: basicPool, data: makePoolSheets(name, now) });
        }
        await storage.insertResources(batch);
      }
    }
  } finally {
    await storage.close();
  }
}
