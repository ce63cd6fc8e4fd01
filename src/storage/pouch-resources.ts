// Resource documents: reading a path and its ancestors through the cache, writing them with their guards, counts, counters and tombstones.
import type { RecordCache } from './pouch-cache.ts';
import {
  countsKey,
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
import type { CountChange, LocalCommitter, PutDoc, PutDocument, WriteUnit } from './pouch-writes.ts';
import { AlreadyExistsError, RevisionConflictError, type ResourceRecord } from './storage.ts';
import { parentPath } from '../tree/path.ts';

/** How often a removal is tried again when the subtree changed while it was read. */
const maxRemovalAttempts = 5;

const countChange = (record: ResourceRecord, delta: number): CountChange[] => {
  const pool = parentPath(record.path);
  return pool === undefined ? [] : [{ pool, type: record.contentType, hidden: Boolean(record.hidden), restricted: Boolean(record.restricted), delta }];
};

/**
 * How resource writes reach the store. Locally, through the one writer: a resource, its guard and its
 * pool's counts in one atomic batch. Over CouchDB, one document at a time, in an order that errs on the
 * safe side (a guard before what it guards, and removed after it), with counts derived by a view.
 */
type Writer = { local: LocalCommitter } | { remote: PutDocument };

export class ResourceDocuments {
  constructor(
    private readonly db: Db,
    private readonly writer: Writer,
    private readonly cache: RecordCache,
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
      // Over HTTP one request beats several; on LevelDB, parallel gets beat allDocs' iterator per key.
      const docs =
        'remote' in this.writer
          ? (await this.db.allDocs({ keys: missing, include_docs: true })).rows.map((row) => ('doc' in row ? row.doc : undefined))
          : await Promise.all(missing.map((id) => getDoc(this.db, id)));
      docs.forEach((doc, index) => {
        const id = missing[index] as string;
        if (doc && doc.kind === 'resource') found.set(id, this.cache.rememberResource(id, toResource(doc)));
      });
    }
    return ids.map((id) => found.get(id));
  }

  async insert(record: ResourceRecord, counter?: { name: string; value: number }): Promise<ResourceRecord> {
    const id = resourceKey(record.path);
    const docs: PutDoc[] = [];
    if (isGuarded(record)) docs.push(await this.guardDoc(record.path));
    docs.push({ _id: id, ...toDoc(record) });
    let revs: string[];
    try {
      revs = await this.write({ docs, counts: countChange(record, 1), ...(counter ? { counters: [counter] } : {}) });
    } catch (error) {
      if (isStatus(error, 409)) throw new AlreadyExistsError(record.path);
      throw error;
    }
    const rev = revs.at(-1) as string;
    this.cache.rememberResource(id, toResource({ ...toDoc(record), _rev: rev }));
    return { ...record, revision: rev };
  }

  /** Stores many new resources at once; answers the paths that existed already, which are left as they are. */
  async insertMany(records: readonly ResourceRecord[]): Promise<string[]> {
    const existing = await this.readMany(records.map((record) => record.path));
    const fresh = records.filter((_, index) => existing[index] === undefined);
    const docs: PutDoc[] = [];
    for (const record of fresh) {
      if (isGuarded(record)) docs.push(await this.guardDoc(record.path));
      docs.push({ _id: resourceKey(record.path), ...toDoc(record) });
    }
    if (fresh.length > 0) await this.write({ docs, counts: fresh.flatMap((record) => countChange(record, 1)) });
    for (const record of fresh) this.cache.forget(resourceKey(record.path));
    return records.filter((_, index) => existing[index] !== undefined).map((record) => record.path);
  }

  async replace(record: ResourceRecord): Promise<ResourceRecord> {
    if (record.revision === undefined) throw new Error(`replacing ${record.path} needs the revision it was read at`);
    const before = await this.read(record.path);
    if (!before || before.revision !== record.revision) throw new RevisionConflictError(record.path);
    const id = resourceKey(record.path);
    const docs: PutDoc[] = [{ _id: id, _rev: record.revision, ...toDoc(record) }];
    if (isGuarded(record) && !isGuarded(before)) docs.unshift(await this.guardDoc(record.path));
    if (!isGuarded(record) && isGuarded(before)) {
      const guard = await getDoc(this.db, guardKey(record.path));
      if (guard) docs.push({ _id: guard._id, _rev: guard._rev, _deleted: true } as PutDoc);
    }
    const flagsChanged = Boolean(before.hidden) !== Boolean(record.hidden) || Boolean(before.restricted) !== Boolean(record.restricted);
    let revs: string[];
    try {
      revs = await this.write({ docs, counts: flagsChanged ? [...countChange(before, -1), ...countChange(record, 1)] : [] });
    } catch (error) {
      // Whatever we hold of it is older than what the store has.
      this.cache.forget(id);
      if (isStatus(error, 409)) throw new RevisionConflictError(record.path);
      throw error;
    }
    const rev = revs[docs.findIndex((doc) => doc._id === id)] as string;
    this.cache.rememberResource(id, toResource({ ...toDoc(record), _rev: rev }));
    return { ...record, revision: rev };
  }

  async removeTree(path: string, keepPath: boolean): Promise<ResourceRecord[]> {
    for (let attempt = 1; ; attempt += 1) {
      const top = await getDoc(this.db, resourceKey(path));
      if (!top || top.kind !== 'resource') return [];
      // Every key below a path starts with it, as does every counter, count, session and guard kept for it.
      const below = await this.db.allDocs({ startkey: path, endkey: `${path}${highKey}`, include_docs: true });
      const extras = await Promise.all(
        perPathPrefixes.map((prefix) => this.db.allDocs({ startkey: `${prefix}${path}`, endkey: `${prefix}${path}${highKey}` })),
      );
      const removed = [toResource(top), ...below.rows.flatMap((row) => (row.doc && row.doc.kind === 'resource' ? [toResource(row.doc)] : []))];
      const topChange = keepPath ? { _id: top._id, _rev: top._rev, kind: 'tombstone', path } : { _id: top._id, _rev: top._rev, _deleted: true };
      const docs = [
        topChange,
        ...below.rows.map((row) => ({ _id: row.id, _rev: row.value.rev, _deleted: true })),
        ...extras.flatMap((page) => page.rows.map((row) => ({ _id: row.id, _rev: row.value.rev, _deleted: true }))),
      ] as PutDoc[];
      try {
        await this.write({ docs, counts: countChange(toResource(top), -1) });
      } catch (error) {
        // Something below changed while it was read: read it again.
        if (isStatus(error, 409) && attempt < maxRemovalAttempts) continue;
        throw error;
      } finally {
        for (const doc of docs) this.cache.forget(doc._id);
      }
      return removed;
    }
  }

  async guardedWithin(path: string): Promise<string[]> {
    const page = await this.db.allDocs({ startkey: guardKey(path), endkey: `${guardKey(path)}${highKey}` });
    return page.rows
      .map((row) => row.id.slice(guardKey('').length))
      .filter((guarded) => guarded !== path)
      .sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  }

  /** A guard as it is to be written: over one left behind (by a crash over CouchDB), at its revision. */
  private async guardDoc(path: string): Promise<PutDoc> {
    const stale = await getDoc(this.db, guardKey(path));
    return { _id: guardKey(path), ...(stale ? { _rev: stale._rev } : {}), kind: 'guard', path };
  }

  private async write(unit: WriteUnit): Promise<string[]> {
    if ('local' in this.writer) return this.writer.local.write(unit);
    return this.writeRemote(unit);
  }

  /**
   * One document after another, guards first and their removals last, so that a crash in between
   * leaves a guard too many (a needless check), never a resource unguarded. A removal is one
   * _bulk_docs request; what it misses of a subtree that changed meanwhile is tried again.
   */
  private async writeRemote(unit: WriteUnit): Promise<string[]> {
    const put = (this.writer as { remote: PutDocument }).remote;
    const revs: string[] = [];
    const removals = unit.docs.filter((doc) => doc._deleted || doc.kind === 'tombstone');
    if (removals.length > 1) {
      const results = await this.db.bulkDocs(removals as PouchDB.Core.PutDocument<Doc>[]);
      const conflicted = results.find((result) => 'error' in result && result.error);
      if (conflicted) throw conflicted;
      for (const change of unit.counts ?? []) this.cache.forget(countsKey(change.pool));
      return results.map((result) => (result as PouchDB.Core.Response).rev);
    }
    const ordered = [...unit.docs.filter((doc) => !doc._deleted), ...unit.docs.filter((doc) => doc._deleted)];
    for (const doc of ordered) {
      if (doc._deleted) {
        await removeIgnoringConflict(this.db, doc._id, doc._rev as string);
        revs.push('');
      } else {
        revs.push((await put(doc)).rev);
      }
    }
    // This process reads its own writes at once; other processes learn of them from the changes feed.
    for (const change of unit.counts ?? []) this.cache.forget(countsKey(change.pool));
    return unit.docs.map((doc) => revs[ordered.indexOf(doc)] as string);
  }
}
