// Pools' child counts and the counters that name children: kept with the children on a local store, derived by a view on CouchDB.
import type { RecordCache } from './pouch-cache.ts';
import { countsKey, type Db } from './pouch-documents.ts';
import type { DocUpdater } from './pouch-updates.ts';
import type { LocalCommitter } from './pouch-writes.ts';
import type { ChildCounts } from './storage.ts';

export interface PoolCounts {
  childCounts(pool: string): Promise<Record<string, ChildCounts>>;
  /** The next value of a counter. Locally it is stored with the insert that uses it (see ResourceDocuments). */
  nextValue(name: string): Promise<number>;
}

/** On a local store the one writer keeps them, in the same batches as the children they count. */
export function localCounts(committer: LocalCommitter): PoolCounts {
  return {
    childCounts: (pool) => committer.childCounts(pool),
    nextValue: (name) => committer.nextValue(name),
  };
}

export const countsDesignDoc = '_design/counts';
const countsView = 'counts/by-parent';

/**
 * Resources by [parent, type, hidden, restricted], counted by CouchDB's built-in `_count`: derived from
 * the resources themselves, so no crash of any process can leave them behind.
 */
export const countsDesign = {
  _id: countsDesignDoc,
  views: {
    'by-parent': {
      // A document of a transaction not yet cleaned up counts as what it replaced (or not at all).
      map: "function (doc) { if (doc.kind !== 'resource') return; var d = doc.txn ? doc.before : doc; if (d && d.parent) emit([d.parent, d.content_type, d.hidden === true, d.restricted === true], null); }",
      reduce: '_count',
    },
  },
};

/**
 * Over CouchDB several processes write, and a document written by one cannot be batched with another's
 * count: counts come from the view (cached until the changes feed says a child changed), counters are
 * changed atomically one value at a time.
 */
export function viewCounts(db: Db, updater: DocUpdater, cache: RecordCache): PoolCounts {
  return {
    async childCounts(pool) {
      const id = countsKey(pool);
      const cached = cache.childCounts(id);
      if (cached) return cached;
      const result = await db.query(countsView, { startkey: [pool], endkey: [pool, {}], group: true });
      const byType: Record<string, ChildCounts> = {};
      for (const row of result.rows) {
        const [, type, hidden, restricted] = row.key as [string, string, boolean, boolean];
        const counts = (byType[type] ??= { visible: 0, hidden: 0, restricted: 0 });
        const value = Number(row.value);
        if (hidden) counts.hidden += value;
        else counts.visible += value;
        if (restricted) counts.restricted += value;
      }
      cache.rememberCounts(id, byType);
      return byType;
    },
    async nextValue(name) {
      const doc = await updater.update(`counter:${name}`, (current) => ({
        kind: 'counter' as const,
        value: current && current.kind === 'counter' ? current.value + 1 : 0,
      }));
      return doc?.value ?? 0;
    },
  };
}
