// The one writer of a local store: writes that arrive while a batch is written leave together, with the pools' counts and counters, in one atomic batch.
import type { LRUCache } from 'lru-cache';
import { createLruCache } from '../lru.ts';
import { countsKey, getDoc, isJournalKey, writeDocs, type Db, type Doc } from './pouch-documents.ts';
import type { ChildCounts } from './storage.ts';

export type PutDoc = PouchDB.Core.PutDocument<Doc> & { _id: string; _deleted?: boolean };
/** Writes one document as db.put would: its new revision, or the same error (status 409 on a conflict). */
export type PutDocument = (doc: PutDoc) => Promise<{ rev: string }>;

/** A child added to (+1) or taken from (-1) a pool's counts, by type and visibility. */
export interface CountChange {
  pool: string;
  type: string;
  hidden: boolean;
  restricted: boolean;
  delta: number;
}

/**
 * Documents written together or not at all, with what they change in the pools' counts and the names
 * they took from counters. Each document is checked before the batch: one without `_rev` must not
 * exist, one with it must still be at that revision; otherwise nothing of the unit is written.
 */
export interface WriteUnit {
  docs: PutDoc[];
  /**
   * Documents whose id says all they hold (references, guards): written unless they are there already,
   * in which case the one there is the same. They are not read first; a conflict on one is its being there.
   */
  upserts?: PutDoc[];
  /** Ids of documents deleted if they are there. */
  removals?: string[];
  counts?: CountChange[];
  /** Counters whose values the unit's names used: each is stored as at least this value. */
  counters?: { name: string; value: number }[];
}

interface Waiting {
  unit: WriteUnit;
  /** Plain one-document puts are not checked in advance: a conflict fails only their writer. */
  checked: boolean;
  resolve: (revs: string[]) => void;
  reject: (error: unknown) => void;
}

interface Stored<T> {
  value: T;
  rev: string | undefined;
}

const conflict = (id: string) => Object.assign(new Error(`Document update conflict: ${id}`), { status: 409, name: 'conflict' });

/**
 * A local PouchDB writes one bulkDocs at a time under its own lock, waiting for LevelDB in between, and
 * one bulkDocs is one LevelDB batch: all of it is stored, or nothing. So every write goes through here:
 * a unit is written at once when nothing is being written, and otherwise waits for the batch in flight
 * and leaves with everything that arrived meanwhile. The pools' counts and counters are kept in memory
 * (this process is the store's only writer), changed by the units of a batch and written in the same
 * batch as the children they count: a crash keeps both or neither.
 */
export class LocalCommitter {
  private waiting: Waiting[] = [];
  private writing = false;
  private readonly counts: LRUCache<string, Promise<Stored<Record<string, ChildCounts>>>>;
  private readonly counters: LRUCache<string, Promise<Stored<number>>>;
  /**
   * The next value each counter hands out, ahead of what is stored: values are stored with the names
   * that use them. Forgetting one is safe: a name handed out twice makes the second insert conflict,
   * and the caller takes the next.
   */
  private readonly handedOut: LRUCache<string, number>;

  constructor(
    private readonly db: Db,
    /** Pools whose counts and counters are held in memory at most. */
    held = 100_000,
  ) {
    this.counts = createLruCache(held);
    this.counters = createLruCache(held);
    this.handedOut = createLruCache(held);
  }

  readonly put: PutDocument = (doc) => this.enqueue({ docs: [doc] }, false).then(([rev]) => ({ rev: rev as string }));

  write(unit: WriteUnit): Promise<string[]> {
    return this.enqueue(unit, true);
  }

  async childCounts(pool: string): Promise<Record<string, ChildCounts>> {
    return (await this.loadCounts(pool)).value;
  }

  /** The next value of a counter; it is stored when a unit that used it is written. */
  async nextValue(name: string): Promise<number> {
    const stored = await this.loadCounter(name);
    const value = Math.max(this.handedOut.get(name) ?? 0, stored.value + 1);
    this.handedOut.set(name, value + 1);
    return value;
  }

  private enqueue(unit: WriteUnit, checked: boolean): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ unit, checked, resolve, reject });
      if (!this.writing) void this.writeNext();
    });
  }

  private loadCounts(pool: string): Promise<Stored<Record<string, ChildCounts>>> {
    let loading = this.counts.get(pool);
    if (!loading) {
      loading = getDoc(this.db, countsKey(pool)).then((doc) => ({ value: doc && doc.kind === 'counts' ? doc.byType : {}, rev: doc?._rev }));
      this.counts.set(pool, loading);
      loading.catch(() => this.counts.delete(pool));
    }
    return loading;
  }

  private loadCounter(name: string): Promise<Stored<number>> {
    let loading = this.counters.get(name);
    if (!loading) {
      // The stored value is the last one a written name used; -1 when none was.
      loading = getDoc(this.db, `counter:${name}`).then((doc) => ({ value: doc && doc.kind === 'counter' ? doc.value : -1, rev: doc?._rev }));
      this.counters.set(name, loading);
      loading.catch(() => this.counters.delete(name));
    }
    return loading;
  }

  private async writeNext(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) {
      this.writing = false;
      return;
    }
    this.writing = true;
    try {
      await this.writeBatch(batch);
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
    void this.writeNext();
  }

  /**
   * Units that would conflict are answered before the batch, so that counts never include a child that
   * was not written; their upserts and removals get the revisions they replace.
   */
  private async admit(batch: Waiting[]): Promise<Waiting[]> {
    const idsOf = (unit: WriteUnit) => [...unit.docs.map((doc) => doc._id), ...(unit.upserts ?? []).map((doc) => doc._id), ...(unit.removals ?? [])];
    // A journal's id is new by construction, and an upsert needs no revision: reading them would be wasted.
    const checkedIds = [...new Set(batch.filter(({ checked }) => checked).flatMap(({ unit }) => [...unit.docs.map((doc) => doc._id), ...(unit.removals ?? [])]))].filter(
      (id) => !isJournalKey(id),
    );
    const revisions = new Map<string, string | undefined>();
    await Promise.all(checkedIds.map(async (id) => revisions.set(id, (await getDoc(this.db, id))?._rev)));
    const taken = new Set<string>();
    const admitted: Waiting[] = [];
    for (const waiting of batch) {
      const ids = idsOf(waiting.unit);
      if (!waiting.checked) {
        // Two writes of one document in one bulkDocs leave PouchDB's revision tree inconsistent (a
        // document listed as its own conflict, whose body a later allDocs cannot find): the later one
        // waits for the next batch, where it meets the first one's revision like any other write.
        if (ids.some((id) => taken.has(id))) {
          this.waiting.push(waiting);
          continue;
        }
        ids.forEach((id) => taken.add(id));
        admitted.push(waiting);
        continue;
      }
      // Two units of one batch writing one document: the first comes first, the second conflicts.
      const fits = ids.every((id) => !taken.has(id)) && waiting.unit.docs.every((doc) => revisions.get(doc._id) === doc._rev);
      if (!fits) {
        waiting.reject(conflict(ids.join(', ')));
        continue;
      }
      ids.forEach((id) => taken.add(id));
      const { unit } = waiting;
      const removals = (unit.removals ?? []).flatMap((id) => {
        const rev = revisions.get(id);
        return rev === undefined ? [] : [{ _id: id, _rev: rev, _deleted: true } as PutDoc];
      });
      // From here on the unit's documents and upserts are exactly what goes into the batch.
      waiting.unit = { ...unit, docs: [...unit.docs, ...removals], removals: [] };
      admitted.push(waiting);
    }
    return admitted;
  }

  private async writeBatch(batch: Waiting[]): Promise<void> {
    const admitted = await this.admit(batch);
    if (admitted.length === 0) return;
    const counts = new Map<string, Stored<Record<string, ChildCounts>>>();
    const counters = new Map<string, Stored<number>>();
    for (const { unit } of admitted) {
      for (const change of unit.counts ?? []) {
        if (!counts.has(change.pool)) counts.set(change.pool, structuredClone(await this.loadCounts(change.pool)));
        applyCount((counts.get(change.pool) as Stored<Record<string, ChildCounts>>).value, change);
      }
      for (const { name, value } of unit.counters ?? []) {
        if (!counters.has(name)) counters.set(name, { ...(await this.loadCounter(name)) });
        const counter = counters.get(name) as Stored<number>;
        counter.value = Math.max(counter.value, value);
      }
    }
    // A unit that removes a subtree deletes its pools' counts and counters itself: they are not written again.
    const deleted = new Set(admitted.flatMap(({ unit }) => unit.docs.filter((doc) => doc._deleted).map((doc) => doc._id)));
    for (const id of deleted) {
      if (id.startsWith('counts:')) {
        counts.delete(id.slice('counts:'.length));
        this.counts.delete(id.slice('counts:'.length));
      } else if (id.startsWith('counter:')) {
        counters.delete(id.slice('counter:'.length));
        this.counters.delete(id.slice('counter:'.length));
        this.handedOut.delete(id.slice('counter:'.length));
      }
    }
    const derived: PutDoc[] = [
      ...[...counts].map(([pool, { value, rev }]) => ({ _id: countsKey(pool), ...(rev ? { _rev: rev } : {}), kind: 'counts' as const, byType: value })),
      ...[...counters].map(([name, { value, rev }]) => ({ _id: `counter:${name}`, ...(rev ? { _rev: rev } : {}), kind: 'counter' as const, value })),
    ];
    const docs = [...admitted.flatMap(({ unit }) => [...unit.docs, ...(unit.upserts ?? [])]), ...derived];
    let results: (PouchDB.Core.Response | PouchDB.Core.Error)[];
    try {
      results = await writeDocs(this.db, docs);
    } catch (error) {
      // Nothing was stored: what this process holds of counts and counters may be behind the store's.
      this.counts.clear();
      this.counters.clear();
      throw error;
    }
    // The counts and counters written are what this process holds from now on.
    const derivedResults = results.slice(docs.length - derived.length);
    [...counts].forEach(([pool, stored], index) => this.remember(this.counts, pool, stored, derivedResults[index]));
    [...counters].forEach(([name, stored], index) => this.remember(this.counters, name, stored, derivedResults[counts.size + index]));
    let offset = 0;
    for (const { unit, resolve, reject } of admitted) {
      const own = results.slice(offset, offset + unit.docs.length);
      const upserted = results.slice(offset + unit.docs.length, offset + unit.docs.length + (unit.upserts?.length ?? 0));
      offset += unit.docs.length + upserted.length;
      const failed = [...own, ...upserted.filter((result) => !isConflict(result))].find((result) => !result || ('error' in result && result.error));
      // A local adapter's error result is what db.put would have thrown (it has the status).
      if (failed || own.length !== unit.docs.length) reject(failed ?? new Error(`bulkDocs answered ${results.length} results for ${docs.length} documents`));
      else resolve(own.map((result) => (result as PouchDB.Core.Response).rev));
    }
  }

  private remember<T>(held: LRUCache<string, Promise<Stored<T>>>, key: string, stored: Stored<T>, result: PouchDB.Core.Response | PouchDB.Core.Error | undefined): void {
    if (result && 'ok' in result && result.ok) held.set(key, Promise.resolve({ value: stored.value, rev: result.rev }));
    else held.delete(key);
  }
}

/** An upsert's conflict: the document is there already, and holds the same. */
function isConflict(result: PouchDB.Core.Response | PouchDB.Core.Error | undefined): boolean {
  return result !== undefined && 'error' in result && result.status === 409;
}

function applyCount(byType: Record<string, ChildCounts>, change: CountChange): void {
  const counts = (byType[change.type] ??= { visible: 0, hidden: 0, restricted: 0 });
  if (change.restricted) counts.restricted = Math.max(0, counts.restricted + change.delta);
  if (change.hidden) counts.hidden = Math.max(0, counts.hidden + change.delta);
  else counts.visible = Math.max(0, counts.visible + change.delta);
}
