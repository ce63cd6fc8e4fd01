// The documents PouchStorage keeps, their ids, and small helpers shared by the files that read and write them.
import { lastSegment, parentPath, rootPath } from '../tree/path.ts';
import type { ChildCounts, SessionRecord, SheetData, UniqueClaim } from './storage.ts';

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
  byType: Record<string, ChildCounts>;
}
export type Doc = ResourceDoc | SessionDoc | UniqueDoc | CounterDoc | CountsDoc;
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
