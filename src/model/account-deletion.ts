// Deleting an account: its sessions end, its private sheets (email, password, roles) are erased and its email freed; its public name stays claimed, shown as a placeholder.
import { metadataSheet, type Principal } from '../auth/permissions.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { Clock } from '../clock.ts';
import { conflict } from '../errors.ts';
import type { Registry } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import type { Sheet } from '../sheet.ts';
import { RevisionConflictError, type ResourceRecord, type SheetData, type Storage } from '../storage/storage.ts';
import type { AccountKeys } from './account-keys.ts';
import { withDerivedFields } from './derived.ts';
import { toJournal } from './journal.ts';
import { accountRecordKey } from './pending-changes.ts';
import { ancestorsOf, type UpdatedResources } from './resources.ts';
import type { UniqueValues } from './unique-values.ts';

/**
 * What a deleted account's unique public fields (its name) show. Content keeps the account as its
 * creator; the name it had stays claimed for ever, so that nobody registers it to pass for the author.
 */
export const deletedAccountName = 'Deleted user';
/** A claim held this long is held for ever. */
const heldForever = Number.MAX_SAFE_INTEGER;
const maxWriteAttempts = 5;

export interface AccountDeletion {
  /** Claims the placeholder for nobody, so that no account can be registered under it; at every start. */
  reservePlaceholder(): Promise<{ reserved: boolean }>;
  erase(request: { user: ResourceRecord; type: ResourceType; principal: Principal }): Promise<{ record: ResourceRecord; updated: UpdatedResources; sessionsEnded: number }>;
}

export function createAccountDeletion(deps: {
  storage: Storage;
  registry: Registry;
  clock: Clock;
  unique: UniqueValues;
  sessions: Sessions;
  keys: AccountKeys;
  /** Owns the placeholder's claim: the pool of users, which is no account. */
  usersPool: string;
}): AccountDeletion {
  const { storage, registry, clock, unique, sessions, keys, usersPool } = deps;

  /** What everybody may read stays (metadata, the public name); everything else is private and goes. */
  const isPublic = (sheet: Sheet) => sheet.permissions.read.includes('everyone') && sheet.computedFrom === undefined;
  /** Unique single values (names, emails); a list's items (aliases) are reserved for ever and need no hold. */
  const uniqueFieldsOf = (sheets: readonly Sheet[]) =>
    sheets.flatMap((sheet) => Object.entries(sheet.fields).flatMap(([fieldName, field]) => (field.unique && !field.unique.itemKey ? [{ sheetId: sheet.id, fieldName }] : [])));

  function erased(user: ResourceRecord, type: ResourceType, principal: Principal): ResourceRecord {
    const data: SheetData = {};
    for (const sheet of registry.sheetsOf(type.id).filter(isPublic)) {
      const stored = user.data[sheet.id];
      if (!stored) continue;
      data[sheet.id] = { ...stored };
      // A list with private items (aliases) is the account's own: it goes whole, public items too.
      for (const [fieldName, field] of Object.entries(sheet.fields)) {
        if (field.privateItems && Object.hasOwn(stored, fieldName)) (data[sheet.id] as Record<string, unknown>)[fieldName] = [];
      }
    }
    for (const { sheetId, fieldName } of uniqueFieldsOf(registry.sheetsOf(type.id).filter(isPublic))) {
      if (data[sheetId]?.[fieldName] !== undefined) (data[sheetId] as Record<string, unknown>)[fieldName] = deletedAccountName;
    }
    if (data[metadataSheet]) data[metadataSheet] = { ...data[metadataSheet], modified_by: principal.userPath ?? null, modification_date: new Date(clock.now()).toISOString() };
    return withDerivedFields(registry, { ...user, data });
  }

  return {
    async reservePlaceholder() {
      let reserved = true;
      for (const type of registry.resourceTypes.values()) {
        if (!type.isAccount) continue;
        for (const field of uniqueFieldsOf(registry.sheetsOf(type.id).filter(isPublic))) {
          reserved = (await unique.hold(field, deletedAccountName, usersPool, heldForever)) && reserved;
        }
      }
      return { reserved };
    },

    async erase({ user, type, principal }) {
      const sheets = registry.sheetsOf(type.id);
      const kept = uniqueFieldsOf(sheets.filter(isPublic));
      const dropped = uniqueFieldsOf(sheets.filter((sheet) => !isPublic(sheet)));
      let current = user;
      for (const { sheetId, fieldName } of kept) {
        const value = current.data[sheetId]?.[fieldName];
        if (typeof value === 'string' && value !== deletedAccountName) await unique.hold({ sheetId, fieldName }, value, user.path, heldForever);
      }
      let record: ResourceRecord | undefined;
      for (let attempt = 1; !record; attempt += 1) {
        try {
          // With a journal, so that every process tells its subscribers: the account changed, and with its
          // roles gone so did what it may see.
          const journal = toJournal(new Date(clock.now()).toISOString(), { modified: [user.path], access: [user.path] });
          record = (await storage.commit({ replaces: [erased(current, type, principal)], journal }))[0];
        } catch (error) {
          if (!(error instanceof RevisionConflictError) || attempt >= maxWriteAttempts) {
            if (error instanceof RevisionConflictError) throw conflict('data', 'The account is being changed by others too often; try again');
            throw error;
          }
          const latest = await storage.readResource(user.path);
          if (!latest) throw conflict('path', 'The account was removed while it was being deleted');
          current = latest;
        }
      }
      // The values of the erased sheets (the email), and an address waiting for confirmation, are free again.
      const held = (await keys.read('email-change', user.path))?.pending.email;
      for (const field of dropped) {
        const value = current.data[field.sheetId]?.[field.fieldName];
        if (typeof value === 'string') await unique.releaseHold(field, value, user.path);
        if (held !== undefined) await unique.releaseHold(field, held, user.path);
      }
      for (const purpose of ['activation', 'password-reset', 'email-change'] as const) await keys.remove(purpose, user.path);
      await storage.updateRecord(accountRecordKey(user.path), () => undefined);
      const sessionsEnded = await sessions.revokeAll(user.path);
      return { record, sessionsEnded, updated: { created: [], modified: [user.path], removed: [], changed_descendants: ancestorsOf(user.path) } };
    },
  };
}
