// Resource documents: reading a path and its ancestors through the cache, writing them with their guards, counts, counters and tombstones.
import type { RecordCache } from './pouch-cache.ts';
import {
  backreferencesRange,
  countsKey,
  getDoc,
  guardKey,
  highKey,
  isGuarded,
  isStatus,
  perPathPrefixes,
  refKey,
  removeIgnoringConflict,
  resourceKey,
  toDoc,
  toResource,
  type Db,
  type Doc,
  writeDocs,
  type ResourceDoc,
  type StoredDoc,
} from './pouch-documents.ts';
import { journalDocOf } from './pouch-journal.ts';
import type { RemoteTransactions } from './pouch-transactions.ts';
import type { CountChange, LocalCommitter, PutDoc, PutDocument, WriteUnit } from './pouch-writes.ts';
import { AlreadyExistsError, RevisionConflictError, type Backreference, type Changes, type ResourceRecord, type ResourceReference } from './storage.ts';
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
type Writer = { local: LocalCommitter } | { remote: PutDocument; transactions: RemoteTransactions };

export class ResourceDocuments {
  constructor(
    private readonly db: Db,
    private readonly writer: Writer,
    private readonly cache: RecordCache,
    /** Told of each journal before it is written, so that the changes feed need not read it back. */
    private readonly onJournal: (doc: ReturnType<typeof journalDocOf>) => void = () => undefined,
  ) {}

  async read(path: string): Promise<ResourceRecord | undefined> {
    return (await this.readMany([path]))[0];
  }

  /**
   * Documents as readers may see them: over CouchDB, one written by a transaction that is not
   * committed yet shows what it replaced, or nothing (pouch-transactions.ts).
   */
  readonly visible = async <D extends Doc>(docs: readonly (D | undefined)[]): Promise<(D | ResourceDoc | undefined)[]> => {
    if (!('transactions' in this.writer) || !docs.some((doc) => doc?.kind === 'resource' && doc.txn !== undefined)) return [...docs];
    return this.writer.transactions.visible(docs as (ResourceDoc | undefined)[]);
  };

  /** A resource read from its document, cached unless a transaction may still change what it shows. */
  private remember(id: string, doc: Doc | undefined, shown: ResourceDoc | Doc | undefined): ResourceRecord | undefined {
    if (!shown || shown.kind !== 'resource') return undefined;
    const record = toResource({ ...shown, ...(doc && '_rev' in doc ? { _rev: (doc as StoredDoc)._rev } : {}) });
    if (doc && doc.kind === 'resource' && doc.txn !== undefined) return record;
    return this.cache.rememberResource(id, record);
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
      const shown = await this.visible(docs as (Doc | undefined)[]);
      docs.forEach((doc, index) => {
        const id = missing[index] as string;
        const record = this.remember(id, doc as Doc | undefined, shown[index]);
        if (record) found.set(id, record);
      });
    }
    return ids.map((id) => found.get(id));
  }

  async insert(record: ResourceRecord, counter?: { name: string; value: number }): Promise<ResourceRecord> {
    const [written] = await this.commit({ inserts: [{ record, ...(counter ? { counter } : {}) }] });
    return written as ResourceRecord;
  }

  /** Stores many new resources at once; answers the paths that existed already, which are left as they are. */
  async insertMany(records: readonly ResourceRecord[]): Promise<string[]> {
    const existing = await this.readMany(records.map((record) => record.path));
    const fresh = records.filter((_, index) => existing[index] === undefined);
    if (fresh.length > 0) await this.commit({ inserts: fresh.map((record) => ({ record })) });
    return records.filter((_, index) => existing[index] !== undefined).map((record) => record.path);
  }

  async replace(record: ResourceRecord): Promise<ResourceRecord> {
    const [written] = await this.commit({ replaces: [record] });
    return written as ResourceRecord;
  }

  /** Inserts and replaces with their guards, references and counts, as one unit of the writer. */
  async commit(changes: Changes): Promise<ResourceRecord[]> {
    const inserts = changes.inserts ?? [];
    const replaces = changes.replaces ?? [];
    for (const record of replaces) {
      if (record.revision === undefined) throw new Error(`replacing ${record.path} needs the revision it was read at`);
    }
    const befores = await this.readMany(replaces.map((record) => record.path));
    replaces.forEach((record, index) => {
      if (befores[index]?.revision !== record.revision) throw new RevisionConflictError(record.path);
    });
    const unit: Required<Pick<WriteUnit, 'docs' | 'upserts' | 'removals' | 'counts' | 'counters'>> = { docs: [], upserts: [], removals: [], counts: [], counters: [] };
    for (const { record, counter } of inserts) {
      if (isGuarded(record)) unit.upserts.push(guardDocOf(record.path));
      unit.docs.push({ _id: resourceKey(record.path), ...toDoc(record) });
      unit.upserts.push(...referenceDocsOf(record, []));
      unit.counts.push(...countChange(record, 1));
      if (counter) unit.counters.push(counter);
    }
    replaces.forEach((record, index) => {
      const before = befores[index] as ResourceRecord;
      if (isGuarded(record) && !isGuarded(before)) unit.upserts.push(guardDocOf(record.path));
      if (!isGuarded(record) && isGuarded(before)) unit.removals.push(guardKey(record.path));
      unit.docs.push({ _id: resourceKey(record.path), _rev: record.revision, ...toDoc(record) });
      unit.upserts.push(...referenceDocsOf(record, before.references ?? []));
      unit.removals.push(...droppedReferencesOf(record, before.references ?? []));
      if (Boolean(before.hidden) !== Boolean(record.hidden) || Boolean(before.restricted) !== Boolean(record.restricted)) {
        unit.counts.push(...countChange(before, -1), ...countChange(record, 1));
      }
    });
    const beforeDocs = new Map(replaces.map((record, index) => [resourceKey(record.path), toDoc(befores[index] as ResourceRecord)]));
    const journal = changes.journal && journalDocOf(changes.journal);
    if (journal) this.onJournal(journal);
    // Locally in the same batch; over CouchDB after everything it tells of, so that a process reading it
    // from the feed finds all of that written and visible, however the writes before it went.
    if (journal && 'local' in this.writer) unit.docs.push(journal);
    let revs: string[];
    try {
      revs = await this.write(unit, beforeDocs, journal ? [journal] : []);
    } catch (error) {
      // Whatever we hold of them is older than what the store has.
      for (const record of [...inserts.map(({ record: inserted }) => inserted), ...replaces]) this.cache.forget(resourceKey(record.path));
      if (isStatus(error, 409)) throw await this.explainConflict(inserts.map(({ record }) => record), replaces);
      throw error;
    }
    const written = [...inserts.map(({ record }) => record), ...replaces];
    return written.map((record) => {
      const id = resourceKey(record.path);
      const rev = revs[unit.docs.findIndex((doc) => doc._id === id)] as string;
      this.cache.rememberResource(id, toResource({ ...toDoc(record), _rev: rev }));
      return { ...record, revision: rev };
    });
  }

  /** Which of a transaction's writes conflicted: a path taken, or else a record changed meanwhile. */
  private async explainConflict(inserts: readonly ResourceRecord[], replaces: readonly ResourceRecord[]): Promise<Error> {
    const taken = await Promise.all(inserts.map((record) => getDoc(this.db, resourceKey(record.path))));
    const index = taken.findIndex((doc) => doc !== undefined);
    if (index >= 0) return new AlreadyExistsError((inserts[index] as ResourceRecord).path);
    return new RevisionConflictError((replaces[0] ?? inserts[0])?.path ?? '');
  }

  async backreferences(target: string): Promise<Backreference[]> {
    const page = await this.db.allDocs(backreferencesRange(target));
    return page.rows.map((row) => {
      const [source, key] = row.id.slice(`ref:${target}|`.length).split('|') as [string, string];
      return { source, key };
    });
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
      // References from what is removed to what stays: those to what is removed went with the extras.
      const inside = new Set(docs.map((doc) => doc._id));
      const removals = removed.flatMap((record) => droppedReferencesOf({ ...record, references: [] }, record.references ?? [])).filter((id) => !inside.has(id));
      try {
        await this.write({ docs, removals, counts: countChange(toResource(top), -1) });
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

  /** `after` (a journal) is written over CouchDB once everything else is; locally it is part of the unit already. */
  private async write(unit: WriteUnit, befores: ReadonlyMap<string, ResourceDoc> = new Map(), after: readonly PutDoc[] = []): Promise<string[]> {
    if ('local' in this.writer) return this.writer.local.write(unit);
    return this.writeRemote(unit, befores, after);
  }

  /**
   * Guards and references first, removed guards and references last, so that a crash in between
   * leaves a guard or a reference too many (a needless check, a dangling backreference that reads
   * nothing), never a resource unguarded. Several resources are one transaction that readers see whole
   * or not at all (pouch-transactions.ts); one resource is one document, which CouchDB writes whole. A
   * removal of a subtree is one _bulk_docs request; what it misses of a subtree that changed meanwhile
   * is tried again.
   */
  private async writeRemote(unit: WriteUnit, befores: ReadonlyMap<string, ResourceDoc>, after: readonly PutDoc[]): Promise<string[]> {
    const revs = await this.writeRemoteUnit(unit, befores, after);
    this.forgetCounts(unit);
    return revs;
  }

  private async writeRemoteUnit(unit: WriteUnit, befores: ReadonlyMap<string, ResourceDoc>, after: readonly PutDoc[]): Promise<string[]> {
    const { remote: put, transactions } = this.writer as { remote: PutDocument; transactions: RemoteTransactions };
    const writeAfter = async () => {
      for (const doc of after) await put(doc);
    };
    const resources = unit.docs.filter((doc) => doc.kind === 'resource' && !doc._deleted);
    if (resources.length > 1 && resources.length === unit.docs.length) {
      await this.upsert(unit.upserts ?? []);
      const removals = unit.removals ?? [];
      // With nothing to remove afterwards, the transaction's own last request carries `after` too.
      const revs = await transactions.write(unit.docs, befores, Date.now(), removals.length === 0 ? after : []);
      for (const id of removals) await this.removeIfThere(id);
      if (removals.length > 0) await writeAfter();
      return revs;
    }
    const removals = unit.docs.filter((doc) => doc._deleted || doc.kind === 'tombstone');
    if (removals.length > 1) {
      const results = await writeDocs(this.db, removals as PouchDB.Core.PutDocument<Doc>[]);
      const conflicted = results.find((result) => 'error' in result && result.error);
      if (conflicted) throw conflicted;
      await Promise.all((unit.removals ?? []).map((id) => this.removeIfThere(id)));
      await writeAfter();
      return results.map((result) => (result as PouchDB.Core.Response).rev);
    }
    await this.upsert(unit.upserts ?? []);
    const revs: string[] = [];
    for (const doc of unit.docs) {
      if (doc._deleted) {
        await removeIgnoringConflict(this.db, doc._id, doc._rev as string);
        revs.push('');
      } else {
        revs.push((await put(doc)).rev);
      }
    }
    for (const id of unit.removals ?? []) await this.removeIfThere(id);
    await writeAfter();
    return revs;
  }

  /** This process reads its own writes at once; other processes learn of them from the changes feed. */
  private forgetCounts(unit: WriteUnit): void {
    for (const change of unit.counts ?? []) this.cache.forget(countsKey(change.pool));
  }

  /** Documents derived from their ids, in one request: one that conflicts is there already, and the same. */
  private async upsert(docs: readonly PutDoc[]): Promise<void> {
    if (docs.length === 0) return;
    const failed = (await writeDocs(this.db, docs as PouchDB.Core.PutDocument<Doc>[])).find((result) => 'error' in result && result.error && result.status !== 409);
    if (failed) throw failed;
  }

  private async removeIfThere(id: string): Promise<void> {
    const current = await getDoc(this.db, id);
    if (current) await removeIgnoringConflict(this.db, id, current._rev);
  }
}

const guardDocOf = (path: string): PutDoc => ({ _id: guardKey(path), kind: 'guard', path });

/** The reference documents of a record that `before` did not have. */
function referenceDocsOf(record: ResourceRecord, before: readonly ResourceReference[]): PutDoc[] {
  const had = new Set(before.map((reference) => refKey(reference, record.path)));
  return (record.references ?? []).filter((reference) => !had.has(refKey(reference, record.path))).map((reference) => ({ _id: refKey(reference, record.path), kind: 'ref' }));
}

/** The ids of the reference documents of `before` that the record no longer has. */
function droppedReferencesOf(record: ResourceRecord, before: readonly ResourceReference[]): string[] {
  const has = new Set((record.references ?? []).map((reference) => refKey(reference, record.path)));
  return before.map((reference) => refKey(reference, record.path)).filter((id) => !has.has(id));
}
