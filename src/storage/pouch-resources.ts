// Resource documents: reading a path and its ancestors through the cache, writing them with their guards, counts and tombstones.
import type { RecordCache } from './pouch-cache.ts';
import type { PoolCounts } from './pouch-counts.ts';
import {
  getDoc,
  guardKey,
  highKey,
  isGuarded,
  isStatus,
  perPathPrefixes,
  removeIgnoringConflict,
  resourceKey,
  toDoc,
  toResource,
  type Db,
  type Doc,
} from './pouch-documents.ts';
import type { PutDocument } from './pouch-writes.ts';
import { AlreadyExistsError, RevisionConflictError, type ResourceRecord } from './storage.ts';

export class ResourceDocuments {
  constructor(
    private readonly db: Db,
    private readonly put: PutDocument,
    private readonly cache: RecordCache,
    private readonly counts: PoolCounts,
    /** Over HTTP one request beats several; on LevelDB, parallel gets beat allDocs' iterator per key. */
    private readonly remote: boolean,
  ) {}

  async read(path: string): Promise<ResourceRecord | undefined> {
    const id = resourceKey(path);
    const cached = this.cache.resource(id);
    if (cached) return cached;
    const doc = await getDoc(this.db, id);
    return doc && doc.kind === 'resource' ? this.cache.rememberResource(id, toResource(doc)) : undefined;
  }

  async readMany(paths: readonly string[]): Promise<(ResourceRecord | undefined)[]> {
    const ids = paths.map(resourceKey);
    const found = new Map<string, ResourceRecord>();
    const missing = ids.filter((id) => {
      const cached = this.cache.resource(id);
      if (cached) found.set(id, cached);
      return !cached;
    });
    if (missing.length > 0) {
      const docs = this.remote
        ? (await this.db.allDocs({ keys: missing, include_docs: true })).rows.map((row) => ('doc' in row ? row.doc : undefined))
        : await Promise.all(missing.map((id) => getDoc(this.db, id)));
      docs.forEach((doc, index) => {
        const id = missing[index] as string;
        if (doc && doc.kind === 'resource') found.set(id, this.cache.rememberResource(id, toResource(doc)));
      });
    }
    return ids.map((id) => found.get(id));
  }

  async insert(record: ResourceRecord): Promise<ResourceRecord> {
    const id = resourceKey(record.path);
    // The guard goes first: a crash in between leaves a guard too many, which costs a check, never a leak.
    if (isGuarded(record)) await this.writeGuard(record.path);
    let rev: string;
    try {
      rev = (await this.put({ _id: id, ...toDoc(record) })).rev;
    } catch (error) {
      if (isStatus(error, 409)) throw new AlreadyExistsError(record.path);
      throw error;
    }
    await this.counts.countChildren([{ record, delta: 1 }]);
    this.cache.rememberResource(id, toResource({ ...toDoc(record), _rev: rev }));
    return { ...record, revision: rev };
  }

  async insertMany(records: readonly ResourceRecord[]): Promise<string[]> {
    const guards = records.filter(isGuarded).map((record) => ({ _id: guardKey(record.path), kind: 'guard' as const, path: record.path }));
    if (guards.length > 0) await this.db.bulkDocs(guards);
    const results = await this.db.bulkDocs(records.map((record) => ({ _id: resourceKey(record.path), ...toDoc(record) })));
    const existing: string[] = [];
    const inserted: ResourceRecord[] = [];
    results.forEach((result, index) => {
      const record = records[index] as ResourceRecord;
      this.cache.forget(resourceKey(record.path));
      if (!('error' in result && result.error)) inserted.push(record);
      else if (result.status === 409) existing.push(record.path);
    });
    await this.counts.countChildren(inserted.map((record) => ({ record, delta: 1 })));
    return existing;
  }

  async replace(record: ResourceRecord): Promise<ResourceRecord> {
    if (record.revision === undefined) throw new Error(`replacing ${record.path} needs the revision it was read at`);
    const before = await this.read(record.path);
    if (!before || before.revision !== record.revision) throw new RevisionConflictError(record.path);
    const id = resourceKey(record.path);
    if (isGuarded(record) && !isGuarded(before)) await this.writeGuard(record.path);
    let rev: string;
    try {
      rev = (await this.put({ _id: id, _rev: record.revision, ...toDoc(record) })).rev;
    } catch (error) {
      // Whatever we hold of it is older than what the store has.
      this.cache.forget(id);
      if (isStatus(error, 409)) throw new RevisionConflictError(record.path);
      throw error;
    }
    this.cache.rememberResource(id, toResource({ ...toDoc(record), _rev: rev }));
    if (!isGuarded(record) && isGuarded(before)) await this.removeGuard(record.path);
    if (Boolean(before.hidden) !== Boolean(record.hidden) || Boolean(before.restricted) !== Boolean(record.restricted)) {
      await this.counts.countChildren([
        { record: before, delta: -1 },
        { record, delta: 1 },
      ]);
    }
    return { ...record, revision: rev };
  }

  async removeTree(path: string, keepPath: boolean): Promise<ResourceRecord[]> {
    const top = await getDoc(this.db, resourceKey(path));
    if (!top || top.kind !== 'resource') return [];
    // Every key below a path starts with it, as does every counter, count, session and guard kept for it.
    const below = await this.db.allDocs({ startkey: path, endkey: `${path}${highKey}`, include_docs: true });
    const extras = await Promise.all(
      perPathPrefixes.map((prefix) => this.db.allDocs({ startkey: `${prefix}${path}`, endkey: `${prefix}${path}${highKey}` })),
    );
    const removed = [toResource(top), ...below.rows.flatMap((row) => (row.doc && row.doc.kind === 'resource' ? [toResource(row.doc)] : []))];
    const topChange = keepPath ? { _id: top._id, _rev: top._rev, kind: 'tombstone', path } : { _id: top._id, _rev: top._rev, _deleted: true };
    const changes = [
      topChange,
      ...below.rows.map((row) => ({ _id: row.id, _rev: row.value.rev, _deleted: true })),
      ...extras.flatMap((page) => page.rows.map((row) => ({ _id: row.id, _rev: row.value.rev, _deleted: true }))),
    ];
    await this.db.bulkDocs(changes as unknown as PouchDB.Core.PutDocument<Doc>[]);
    for (const change of changes) this.cache.forget(change._id);
    await this.counts.countChildren([{ record: toResource(top), delta: -1 }]);
    return removed;
  }

  async guardedWithin(path: string): Promise<string[]> {
    const page = await this.db.allDocs({ startkey: guardKey(path), endkey: `${guardKey(path)}${highKey}` });
    return page.rows
      .map((row) => row.id.slice(guardKey('').length))
      .filter((guarded) => guarded !== path)
      .sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  }

  private async writeGuard(path: string): Promise<void> {
    try {
      await this.put({ _id: guardKey(path), kind: 'guard', path });
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
    }
  }

  private async removeGuard(path: string): Promise<void> {
    const doc = await getDoc(this.db, guardKey(path));
    if (doc) await removeIgnoringConflict(this.db, doc._id, doc._rev);
  }
}
