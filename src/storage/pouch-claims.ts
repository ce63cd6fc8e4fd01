// Unique values as documents of their own: the store refuses a second claim, and every change of one is checked against its revision.
import { AlreadyExistsError, type UniqueClaim } from './storage.ts';
import { getDoc, highKey, isStatus, removeIgnoringConflict, uniqueKey, type Db, type StoredDoc } from './pouch-documents.ts';
import type { PutDocument } from './pouch-writes.ts';

const toClaim = (doc: StoredDoc | undefined): UniqueClaim | undefined =>
  doc && doc.kind === 'unique' ? { ...withoutRevision(doc.claim), revision: doc._rev } : undefined;

function withoutRevision(claim: UniqueClaim): UniqueClaim {
  const { revision: _revision, ...stored } = claim;
  return stored;
}

export async function claimUnique(db: Db, put: PutDocument, claim: UniqueClaim): Promise<UniqueClaim> {
  const id = uniqueKey(claim.scope, claim.key);
  try {
    const { rev } = await put({ _id: id, kind: 'unique', claim: withoutRevision(claim) });
    return { ...withoutRevision(claim), revision: rev };
  } catch (error) {
    if (!isStatus(error, 409)) throw error;
    throw new AlreadyExistsError(id, await readUniqueClaim(db, claim.scope, claim.key));
  }
}

export async function readUniqueClaim(db: Db, scope: string, key: string): Promise<UniqueClaim | undefined> {
  return toClaim(await getDoc(db, uniqueKey(scope, key)));
}

/** Claims of one scope in key order, a page at a time after `after` (a key); for migrating them. */
export async function listUniqueClaims(db: Db, scope: string, after: string | undefined, limit: number): Promise<UniqueClaim[]> {
  const page = await db.allDocs({
    startkey: after === undefined ? uniqueKey(scope, '') : uniqueKey(scope, after),
    endkey: uniqueKey(scope, highKey),
    include_docs: true,
    limit: limit + 1,
  });
  return page.rows.flatMap((row) => {
    const claim = toClaim(row.doc as StoredDoc | undefined);
    return claim && claim.key !== after ? [claim] : [];
  }).slice(0, limit);
}

export async function releaseUnique(db: Db, claim: Pick<UniqueClaim, 'scope' | 'key' | 'owner' | 'revision'>): Promise<void> {
  const doc = await getDoc(db, uniqueKey(claim.scope, claim.key));
  if (!doc || doc.kind !== 'unique' || doc.claim.owner !== claim.owner) return;
  if (claim.revision !== undefined && doc._rev !== claim.revision) return;
  // Deleting at the revision read: a claim refreshed meanwhile conflicts and stays.
  await removeIgnoringConflict(db, doc._id, doc._rev);
}

export async function replaceUniqueClaim(db: Db, put: PutDocument, current: UniqueClaim, next: UniqueClaim): Promise<UniqueClaim> {
  const id = uniqueKey(current.scope, current.key);
  if (current.revision === undefined) throw new Error(`replacing the claim ${id} needs the revision it was read at`);
  try {
    const { rev } = await put({ _id: id, _rev: current.revision, kind: 'unique', claim: withoutRevision(next) });
    return { ...withoutRevision(next), revision: rev };
  } catch (error) {
    // A conflict (changed meanwhile) or a missing document (released meanwhile): the caller looks again.
    if (!isStatus(error, 409) && !isStatus(error, 404)) throw error;
    throw new AlreadyExistsError(id, await readUniqueClaim(db, current.scope, current.key));
  }
}
