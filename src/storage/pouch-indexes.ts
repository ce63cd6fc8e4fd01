// The Mango indexes that sorted pages read: defined when the store is opened, built by the first query that reads one.
import { highKey, indexDesignDoc, indexField, isStatus, type Db, type Doc } from './pouch-documents.ts';

const viewName = 'by-parent';

/** What pouchdb-find's createIndex is asked for: an index on (pool, the key's field). */
function describeIndex(key: string): PouchDB.Find.CreateIndexOptions {
  return { index: { fields: ['parent', indexField(key)], ddoc: indexDesignDoc(key), name: viewName } };
}

/**
 * The design document that createIndex writes for describeIndex(key), to the letter (a test compares
 * them): an index whose design document stays the same keeps what it has built.
 */
function makeIndexDesignDoc(key: string): PouchDB.Core.PutDocument<Doc> {
  const field = indexField(key);
  return {
    _id: `_design/${indexDesignDoc(key)}`,
    language: 'query',
    views: { [viewName]: { map: { fields: { parent: 'asc', [field]: 'asc' } }, reduce: '_count', options: { def: { fields: ['parent', field] } } } },
  } as unknown as PouchDB.Core.PutDocument<Doc>;
}

/**
 * Makes sure there is an index for every key. createIndex builds the index at once, reading every
 * change since it last did: at every start, whatever was written since the last sorted query, and on a
 * store that never had the index (or whose indexes were never read) the whole store, minutes for a
 * hundred thousand resources. Locally, the design documents of missing indexes are written without
 * that build; pouchdb-find brings an index up to date before every query that reads it, so the first
 * one builds it. Over CouchDB, createIndex is called only for missing indexes.
 */
export async function defineIndexes(db: Db, keys: readonly string[], remote: boolean): Promise<void> {
  const existing = await db.allDocs({ startkey: '_design/idx-', endkey: `_design/idx-${highKey}`, include_docs: true });
  const defined = new Set(existing.rows.filter((row) => hasView(row.doc)).map((row) => row.id));
  const missing = keys.filter((key) => !defined.has(`_design/${indexDesignDoc(key)}`));
  if (missing.length === 0) return;
  if (remote) {
    for (const key of missing) await db.createIndex(describeIndex(key));
    return;
  }
  const results = await db.bulkDocs(missing.map(makeIndexDesignDoc));
  for (const [index, result] of results.entries()) {
    if (!('error' in result && result.error)) continue;
    // A design document of that name without the view: createIndex adds the view to it.
    if (isStatus(result, 409)) await db.createIndex(describeIndex(missing[index] as string));
    else throw result;
  }
}

function hasView(doc: unknown): boolean {
  const views = (doc as { views?: Record<string, unknown> } | undefined)?.views;
  return views !== undefined && views[viewName] !== undefined;
}
