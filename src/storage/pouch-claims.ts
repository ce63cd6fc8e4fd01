// Unique values as documents of their own: a second claim of a value is refused by the store itself.
import { AlreadyExistsError, type UniqueClaim } from './storage.ts';
import { getDoc, isStatus, removeIgnoringConflict, uniqueKey, type Db } from './pouch-documents.ts';
import type { PutDocument } from './pouch-writes.ts';

export async function claimUnique(db: Db, put: PutDocument, claim: UniqueClaim): Promise<void> {
  const id = uniqueKey(claim.scope, claim.key);
  try {
    await put({ _id: id, kind: 'unique', claim });
  } catch (error) {
    if (!isStatus(error, 409)) throw error;
    const existing = await readUniqueClaim(db, claim.scope, claim.key);
    throw new AlreadyExistsError(id, existing);
  }
}

export async function readUniqueClaim(db: Db, scope: string, key: string): Promise<UniqueClaim | undefined> {
  const doc = await getDoc(db, uniqueKey(scope, key));
  return doc && doc.kind === 'unique' ? doc.claim : undefined;
}

export async function releaseUnique(db: Db, scope: string, key: string, owner: string): Promise<void> {
  const doc = await getDoc(db, uniqueKey(scope, key));
  if (!doc || doc.kind !== 'unique' || doc.claim.owner !== owner) return;
  await removeIgnoringConflict(db, doc._id, doc._rev);
}

export async function takeOverUnique(db: Db, put: PutDocument, stale: UniqueClaim, next: UniqueClaim): Promise<void> {
  const id = uniqueKey(stale.scope, stale.key);
  const doc = await getDoc(db, id);
  if (!doc || doc.kind !== 'unique' || doc.claim.owner !== stale.owner || doc.claim.claimedAt !== stale.claimedAt) {
    throw new AlreadyExistsError(id, doc && doc.kind === 'unique' ? doc.claim : undefined);
  }
  try {
    await put({ _id: id, _rev: doc._rev, kind: 'unique', claim: next });
  } catch (error) {
    if (isStatus(error, 409)) throw new AlreadyExistsError(id);
    throw error;
  }
}
