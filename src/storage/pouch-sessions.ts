// Login sessions as documents keyed by user, so that a user's sessions are one key range.
import type { SessionRecord } from './storage.ts';
import { getDoc, highKey, isStatus, removeIgnoringConflict, sessionKey, sessionsRange, type Db } from './pouch-documents.ts';
import type { PutDocument } from './pouch-writes.ts';

export async function insertSession(put: PutDocument, session: SessionRecord): Promise<void> {
  await put({ _id: sessionKey(session.userPath, session.id), kind: 'session', session });
}

export async function readSession(db: Db, userPath: string, id: string): Promise<SessionRecord | undefined> {
  const doc = await getDoc(db, sessionKey(userPath, id));
  return doc && doc.kind === 'session' ? doc.session : undefined;
}

export async function touchSession(db: Db, put: PutDocument, userPath: string, id: string, lastUsedAt: number): Promise<void> {
  // A lost race means someone else touched or revoked it at the same time; either answer is fine.
  const doc = await getDoc(db, sessionKey(userPath, id));
  if (!doc || doc.kind !== 'session' || doc.session.lastUsedAt >= lastUsedAt) return;
  try {
    await put({ ...doc, session: { ...doc.session, lastUsedAt } });
  } catch (error) {
    if (!isStatus(error, 409)) throw error;
  }
}

export async function rebindSession(db: Db, put: PutDocument, userPath: string, id: string, credential: string): Promise<void> {
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

export async function writeSessionState(db: Db, put: PutDocument, userPath: string, id: string, state: unknown): Promise<boolean> {
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

export async function deleteSession(db: Db, userPath: string, id: string): Promise<boolean> {
  const doc = await getDoc(db, sessionKey(userPath, id));
  if (!doc) return false;
  await removeIgnoringConflict(db, doc._id, doc._rev);
  return true;
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
