// The one Storage implementation: PouchDB on LevelDB (embedded), in memory (tests) or over HTTP (CouchDB).
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { lastSegment, parentPath, rootPath } from '../tree/path.ts';
import {
  AlreadyExistsError,
  RevisionConflictError,
  StorageUnavailableError,
  type ListOptions,
  type ResourceRecord,
  type SessionRecord,
  type SheetData,
  type Storage,
  type UniqueClaim,
} from './storage.ts';

PouchDB.plugin(memoryAdapter);

/**
 * Document layout. Ids are chosen so that every lookup is a key or a key range of _all_docs, which
 * every PouchDB adapter and CouchDB serve from their primary index:
 * - a resource is `<parent path>|<name>` (the root is `/`), so a pool's children are the contiguous
 *   range `<pool path>|…` in name order and grandchildren (`<pool path><name>/|…`) fall outside it;
 * - a unique value is `unique:<scope>:<normalized value>`, so the store itself refuses a duplicate;
 * - a session is `session:<user path>|<session id>`, so a user's sessions are one range;
 * - a counter is `counter:<name>`, and the counts of a pool's children by type are `counts:<pool path>`.
 * `|` cannot occur in a child name, and no id starts with `_`, which CouchDB reserves.
 */
const highKey = '\ufff0';

export function resourceKey(path: string): string {
  const parent = parentPath(path);
  return parent === undefined ? rootPath : `${parent}|${lastSegment(path)}`;
}

const childrenRange = (parent: string) => ({ startkey: `${parent}|`, endkey: `${parent}|${highKey}` });
const uniqueKey = (scope: string, key: string) => `unique:${scope}:${key}`;
const countsKey = (parent: string) => `counts:${parent}`;
const sessionKey = (userPath: string, id: string) => `session:${userPath}|${id}`;
const sessionsRange = (userPath: string) => ({ startkey: `session:${userPath}|`, endkey: `session:${userPath}|${highKey}` });

interface ResourceDoc {
  kind: 'resource';
  path: string;
  content_type: string;
  data: SheetData;
}
interface SessionDoc {
  kind: 'session';
  session: SessionRecord;
}
interface UniqueDoc {
  kind: 'unique';
  claim: UniqueClaim;
}
interface CounterDoc {
  kind: 'counter';
  value: number;
}
/** How many children of each content type a pool has, so that counting never scans a large pool. */
interface CountsDoc {
  kind: 'counts';
  byType: Record<string, number>;
}
type Doc = ResourceDoc | SessionDoc | UniqueDoc | CounterDoc | CountsDoc;
type Db = PouchDB.Database<Doc>;

export type PouchLocation =
  | { adapter: 'leveldb'; directory: string }
  | { adapter: 'memory'; name: string }
  | { adapter: 'http'; url: string };

/** Opens the database and reads from it once, so that a locked or unreachable store fails here. */
export async function openPouchStorage(location: PouchLocation): Promise<Storage> {
  const db: Db =
    location.adapter === 'leveldb'
      ? new PouchDB<Doc>(location.directory, { adapter: 'leveldb' })
      : location.adapter === 'memory'
        ? new PouchDB<Doc>(location.name, { adapter: 'memory' })
        : new PouchDB<Doc>(location.url, { adapter: 'http', skip_setup: false });
  try {
    await db.info();
  } catch (error) {
    const where = location.adapter === 'leveldb' ? location.directory : location.adapter === 'http' ? location.url : location.name;
    throw new StorageUnavailableError(`cannot open the database at ${where}: ${describe(error)}`, { cause: error });
  }
  return new PouchStorage(db, location.adapter === 'memory');
}

class PouchStorage implements Storage {
  /** In-process queues of read-change-write cycles, per document id. */
  private readonly docQueues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly destroyOnClose: boolean,
  ) {}

  async readResource(path: string): Promise<ResourceRecord | undefined> {
    const doc = await this.getDoc(resourceKey(path));
    return doc && doc.kind === 'resource' ? toResource(doc) : undefined;
  }

  async insertResource(record: ResourceRecord): Promise<ResourceRecord> {
    const id = resourceKey(record.path);
    let rev: string;
    try {
      rev = (await this.db.put({ _id: id, ...toDoc(record) })).rev;
    } catch (error) {
      if (isStatus(error, 409)) throw new AlreadyExistsError(record.path);
      throw error;
    }
    const parent = parentPath(record.path);
    if (parent !== undefined) await this.adjustChildCounts(parent, { [record.contentType]: 1 });
    return { ...record, revision: rev };
  }

  async insertResources(records: readonly ResourceRecord[]): Promise<string[]> {
    const results = await this.db.bulkDocs(records.map((record) => ({ _id: resourceKey(record.path), ...toDoc(record) })));
    const existing: string[] = [];
    const added = new Map<string, Record<string, number>>();
    results.forEach((result, index) => {
      const record = records[index] as ResourceRecord;
      if ('error' in result && result.error) {
        if (result.status === 409) existing.push(record.path);
        return;
      }
      const parent = parentPath(record.path);
      if (parent === undefined) return;
      const deltas = added.get(parent) ?? {};
      deltas[record.contentType] = (deltas[record.contentType] ?? 0) + 1;
      added.set(parent, deltas);
    });
    for (const [parent, deltas] of added) await this.adjustChildCounts(parent, deltas);
    return existing;
  }

  async replaceResource(record: ResourceRecord): Promise<ResourceRecord> {
    if (record.revision === undefined) throw new Error(`replaceResource(${record.path}) needs the revision it was read at`);
    try {
      const result = await this.db.put({ _id: resourceKey(record.path), _rev: record.revision, ...toDoc(record) });
      return { ...record, revision: result.rev };
    } catch (error) {
      if (isStatus(error, 409)) throw new RevisionConflictError(record.path);
      throw error;
    }
  }

  async listChildren(parent: string, options: ListOptions = {}): Promise<ResourceRecord[]> {
    const result = await this.db.allDocs({
      ...childrenRange(parent),
      include_docs: true,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.offset ? { skip: options.offset } : {}),
    });
    return result.rows.flatMap((row) => (row.doc && row.doc.kind === 'resource' ? [toResource(row.doc)] : []));
  }

  async childCounts(parent: string): Promise<Record<string, number>> {
    const doc = await this.getDoc(countsKey(parent));
    return doc && doc.kind === 'counts' ? doc.byType : {};
  }

  incrementCounter(name: string): Promise<number> {
    return this.updateDoc(`counter:${name}`, (current) => ({
      kind: 'counter' as const,
      value: current && current.kind === 'counter' ? current.value + 1 : 0,
    })).then((doc) => doc.value);
  }

  /** Adds children of some types to a pool's counts; a pool without counts has had no children yet. */
  private adjustChildCounts(parent: string, deltas: Record<string, number>): Promise<unknown> {
    return this.updateDoc(countsKey(parent), (current) => {
      const byType = { ...(current && current.kind === 'counts' ? current.byType : {}) };
      for (const [type, delta] of Object.entries(deltas)) byType[type] = Math.max(0, (byType[type] ?? 0) + delta);
      return { kind: 'counts' as const, byType };
    });
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
        const current = await this.getDoc(id);
        const updated = await change(current);
        try {
          const doc: Doc & { _id: string; _rev?: string } = { ...updated, _id: id, ...(current ? { _rev: current._rev } : {}) };
          await this.db.put(doc);
          return updated;
        } catch (error) {
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

  async claimUnique(claim: UniqueClaim): Promise<void> {
    const id = uniqueKey(claim.scope, claim.key);
    try {
      await this.db.put({ _id: id, kind: 'unique', claim });
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
      const existing = await this.readUniqueClaim(claim.scope, claim.key);
      throw new AlreadyExistsError(id, existing);
    }
  }

  async readUniqueClaim(scope: string, key: string): Promise<UniqueClaim | undefined> {
    const doc = await this.getDoc(uniqueKey(scope, key));
    return doc && doc.kind === 'unique' ? doc.claim : undefined;
  }

  async releaseUnique(scope: string, key: string, owner: string): Promise<void> {
    const doc = await this.getDoc(uniqueKey(scope, key));
    if (!doc || doc.kind !== 'unique' || doc.claim.owner !== owner) return;
    await this.removeIgnoringConflict(doc._id, doc._rev);
  }

  async takeOverUnique(stale: UniqueClaim, next: UniqueClaim): Promise<void> {
    const id = uniqueKey(stale.scope, stale.key);
    const doc = await this.getDoc(id);
    if (!doc || doc.kind !== 'unique' || doc.claim.owner !== stale.owner || doc.claim.claimedAt !== stale.claimedAt) {
      throw new AlreadyExistsError(id, doc && doc.kind === 'unique' ? doc.claim : undefined);
    }
    try {
      await this.db.put({ _id: id, _rev: doc._rev, kind: 'unique', claim: next });
    } catch (error) {
      if (isStatus(error, 409)) throw new AlreadyExistsError(id);
      throw error;
    }
  }

  async insertSession(session: SessionRecord): Promise<void> {
    await this.db.put({ _id: sessionKey(session.userPath, session.id), kind: 'session', session });
  }

  async readSession(userPath: string, id: string): Promise<SessionRecord | undefined> {
    const doc = await this.getDoc(sessionKey(userPath, id));
    return doc && doc.kind === 'session' ? doc.session : undefined;
  }

  async touchSession(userPath: string, id: string, lastUsedAt: number): Promise<void> {
    // A lost race means someone else touched or revoked it at the same time; either answer is fine.
    const doc = await this.getDoc(sessionKey(userPath, id));
    if (!doc || doc.kind !== 'session' || doc.session.lastUsedAt >= lastUsedAt) return;
    try {
      await this.db.put({ ...doc, session: { ...doc.session, lastUsedAt } });
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
    }
  }

  async deleteSession(userPath: string, id: string): Promise<boolean> {
    const doc = await this.getDoc(sessionKey(userPath, id));
    if (!doc) return false;
    await this.removeIgnoringConflict(doc._id, doc._rev);
    return true;
  }

  async listSessions(userPath: string): Promise<SessionRecord[]> {
    const result = await this.db.allDocs({ ...sessionsRange(userPath), include_docs: true });
    return result.rows.flatMap((row) => (row.doc && row.doc.kind === 'session' ? [row.doc.session] : []));
  }

  async deleteSessionsWhere(isDead: (session: SessionRecord) => boolean): Promise<number> {
    const pageSize = 500;
    let startkey = 'session:';
    let deleted = 0;
    for (;;) {
      const page = await this.db.allDocs({ startkey, endkey: `session:${highKey}`, include_docs: true, limit: pageSize + 1 });
      const rows = page.rows.slice(0, pageSize);
      const dead = rows.flatMap((row) =>
        row.doc && row.doc.kind === 'session' && isDead(row.doc.session) ? [{ ...row.doc, _deleted: true }] : [],
      );
      if (dead.length > 0) {
        const results = await this.db.bulkDocs(dead);
        deleted += results.filter((result) => 'ok' in result && result.ok).length;
      }
      const following = page.rows[pageSize];
      if (!following) return deleted;
      startkey = following.id;
    }
  }

  async close(): Promise<void> {
    if (this.destroyOnClose) await this.db.destroy();
    else await this.db.close();
  }

  private async getDoc(id: string): Promise<(Doc & PouchDB.Core.IdMeta & PouchDB.Core.GetMeta) | undefined> {
    try {
      return await this.db.get(id);
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  private async removeIgnoringConflict(id: string, rev: string): Promise<void> {
    try {
      await this.db.remove(id, rev);
    } catch (error) {
      if (!isStatus(error, 409) && !isStatus(error, 404)) throw error;
    }
  }
}

function toDoc(record: ResourceRecord): ResourceDoc {
  return { kind: 'resource', path: record.path, content_type: record.contentType, data: record.data };
}

function toResource(doc: ResourceDoc & { _rev?: string }): ResourceRecord {
  return { path: doc.path, contentType: doc.content_type, data: doc.data, ...(doc._rev ? { revision: doc._rev } : {}) };
}

function isStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === status;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
