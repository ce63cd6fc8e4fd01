// Transactions over CouchDB, which stores no two documents atomically: a marker document decides, and every reader asks it.
import { randomBytes } from 'node:crypto';
import { createLruCache } from '../lru.ts';
import { getDoc, highKey, isStatus, removeIgnoringConflict, writeDocs, type Db, type Doc, type ResourceDoc, type StoredDoc } from './pouch-documents.ts';
import type { PutDoc } from './pouch-writes.ts';

export const transactionKey = (id: string) => `txn:${id}`;
/** A transaction pending longer than this was abandoned by a process that stopped: it is rolled back. */
const abandonedAfterMilliseconds = 60_000;

type TransactionState = 'pending' | 'committed';

/**
 * A transaction of several resources is written in four steps: a marker, pending; every resource
 * document, each carrying the transaction's id and, for one it replaces, what it replaced (`before`);
 * the marker, committed, which is the one moment the whole transaction becomes visible; and a cleanup
 * that takes id and `before` off the documents and removes the marker. A reader that meets a document
 * with an id sees its new state if the marker is committed, and its `before` (or nothing, for a new
 * resource) otherwise. A crash leaves a pending marker (rolled back later: nobody ever saw any of it)
 * or a committed one (cleaned up later: everybody sees all of it).
 */
export class RemoteTransactions {
  /** Committed is final, so it is remembered; pending is asked every time. */
  private readonly committed = createLruCache<string, true>(10_000);

  constructor(private readonly db: Db) {}

  /**
   * Writes the documents of one transaction; answers their new revisions, or throws the first conflict,
   * having written nothing visible. `after` (the transaction's journal) is written once all of it is visible.
   */
  async write(docs: readonly PutDoc[], befores: ReadonlyMap<string, ResourceDoc>, now: number, after: readonly PutDoc[] = []): Promise<string[]> {
    const id = randomBytes(12).toString('base64url');
    const marker = await this.db.put({ _id: transactionKey(id), kind: 'txn', state: 'pending', at: now, ids: docs.map((doc) => doc._id) } as unknown as PouchDB.Core.PutDocument<Doc>);
    const staged = docs.map((doc) => ({ ...doc, txn: id, ...(befores.has(doc._id) ? { before: befores.get(doc._id) } : {}) }));
    const results = await writeDocs(this.db, staged as unknown as PouchDB.Core.PutDocument<Doc>[]);
    const failed = results.find((result) => 'error' in result && result.error);
    const revs = results.map((result) => ('rev' in result ? (result.rev as string) : ''));
    if (failed) {
      await this.rollBack(id, docs.map((doc) => doc._id));
      throw failed;
    }
    // The moment the transaction becomes visible, as a whole.
    const committed = await this.db.put({ _id: transactionKey(id), _rev: marker.rev, kind: 'txn', state: 'committed', at: now, ids: docs.map((doc) => doc._id) } as unknown as PouchDB.Core.PutDocument<Doc>);
    this.committed.set(id, true);
    return this.cleanUp(id, staged, revs, { markerRev: committed.rev, after });
  }

  /** Each document as a reader may see it: its new state, what it replaced, or nothing. */
  async visible<D extends { txn?: string; before?: ResourceDoc }>(docs: readonly (D | undefined)[]): Promise<(D | ResourceDoc | undefined)[]> {
    const ids = [...new Set(docs.flatMap((doc) => (doc?.txn !== undefined && !this.committed.has(doc.txn) ? [doc.txn] : [])))];
    if (ids.length > 0) {
      const markers = await this.db.allDocs({ keys: ids.map(transactionKey), include_docs: true });
      for (const row of markers.rows) {
        const doc = 'doc' in row ? (row.doc as unknown as { state?: TransactionState } | undefined) : undefined;
        if (doc?.state === 'committed') this.committed.set(row.key.slice('txn:'.length), true);
      }
    }
    return docs.map((doc) => {
      if (doc?.txn === undefined || this.committed.has(doc.txn)) return doc;
      return doc.before;
    });
  }

  /** Rolls back what stopped pending, and finishes the cleanup of what was committed; answers how many. */
  async finishAbandoned(now: number): Promise<number> {
    const markers = await this.db.allDocs({ startkey: 'txn:', endkey: `txn:${highKey}`, include_docs: true });
    let finished = 0;
    for (const row of markers.rows) {
      const marker = row.doc as unknown as { state: TransactionState; at: number; ids: string[] } | undefined;
      if (!marker || now - marker.at < abandonedAfterMilliseconds) continue;
      const id = row.id.slice('txn:'.length);
      if (marker.state === 'pending') {
        await this.rollBack(id, marker.ids);
      } else {
        const docs = (await Promise.all(marker.ids.map((docId) => getDoc(this.db, docId)))).filter((doc): doc is StoredDoc => doc !== undefined && (doc as { txn?: string }).txn === id);
        await this.cleanUp(id, docs as unknown as PutDoc[], docs.map((doc) => doc._rev));
      }
      finished += 1;
    }
    return finished;
  }

  /** Puts back what the transaction replaced and removes what it created, then its marker. */
  private async rollBack(id: string, docIds: readonly string[]): Promise<void> {
    for (const docId of docIds) {
      const doc = (await getDoc(this.db, docId)) as (StoredDoc & { txn?: string; before?: ResourceDoc }) | undefined;
      if (!doc || doc.txn !== id) continue;
      try {
        if (doc.before) await this.db.put({ ...doc.before, _id: docId, _rev: doc._rev } as unknown as PouchDB.Core.PutDocument<Doc>);
        else await this.db.remove(docId, doc._rev);
      } catch (error) {
        if (!isStatus(error, 409)) throw error;
      }
    }
    const marker = await getDoc(this.db, transactionKey(id));
    if (marker) await removeIgnoringConflict(this.db, marker._id, marker._rev);
  }

  /**
   * Takes the transaction's traces off its documents and removes its marker; answers the documents'
   * revisions. The writer knows its marker's revision and has more to write (`after`): all of that is one request.
   */
  private async cleanUp(id: string, docs: readonly PutDoc[], revs: readonly string[], writer?: { markerRev: string; after: readonly PutDoc[] }): Promise<string[]> {
    const clean = docs.map((doc, index) => {
      const { txn: _txn, before: _before, ...rest } = doc as PutDoc & { txn?: string; before?: unknown };
      return { ...rest, _rev: revs[index] };
    });
    const markerRemoval = writer ? [{ _id: transactionKey(id), _rev: writer.markerRev, _deleted: true }] : [];
    // A document changed again meanwhile carries no trace any more: its conflict here is fine.
    const results = await writeDocs(this.db, [...clean, ...markerRemoval, ...(writer?.after ?? [])] as unknown as PouchDB.Core.PutDocument<Doc>[]);
    const failedAfter = results.slice(clean.length + markerRemoval.length).find((result) => 'error' in result && result.error);
    if (failedAfter) throw failedAfter;
    if (!writer) {
      const marker = await getDoc(this.db, transactionKey(id));
      if (marker) await removeIgnoringConflict(this.db, marker._id, marker._rev);
    }
    return results.slice(0, clean.length).map((result, index) => ('rev' in result && result.rev ? (result.rev as string) : (revs[index] as string)));
  }
}
