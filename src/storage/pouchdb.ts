// The one Storage implementation: PouchDB on LevelDB (embedded), in memory (tests) or over HTTP (CouchDB).
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import findPlugin from 'pouchdb-find';
import { LRUCache } from 'lru-cache';
import { parentPath } from '../tree/path.ts';
import * as claims from './pouch-claims.ts';
import {
  childrenRange,
  countsKey,
  getDoc,
  highKey,
  isStatus,
  resourceKey,
  type Db,
  type Doc,
  type ResourceDoc,
} from './pouch-documents.ts';
import * as sessions from './pouch-sessions.ts';
import { createGroupCommit, type PutDoc, type PutDocument } from './pouch-writes.ts';
import { compareBySort, indexDesignDoc, indexField, indexFieldsOf, indexOnlySelector, matchesQuery, type QueriedDoc } from './pouch-query.ts';
import {
  AlreadyExistsError,
  RevisionConflictError,
  StorageUnavailableError,
  type ChildCounts,
  type ChildQuery,
  type ResourceRecord,
  type SessionRecord,
  type Storage,
  type UniqueClaim,
} from './storage.ts';

PouchDB.plugin(memoryAdapter);
PouchDB.plugin(findPlugin);


export type PouchLocation =
  | { adapter: 'leveldb'; directory: string }
  | { adapter: 'memory'; name: string }
  | { adapter: 'http'; url: string };

/**
 * Opens the database and reads from it once, so that a locked or unreachable store fails here, and
 * makes sure there is an index for every key that queries may sort on.
 */
export async function openPouchStorage(
  location: PouchLocation,
  options: { indexKeys?: readonly string[]; cacheSize?: number } = {},
): Promise<Storage> {
  // Counters and counts are rewritten with every child: without compaction each would keep every old
  // revision and make writes and reopening slow. A write is checked against the current revision only,
  // which needs no history, and nothing replicates from this store: one revision of history is enough,
  // and every longer one costs each write its parsing and stemming (a put took 182 µs of CPU with one
  // revision kept, 454 µs with 20).
  const local = { auto_compaction: true, revs_limit: 1 };
  const db: Db =
    location.adapter === 'leveldb'
      ? // Inside the directory, so that the index databases PouchDB adds (`store-mrview-*`) live there too.
        new PouchDB<Doc>('store', { adapter: 'leveldb', prefix: `${location.directory.replace(/\/+$/, '')}/`, ...local })
      : location.adapter === 'memory'
        ? new PouchDB<Doc>(location.name, { adapter: 'memory', ...local })
        : new PouchDB<Doc>(location.url, { adapter: 'http', skip_setup: false });
  try {
    await db.info();
  } catch (error) {
    const where = location.adapter === 'leveldb' ? location.directory : location.adapter === 'http' ? location.url : location.name;
    throw new StorageUnavailableError(`cannot open the database at ${where}: ${describe(error)}`, { cause: error });
  }
  for (const key of options.indexKeys ?? []) {
    await db.createIndex({ index: { fields: ['parent', indexField(key)], ddoc: indexDesignDoc(key), name: 'by-parent' } });
  }
  const storage = new PouchStorage(db, location.adapter === 'memory', options.cacheSize ?? 10_000, location.adapter === 'http');
  // Other processes write to a shared CouchDB: its changes feed tells this one what to forget.
  if (location.adapter === 'http') storage.followChanges();
  return storage;
}

class PouchStorage implements Storage {
  /** In-process queues of read-change-write cycles, per document id. */
  private readonly docQueues = new Map<string, Promise<unknown>>();
  /**
   * Recently read resources by document id. Every request reads a path and its ancestors, and a
   * PouchDB read costs far more than the rest of a GET. The embedded store has one process (LevelDB's
   * lock), which updates the cache on each of its writes; with CouchDB the changes feed evicts.
   */
  private readonly cache: LRUCache<string, ResourceRecord>;
  /** Pools' child counts by document id, kept the same way; an empty record for a pool without any. */
  private readonly countsCache: LRUCache<string, Record<string, ChildCounts>>;
  private feed: PouchDB.Core.Changes<Doc> | undefined;
  /**
   * Every one-document write. Local stores group them (pouch-writes.ts); CouchDB takes concurrent
   * writes by itself, and its per-document errors over _bulk_docs would lack the status a put has.
   */
  private readonly put: PutDocument;

  constructor(
    private readonly db: Db,
    private readonly destroyOnClose: boolean,
    cacheSize: number,
    private readonly remote: boolean,
  ) {
    this.cache = new LRUCache({ max: Math.max(1, cacheSize) });
    this.countsCache = new LRUCache({ max: Math.max(1, cacheSize) });
    this.put = remote ? (doc) => db.put(doc) : createGroupCommit(db);
  }

  followChanges(): void {
    this.feed = this.db.changes({ since: 'now', live: true });
    this.feed.on('change', (change) => this.forget(change.id));
    // Without the feed the cache could go stale: stop caching rather than serve old data.
    this.feed.on('error', () => {
      this.cache.clear();
      this.countsCache.clear();
      this.cacheEnabled = false;
    });
  }

  private cacheEnabled = true;

  private forget(id: string): void {
    this.cache.delete(id);
    this.countsCache.delete(id);
  }

  private remember(id: string, record: ResourceRecord): ResourceRecord {
    // Frozen, because callers share the cached object: a change must go through a write.
    for (const fields of Object.values(record.data)) Object.freeze(fields);
    Object.freeze(record.data);
    Object.freeze(record);
    if (this.cacheEnabled) this.cache.set(id, record);
    return record;
  }

  async readResource(path: string): Promise<ResourceRecord | undefined> {
    const id = resourceKey(path);
    const cached = this.cache.get(id);
    if (cached) return cached;
    const doc = await getDoc(this.db, id);
    return doc && doc.kind === 'resource' ? this.remember(id, toResource(doc)) : undefined;
  }

  async readResources(paths: readonly string[]): Promise<(ResourceRecord | undefined)[]> {
    const ids = paths.map(resourceKey);
    const found = new Map<string, ResourceRecord>();
    const missing = ids.filter((id) => {
      const cached = this.cache.get(id);
      if (cached) found.set(id, cached);
      return !cached;
    });
    if (missing.length > 0) {
      // Over HTTP one request beats several; on LevelDB, parallel gets beat allDocs' iterator per key.
      const docs = this.remote
        ? (await this.db.allDocs({ keys: missing, include_docs: true })).rows.map((row) => ('doc' in row ? row.doc : undefined))
        : await Promise.all(missing.map((id) => getDoc(this.db, id)));
      docs.forEach((doc, index) => {
        const id = missing[index] as string;
        if (doc && doc.kind === 'resource') found.set(id, this.remember(id, toResource(doc)));
      });
    }
    return ids.map((id) => found.get(id));
  }

  async insertResource(record: ResourceRecord): Promise<ResourceRecord> {
    let rev: string;
    try {
      rev = (await this.put({ _id: resourceKey(record.path), ...toDoc(record) })).rev;
    } catch (error) {
      if (isStatus(error, 409)) throw new AlreadyExistsError(record.path);
      throw error;
    }
    await this.countChildren([{ record, delta: 1 }]);
    this.remember(resourceKey(record.path), toResource({ ...toDoc(record), _rev: rev }));
    return { ...record, revision: rev };
  }

  async insertResources(records: readonly ResourceRecord[]): Promise<string[]> {
    const results = await this.db.bulkDocs(records.map((record) => ({ _id: resourceKey(record.path), ...toDoc(record) })));
    const existing: string[] = [];
    const inserted: ResourceRecord[] = [];
    results.forEach((result, index) => {
      const record = records[index] as ResourceRecord;
      this.cache.delete(resourceKey(record.path));
      if (!('error' in result && result.error)) inserted.push(record);
      else if (result.status === 409) existing.push(record.path);
    });
    await this.countChildren(inserted.map((record) => ({ record, delta: 1 })));
    return existing;
  }

  async replaceResource(record: ResourceRecord): Promise<ResourceRecord> {
    if (record.revision === undefined) throw new Error(`replaceResource(${record.path}) needs the revision it was read at`);
    const before = await this.readResource(record.path);
    if (!before || before.revision !== record.revision) throw new RevisionConflictError(record.path);
    const id = resourceKey(record.path);
    let rev: string;
    try {
      rev = (await this.put({ _id: id, _rev: record.revision, ...toDoc(record) })).rev;
    } catch (error) {
      // Whatever we hold of it is older than what the store has.
      this.cache.delete(id);
      if (isStatus(error, 409)) throw new RevisionConflictError(record.path);
      throw error;
    }
    this.remember(id, toResource({ ...toDoc(record), _rev: rev }));
    if (Boolean(before.hidden) !== Boolean(record.hidden) || Boolean(before.restricted) !== Boolean(record.restricted)) {
      await this.countChildren([
        { record: before, delta: -1 },
        { record, delta: 1 },
      ]);
    }
    return { ...record, revision: rev };
  }

  async removeTree(path: string): Promise<ResourceRecord[]> {
    const top = await getDoc(this.db, resourceKey(path));
    if (!top || top.kind !== 'resource') return [];
    // Every key below a path starts with it, as does every counter, count and session kept for it.
    const below = await this.db.allDocs({ startkey: path, endkey: `${path}${highKey}`, include_docs: true });
    const extras = await Promise.all(
      ['counts:', 'counter:', 'session:'].map((prefix) =>
        this.db.allDocs({ startkey: `${prefix}${path}`, endkey: `${prefix}${path}${highKey}` }),
      ),
    );
    const removed = [toResource(top), ...below.rows.flatMap((row) => (row.doc && row.doc.kind === 'resource' ? [toResource(row.doc)] : []))];
    const deletions = [
      { _id: top._id, _rev: top._rev, _deleted: true },
      ...below.rows.map((row) => ({ _id: row.id, _rev: row.value.rev, _deleted: true })),
      ...extras.flatMap((page) => page.rows.map((row) => ({ _id: row.id, _rev: row.value.rev, _deleted: true }))),
    ];
    await this.db.bulkDocs(deletions as unknown as PouchDB.Core.PutDocument<Doc>[]);
    for (const deletion of deletions) this.forget(deletion._id);
    await this.countChildren([{ record: toResource(top), delta: -1 }]);
    return removed;
  }

  async queryChildren(query: ChildQuery): Promise<ResourceRecord[]> {
    if (query.depth === 1 && query.sort) return this.queryIndexedPage(query, query.sort);
    const matches: QueriedDoc[] = [];
    const wanted = query.limit === undefined || query.sort ? Number.POSITIVE_INFINITY : query.offset + query.limit;
    await this.scanDescendants(query, (doc) => {
      matches.push(doc);
      return matches.length < wanted;
    });
    matches.sort(compareBySort(query));
    const page = matches.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit);
    return page.map((doc) => toResource(doc as unknown as ResourceDoc));
  }

  /**
   * A sorted page of one pool, read from the (pool, sort key) index in batches until it is full, with
   * the other conditions checked on the way: the cost follows the page, not the pool.
   */
  private async queryIndexedPage(query: ChildQuery, sort: { key: string; reverse: boolean }): Promise<ResourceRecord[]> {
    const direction = sort.reverse ? 'desc' : 'asc';
    const wanted = query.limit === undefined ? Number.POSITIVE_INFINITY : query.limit;
    const batchSize = Math.min(1000, Math.max(50, 2 * (query.offset + Math.min(wanted, 1000))));
    const parentDepth = depthOf(query.parent);
    const page: ResourceRecord[] = [];
    let matched = 0;
    for (let skip = 0; ; skip += batchSize) {
      const result = await this.db.find({
        selector: indexOnlySelector(query),
        sort: [{ parent: direction }, { [indexField(sort.key)]: direction }],
        use_index: indexDesignDoc(sort.key),
        limit: batchSize,
        skip,
      });
      for (const doc of result.docs as unknown as (ResourceDoc & QueriedDoc & { _rev: string })[]) {
        if (!matchesQuery(doc, query, parentDepth)) continue;
        if (doc.restricted && query.isListable && !query.isListable(toResource(doc))) continue;
        matched += 1;
        if (matched <= query.offset) continue;
        page.push(toResource(doc));
        if (page.length >= wanted) return page;
      }
      if (result.docs.length < batchSize) return page;
    }
  }

  async countMatches(query: ChildQuery): Promise<number> {
    let count = 0;
    await this.scanDescendants(query, () => {
      count += 1;
      return true;
    });
    return count;
  }

  async aggregateMatches(query: ChildQuery, key: string): Promise<Record<string, number>> {
    const field = indexField(key);
    const counts: Record<string, number> = {};
    await this.scanDescendants(query, (doc) => {
      const value = doc[field];
      const label = typeof value === 'string' ? value : JSON.stringify(value ?? null);
      counts[label] = (counts[label] ?? 0) + 1;
      return true;
    });
    return counts;
  }

  /**
   * Reads the children (a key range in name order) or the whole subtree, page by page, handing each
   * matching document to `take` until it answers false.
   */
  private async scanDescendants(query: ChildQuery, take: (doc: QueriedDoc) => boolean): Promise<void> {
    const parentDepth = depthOf(query.parent);
    const range = query.depth === 1 ? childrenRange(query.parent) : { startkey: query.parent, endkey: `${query.parent}${highKey}` };
    const pageSize = 200;
    let options: PouchDB.Core.AllDocsWithinRangeOptions = { ...range, include_docs: true, limit: pageSize };
    for (;;) {
      const page = await this.db.allDocs(options);
      for (const row of page.rows) {
        const doc = row.doc as (Doc & QueriedDoc) | undefined;
        if (!doc || doc.kind !== 'resource' || !matchesQuery(doc, query, parentDepth)) continue;
        if (doc.restricted && query.isListable && !query.isListable(toResource(doc))) continue;
        if (!take(doc)) return;
      }
      const last = page.rows.at(-1);
      if (page.rows.length < pageSize || !last) return;
      options = { ...options, startkey: last.id, skip: 1 };
    }
  }

  async childCounts(parent: string): Promise<Record<string, ChildCounts>> {
    const id = countsKey(parent);
    const cached = this.countsCache.get(id);
    if (cached) return cached;
    const doc = await getDoc(this.db, id);
    const counts = doc && doc.kind === 'counts' ? doc.byType : {};
    if (this.cacheEnabled) this.countsCache.set(id, counts);
    return counts;
  }

  /** Adds or takes away children in their parents' counts, by type and visibility. */
  private async countChildren(changes: { record: ResourceRecord; delta: number }[]): Promise<void> {
    const byParent = new Map<string, { type: string; hidden: boolean; restricted: boolean; delta: number }[]>();
    for (const { record, delta } of changes) {
      const parent = parentPath(record.path);
      if (parent === undefined) continue;
      const change = { type: record.contentType, hidden: Boolean(record.hidden), restricted: Boolean(record.restricted), delta };
      byParent.set(parent, [...(byParent.get(parent) ?? []), change]);
    }
    for (const [parent, deltas] of byParent) {
      await this.updateDoc(countsKey(parent), (current) => {
        const byType = structuredClone(current && current.kind === 'counts' ? current.byType : {});
        for (const { type, hidden, restricted, delta } of deltas) {
          const counts = (byType[type] ??= { visible: 0, hidden: 0, restricted: 0 });
          counts.restricted = Math.max(0, (counts.restricted ?? 0) + (restricted ? delta : 0));
          if (hidden) counts.hidden = Math.max(0, counts.hidden + delta);
          else counts.visible = Math.max(0, counts.visible + delta);
        }
        return { kind: 'counts' as const, byType };
      });
    }
  }

  incrementCounter(name: string): Promise<number> {
    return this.updateDoc(`counter:${name}`, (current) => ({
      kind: 'counter' as const,
      value: current && current.kind === 'counter' ? current.value + 1 : 0,
    })).then((doc) => doc.value);
  }

  /**
   * Read, change and write one document, queued per id in this process so that concurrent changes here
   * do not fight over one revision; another process sharing the database makes the put conflict, so
   * re-read and change again.
   */
  private updateDoc<D extends Doc>(id: string, change: (current: Doc | undefined) => D | Promise<D>): Promise<D> {
    const previous = this.docQueues.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      for (;;) {
        const current = await getDoc(this.db, id);
        const updated = await change(current);
        try {
          const doc: PutDoc = { ...updated, _id: id, ...(current ? { _rev: current._rev } : {}) };
          await this.put(doc);
          if (updated.kind === 'counts' && this.cacheEnabled) this.countsCache.set(id, updated.byType);
          return updated;
        } catch (error) {
          this.countsCache.delete(id);
          if (!isStatus(error, 409)) throw error;
        }
      }
    });
    this.docQueues.set(id, next);
    void next
      .finally(() => {
        if (this.docQueues.get(id) === next) this.docQueues.delete(id);
      })
      .catch(() => undefined);
    return next;
  }

  claimUnique = (claim: UniqueClaim) => claims.claimUnique(this.db, this.put, claim);
  readUniqueClaim = (scope: string, key: string) => claims.readUniqueClaim(this.db, scope, key);
  releaseUnique = (scope: string, key: string, owner: string) => claims.releaseUnique(this.db, scope, key, owner);
  takeOverUnique = (stale: UniqueClaim, next: UniqueClaim) => claims.takeOverUnique(this.db, this.put, stale, next);

  insertSession = (session: SessionRecord) => sessions.insertSession(this.put, session);
  readSession = (userPath: string, id: string) => sessions.readSession(this.db, userPath, id);
  touchSession = (userPath: string, id: string, lastUsedAt: number) => sessions.touchSession(this.db, this.put, userPath, id, lastUsedAt);
  deleteSession = (userPath: string, id: string) => sessions.deleteSession(this.db, userPath, id);
  listSessions = (userPath: string) => sessions.listSessions(this.db, userPath);
  deleteSessionsWhere = (isDead: (session: SessionRecord) => boolean) => sessions.deleteSessionsWhere(this.db, isDead);

  async close(): Promise<void> {
    this.feed?.cancel();
    this.cache.clear();
    this.countsCache.clear();
    if (this.destroyOnClose) await this.db.destroy();
    else await this.db.close();
  }
}

function depthOf(path: string): number {
  return path.split('/').length - 2;
}

function toDoc(record: ResourceRecord): ResourceDoc {
  return {
    kind: 'resource',
    path: record.path,
    parent: parentPath(record.path) ?? null,
    depth: depthOf(record.path),
    content_type: record.contentType,
    hidden: Boolean(record.hidden),
    restricted: Boolean(record.restricted),
    data: record.data,
    ...indexFieldsOf(record),
  };
}

/** Index values are not read back: they are derived from the data again on every write. */
function toResource(doc: ResourceDoc & { _rev?: string }): ResourceRecord {
  return {
    path: doc.path,
    contentType: doc.content_type,
    data: doc.data,
    hidden: doc.hidden === true,
    restricted: doc.restricted === true,
    ...(doc._rev ? { revision: doc._rev } : {}),
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
