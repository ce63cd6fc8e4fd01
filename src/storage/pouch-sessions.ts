// Login sessions as documents keyed by user, so that a user's sessions are one key range.
import type { SessionRecord } from './storage.ts';
import { getDoc, highKey, isStatus, sessionKey, sessionsRange, type Db } from './pouch-documents.ts';
import type { PutDocument } from './pouch-writes.ts';

/**
 * The writes of one session's document, one after another in this process. A local store keeps two
 * revisions, so a put at a revision two writes old is not a conflict but a new branch: a state written
 * at the revision a logout then deleted would bring the session back. One after another, each write
 * reads the revision the one before left. (Over CouchDB, which keeps the history, such a put conflicts.)
 */
const queues = new WeakMap<Db, Map<string, Promise<unknown>>>();

function serially<T>(db: Db, key: string, run: () => Promise<T>): Promise<T> {
  let byKey = queues.get(db);
  if (!byKey) queues.set(db, (byKey = new Map()));
  const ran = (byKey.get(key) ?? Promise.resolve()).then(run, run);
  const settled = ran.then(
    () => undefined,
    () => undefined,
  );
  byKey.set(key, settled);
  void settled.then(() => {
    if (byKey.get(key) === settled) byKey.delete(key);
  });
  return ran;
}

export async function insertSession(put: PutDocument, session: SessionRecord): Promise<void> {
  await put({ _id: sessionKey(session.userPath, session.id), kind: 'session', session });
}

export async function readSession(db: Db, userPath: string, id: string): Promise<SessionRecord | undefined> {
  const doc = await getDoc(db, sessionKey(userPath, id));
  return doc && doc.kind === 'session' ? doc.session : undefined;
}

export function touchSession(db: Db, put: PutDocument, userPath: string, id: string, lastUsedAt: number): Promise<void> {
  return serially(db, sessionKey(userPath, id), () => touchNow(db, put, userPath, id, lastUsedAt));
}

async function touchNow(db: Db, put: PutDocument, userPath: string, id: string, lastUsedAt: number): Promise<void> {
  // A lost race means someone else touched or revoked it at the same time; either answer is fine.
  const doc = await getDoc(db, sessionKey(userPath, id));
  if (!doc || doc.kind !== 'session' || doc.session.lastUsedAt >= lastUsedAt) return;
  try {
    await put({ ...doc, session: { ...doc.session, lastUsedAt } });
  } catch (error) {
    if (!isStatus(error, 409)) throw error;
  }
}

export function rebindSession(db: Db, put: PutDocument, userPath: string, id: string, credential: string): Promise<void> {
  return serially(db, sessionKey(userPath, id), () => rebindNow(db, put, userPath, id, credential));
}

async function rebindNow(db: Db, put: PutDocument, userPath: string, id: string, credential: string): Promise<void> {
  for (;;) {
    const doc = await getDoc(db, sessionKey(userPath, id));
    if (!doc || doc.kind !== 'session') return;
    try {
      await put({ ...doc, session: { ...doc.session, credential } });
      return;
    } catch (error) {
      // A touch in between: read again, since this change must not be lost.
      if (!isStatus(error, 409)) throw error;
    }
  }
}

export async function readSessionState(db: Db, userPath: string, id: string): Promise<{ state: unknown } | undefined> {
  const doc = await getDoc(db, sessionKey(userPath, id));
  return doc && doc.kind === 'session' ? { state: doc.state ?? null } : undefined;
}

export function writeSessionState(db: Db, put: PutDocument, userPath: string, id: string, state: unknown): Promise<boolean> {
  return serially(db, sessionKey(userPath, id), () => writeStateNow(db, put, userPath, id, state));
}

async function writeStateNow(db: Db, put: PutDocument, userPath: string, id: string, state: unknown): Promise<boolean> {
  for (;;) {
    const doc = await getDoc(db, sessionKey(userPath, id));
    if (!doc || doc.kind !== 'session') return false;
    const { state: _old, ...rest } = doc;
    try {
      await put(state === null ? rest : { ...rest, state });
      return true;
    } catch (error) {
      // A touch in between: read again, since this change must not be lost; a deletion ends the loop above.
      if (!isStatus(error, 409)) throw error;
    }
  }
}

export function deleteSession(db: Db, userPath: string, id: string): Promise<boolean> {
  return serially(db, sessionKey(userPath, id), () => deleteNow(db, userPath, id));
}

async function deleteNow(db: Db, userPath: string, id: string): Promise<boolean> {
  let found = false;
  for (;;) {
    const doc = await getDoc(db, sessionKey(userPath, id));
    if (!doc) return found;
    found = true;
    try {
      await db.remove(doc._id, doc._rev);
      return true;
    } catch (error) {
      // Touched, rebound or given a state meanwhile: the session must end all the same, so read it again.
      if (!isStatus(error, 409) && !isStatus(error, 404)) throw error;
    }
  }
}

export async function listSessions(db: Db, userPath: string): Promise<SessionRecord[]> {
  const result = await db.allDocs({ ...sessionsRange(userPath), include_docs: true });
  return result.rows.flatMap((row) => (row.doc && row.doc.kind === 'session' ? [row.doc.session] : []));
}

export async function deleteSessionsWhere(db: Db, isDead: (session: SessionRecord) => boolean): Promise<number> {
  const pageSize = 500;
  let startkey = 'session:';
  let deleted = 0;
  for (;;) {
    const page = await db.allDocs({ startkey, endkey: `session:${highKey}`, include_docs: true, limit: pageSize + 1 });
    const rows = page.rows.slice(0, pageSize);
    const dead = rows.flatMap((row) =>
      row.doc && row.doc.kind === 'session' && isDead(row.doc.session) ? [{ ...row.doc, _deleted: true }] : [],
    );
    if (dead.length > 0) {
      const results = await db.bulkDocs(dead);
      deleted += results.filter((result) => 'ok' in result && result.ok).length;
    }
    const following = page.rows[pageSize];
    if (!following) return deleted;
    startkey = following.id;
  }
}
