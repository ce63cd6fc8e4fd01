// The documents PouchStorage keeps, their ids, and small helpers shared by the files that read and write them.
import { lastSegment, parentPath, rootPath } from '../tree/path.ts';
import type { ChildCounts, IndexValue, QueuedJob, ResourceRecord, ResourceReference, SessionRecord, SharedRecord, SheetData, UniqueClaim } from './storage.ts';

/**
 * Document layout. Ids are chosen so that every lookup is a key or a key range of _all_docs, which
 * every PouchDB adapter and CouchDB serve from their primary index:
 * - a resource is `<parent path>|<name>` (the root is `/`), so a pool's children are the contiguous
 *   range `<pool path>|…` in name order and grandchildren (`<pool path><name>/|…`) fall outside it;
 * - a unique value is `unique:<scope>:<normalized value>`, so the store itself refuses a duplicate;
 * - a session is `session:<user path>|<session id>`, so a user's sessions are one range;
 * - a counter is `counter:<name>`, and the counts of a pool's children by type are `counts:<pool path>`;
 * - a resource that is hidden or has a view permission of its own has a `guard:<path>` beside it, so
 *   that the guarded resources below a pool are one key range (what deep queries must check);
 * - a removed resource whose path must never be reused keeps its id, as a tombstone;
 * - a shared record (lockout counts, settings) is `record:<key>`;
 * - a reference from one resource to another is `ref:<target>|<source>|<field>`, so that what refers
 *   to a resource is one key range;
 * - a job of a durable queue is `job:<queue>:<id>`, so that a queue is one key range in id order;
 * - the journal of a transaction is `journal:<time>:<random>`, so that old ones are one key range.
 * `|` cannot occur in a child name, and no id starts with `_`, which CouchDB reserves.
 */
export const highKey = '\ufff0';

export function resourceKey(path: string): string {
  const parent = parentPath(path);
  return parent === undefined ? rootPath : `${parent}|${lastSegment(path)}`;
}

export const childrenRange = (parent: string) => ({ startkey: `${parent}|`, endkey: `${parent}|${highKey}` });
export const uniqueKey = (scope: string, key: string) => `unique:${scope}:${key}`;
export const countsKey = (parent: string) => `counts:${parent}`;
export const sessionKey = (userPath: string, id: string) => `session:${userPath}|${id}`;
export const sessionsRange = (userPath: string) => ({ startkey: `session:${userPath}|`, endkey: `session:${userPath}|${highKey}` });
export const guardKey = (path: string) => `guard:${path}`;
export const journalPrefix = 'journal:';
export const isJournalKey = (id: string) => id.startsWith(journalPrefix);
/** `ref:<target>|<source>|<key>`: a target's backreferences are one key range, and the id says it all. */
export const refKey = (reference: ResourceReference, source: string) => `ref:${reference.target}|${source}|${reference.key}`;
export const backreferencesRange = (target: string) => ({ startkey: `ref:${target}|`, endkey: `ref:${target}|${highKey}` });
export const jobKey = (queue: string, id: string) => `job:${queue}:${id}`;
export const jobsRange = (queue: string) => ({ startkey: jobKey(queue, ''), endkey: jobKey(queue, highKey) });
/** Every key derived from a path, and from every path below it, starts with one of these followed by the path. */
export const perPathPrefixes = ['counts:', 'counter:', 'session:', 'guard:', 'ref:'] as const;

export interface ResourceDoc {
  kind: 'resource';
  path: string;
  /** The parent's path and the number of segments: what queries select on. */
  parent: string | null;
  depth: number;
  content_type: string;
  hidden: boolean;
  restricted: boolean;
  data: SheetData;
  /** The references of the data, kept so that a change or removal knows which reference documents to drop. */
  refs?: ResourceReference[];
  /** For a version, the tags that name it (ResourceRecord.tags). */
  tags?: string[];
  /** Over CouchDB, while a transaction that wrote it is not cleaned up: its id, and what it replaced (pouch-transactions.ts). */
  txn?: string;
  before?: ResourceDoc;
}
interface SessionDoc {
  kind: 'session';
  session: SessionRecord;
  /** The session's own JSON document (UI state, a draft): in the session's document, so that it goes with it. */
  state?: unknown;
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
  byType: Record<string, ChildCounts>;
}
/** Marks a hidden or restricted resource, found by deep queries without reading the whole subtree. */
interface GuardDoc {
  kind: 'guard';
  path: string;
}
/** A small shared record by key: lockout counts, settings. */
interface RecordDoc {
  kind: 'record';
  record: SharedRecord;
}
/** One reference, stored under its target so that a resource's backreferences are one key range. */
interface RefDoc {
  kind: 'ref';
}
/** What a transaction changed, for the processes that follow the changes feed (pouch-journal.ts). */
export interface JournalDoc {
  kind: 'journal';
  at: number;
  entry: Record<string, unknown>;
}
/** The marker of a transaction over CouchDB: pending until every document is written, then committed. */
interface TransactionDoc {
  kind: 'txn';
  state: 'pending' | 'committed';
  at: number;
  ids: string[];
}
/** A job of a durable queue, without its revision (the document's). */
export interface JobDoc {
  kind: 'job';
  job: Omit<QueuedJob, 'revision'>;
}
/** What stays of a removed resource whose path is never given to another. */
interface TombstoneDoc {
  kind: 'tombstone';
  path: string;
}
export type Doc = ResourceDoc | SessionDoc | UniqueDoc | CounterDoc | CountsDoc | GuardDoc | TombstoneDoc | RecordDoc | RefDoc | TransactionDoc | JobDoc | JournalDoc;
export type Db = PouchDB.Database<Doc>;

export type StoredDoc = Doc & PouchDB.Core.IdMeta & PouchDB.Core.GetMeta;

export async function getDoc(db: Db, id: string): Promise<StoredDoc | undefined> {
  try {
    return await db.get(id);
  } catch (error) {
    if (isStatus(error, 404)) return undefined;
    throw error;
  }
}

/**
 * bulkDocs, with each result at the index of its document. CouchDB answers in the order it was given,
 * PouchDB's own server (express-pouchdb) not always: a result is matched to its document by id.
 */
export async function writeDocs(db: Db, docs: readonly PouchDB.Core.PutDocument<Doc>[]): Promise<(PouchDB.Core.Response | PouchDB.Core.Error)[]> {
  const results = await db.bulkDocs(docs as PouchDB.Core.PutDocument<Doc>[]);
  const byId = new Map(results.map((result) => [result.id, result]));
  return docs.map((doc, index) => (doc._id !== undefined ? byId.get(doc._id) : undefined) ?? (results[index] as PouchDB.Core.Response | PouchDB.Core.Error));
}

/** Deletes a document; somebody else deleting or changing it first is fine. */
export async function removeIgnoringConflict(db: Db, id: string, rev: string): Promise<void> {
  try {
    await db.remove(id, rev);
  } catch (error) {
    if (!isStatus(error, 409) && !isStatus(error, 404)) throw error;
  }
}

export function isStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === status;
}

/** The document member that holds an index key's value: Mango field names cannot contain dots. */
export function indexField(key: string): string {
  return `ix_${key.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** The design document of the index that serves queries sorted on one key within one pool. */
export function indexDesignDoc(key: string): string {
  return `idx-${indexField(key)}`;
}

export function depthOf(path: string): number {
  return path.split('/').length - 2;
}

export function toDoc(record: ResourceRecord): ResourceDoc {
  const index = Object.fromEntries(Object.entries(record.index ?? {}).map(([key, value]) => [indexField(key), value])) as Record<string, IndexValue>;
  return {
    kind: 'resource',
    path: record.path,
    parent: parentPath(record.path) ?? null,
    depth: depthOf(record.path),
    content_type: record.contentType,
    hidden: Boolean(record.hidden),
    restricted: Boolean(record.restricted),
    data: record.data,
    ...(record.references && record.references.length > 0 ? { refs: [...record.references] } : {}),
    ...(record.tags && record.tags.length > 0 ? { tags: [...record.tags] } : {}),
    ...index,
  };
}

/** Index values are not read back: they are derived from the data again on every write. */
export function toResource(doc: ResourceDoc & { _rev?: string }): ResourceRecord {
  return {
    path: doc.path,
    contentType: doc.content_type,
    data: doc.data,
    hidden: doc.hidden === true,
    restricted: doc.restricted === true,
    ...(doc.refs ? { references: doc.refs } : {}),
    ...(doc.tags ? { tags: doc.tags } : {}),
    ...(doc._rev ? { revision: doc._rev } : {}),
  };
}

/** Hidden and restricted resources are what deep queries must check one by one. */
export const isGuarded = (record: Pick<ResourceRecord, 'hidden' | 'restricted'>) => Boolean(record.hidden || record.restricted);
