// Creating and changing resources: naming, metadata, unique values, passwords, references, retries.
import type { Clock } from '../clock.ts';
import type { Passwords } from '../auth/passwords.ts';
import { metadataSheet, type Principal } from '../auth/permissions.ts';
import type { Sessions } from '../auth/sessions.ts';
import { badRequest, conflict } from '../errors.ts';
import type { Registry } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import type { Sheet } from '../sheet.ts';
import { AlreadyExistsError, RevisionConflictError, type ResourceRecord, type SheetData, type Storage } from '../storage/storage.ts';
import { childPath, counterName, parentPath, type PathCodec } from '../tree/path.ts';
import { withDerivedFields } from './derived.ts';
import { createReferenceResolver } from './references.ts';
import type { MailLanguage } from '../mail/templates.ts';
import type { PendingChanges, PendingWrite } from './pending-changes.ts';
import type { UniqueValues } from './unique-values.ts';

export const nameSheet = 'adhocracy_core.sheets.name.IName';

/** What a change touched, so that clients know which cached resources and queries went stale. */
export interface UpdatedResources {
  created: string[];
  modified: string[];
  removed: string[];
  changed_descendants: string[];
}

export interface ResourceService {
  /**
   * `client` is who asked (an address), for a fair share of password hashing; `language` the one of an
   * account's mails (from Accept-Language).
   */
  create(request: {
    pool: ResourceRecord;
    type: ResourceType;
    data: SheetData;
    principal: Principal;
    client?: string;
    language?: MailLanguage;
    /** An account whose address the operator configured (the first admin): it needs no activation. */
    activated?: boolean;
  }): Promise<{
    record: ResourceRecord;
    updated: UpdatedResources;
  }>;
  /** Applies checked changes; a current password they need must have been confirmed before. */
  update(request: {
    resource: ResourceRecord;
    type: ResourceType;
    data: SheetData;
    principal: Principal;
    /** Carried on the security events the change logs (a password change). */
    requestId: string;
    client?: string;
    /** Writes fields confirmed by mail at once: their confirmation is what asks. */
    confirmed?: boolean;
  }): Promise<{ record: ResourceRecord; updated: UpdatedResources }>;
  /** The resource holding a unique value (a user by name or email), if any. */
  findByUnique(scope: string, value: string): Promise<ResourceRecord | undefined>;
  /** Removes a resource and everything below it for good, with their unique values and sessions. */
  remove(resource: ResourceRecord): Promise<{ record: ResourceRecord; updated: UpdatedResources }>;
  /** Swaps a password hash for one with stronger parameters, unless the password changed meanwhile. */
  replacePasswordHash(userPath: string, oldHash: string, newHash: string): Promise<void>;
  /** See UniqueValues.migrateClaims. */
  migrateUniqueClaims(): Promise<{ moved: number; clashes: string[] }>;
}

const maxWriteAttempts = 5;

/** The ancestors of a path, nearest first: what a change below them makes stale. */
export function ancestorsOf(path: string): string[] {
  const ancestors: string[] = [];
  for (let parent = parentPath(path); parent !== undefined; parent = parentPath(parent)) ancestors.push(parent);
  return ancestors;
}

export function createResourceService(deps: {
  storage: Storage;
  registry: Registry;
  passwords: Passwords;
  sessions: Sessions;
  clock: Clock;
  codec: PathCodec;
  unique: UniqueValues;
  /** Accounts awaiting activation, and changes awaiting confirmation by mail. */
  pending: PendingChanges;
  /** Security events (a password change) for the log. */
  onEvent: (event: string, fields: Record<string, unknown>) => void;
}): ResourceService {
  const { storage, registry, passwords, sessions, clock, codec, unique, pending, onEvent } = deps;
  const references = createReferenceResolver({ storage, registry, codec });

  function storedSheets(type: ResourceType): Sheet[] {
    return registry.sheetsOf(type.id).filter((sheet) => sheet.computedFrom === undefined);
  }

  async function nameFor(
    pool: ResourceRecord,
    type: ResourceType,
    data: SheetData,
  ): Promise<{ name: string; chosen: boolean; counter?: { name: string; value: number } }> {
    const chosen = data[nameSheet]?.name;
    if (typeof chosen === 'string') {
      if (registry.reservedNames.has(chosen)) {
        throw badRequest('body', `data.${nameSheet}.name`, `${chosen} is reserved`, 'reserved_name');
      }
      return { name: chosen, chosen: true };
    }
    const counter = `${pool.path}${type.namePrefix ?? ''}`;
    const value = await storage.nextCounterValue(counter);
    return { name: counterName(value, type.namePrefix), chosen: false, counter: { name: counter, value } };
  }

  /** A user made hidden or deleted, or whose password changed, keeps no session it had. */
  async function endSessionsIfNeeded(before: ResourceRecord, after: ResourceRecord, principal: Principal, requestId: string): Promise<void> {
    const stored = passwords.storedOf(after);
    if (!stored) return;
    if (after.hidden && !before.hidden) {
      const revoked = await sessions.revokeAll(after.path);
      onEvent('account_hidden', { request_id: requestId, account: after.path, by: principal.userPath, sessions_revoked: revoked });
      return;
    }
    if (stored.credential !== passwords.storedOf(before)?.credential) {
      // The caller's own session goes on, now under the new password.
      const own = principal.userPath === after.path ? principal.sessionId : undefined;
      const revoked = await sessions.revokeAll(after.path, own);
      if (own !== undefined) await sessions.rebind(after.path, own, stored.credential);
      onEvent('password_changed', { request_id: requestId, account: after.path, by: principal.userPath, sessions_revoked: revoked });
    }
  }

  return {
    findByUnique: (scope, value) => unique.findOwner(scope, value),
    migrateUniqueClaims: () => unique.migrateClaims(),

    async remove(resource) {
      const type = registry.resourceTypes.get(resource.contentType);
      const removed = await storage.removeTree(resource.path, { keepPath: type?.keepsPathWhenRemoved === true });
      for (const record of removed) {
        const removedType = registry.resourceTypes.get(record.contentType);
        if (removedType) await unique.releaseAll(removedType, record);
        sessions.forgetUser(record.path);
      }
      const parent = parentPath(resource.path);
      return {
        record: resource,
        updated: {
          created: [],
          modified: parent === undefined ? [] : [parent],
          removed: removed.map((record) => record.path).sort(),
          changed_descendants: ancestorsOf(resource.path),
        },
      };
    },

    async replacePasswordHash(userPath, oldHash, newHash) {
      const user = await storage.readResource(userPath);
      if (!user || passwords.storedOf(user)?.hash !== oldHash) return;
      // Losing this race to a concurrent change is fine: the next login rehashes again.
      await storage.replaceResource(withDerivedFields(registry, passwords.withHash(user, newHash))).catch((error: unknown) => {
        if (!(error instanceof RevisionConflictError)) throw error;
      });
    },

    async create({ pool, type, data, principal, client, language = 'en', activated = false }) {
      const resolved = await references.resolve(data);
      const now = new Date(clock.now()).toISOString();
      for (;;) {
        const { name, chosen, counter } = await nameFor(pool, type, resolved);
        const path = childPath(pool.path, name);
        // Claimed before hashing, so that a duplicate registration is refused before it costs a hash.
        const claims = await unique.prepare(type, undefined, resolved, path);
        const stored: SheetData = {};
        try {
          const hashed = await passwords.hashIn(resolved, client);
          for (const sheet of storedSheets(type)) stored[sheet.id] = { ...defaultsOf(sheet), ...hashed[sheet.id] };
        } catch (error) {
          await claims.abandoned();
          throw error;
        }
        const account = type.isAccount ? await pending.registering(path, language, { activated }) : undefined;
        if (stored[metadataSheet]) {
          const creator = type.isOwnCreator ? path : (principal.userPath ?? null);
          Object.assign(stored[metadataSheet], {
            creator,
            creation_date: now,
            item_creation_date: now,
            modified_by: principal.userPath ?? creator,
            modification_date: now,
            ...(account?.hidden ? { hidden: true } : {}),
          });
        }
        try {
          const record = await storage.insertResource(withDerivedFields(registry, { path, contentType: type.id, data: stored }), counter ? { counter } : {});
          await account?.committed();
          return {
            record,
            updated: { created: [path], modified: [pool.path], removed: [], changed_descendants: ancestorsOf(path) },
          };
        } catch (error) {
          await claims.abandoned();
          await account?.abandoned();
          if (!(error instanceof AlreadyExistsError)) throw error;
          if (chosen) throw badRequest('body', `data.${nameSheet}.name`, `${name} is already taken in this pool`, 'name_taken');
          // A chosen name took the counter's next value: count on.
        }
      }
    },

    async update({ resource, type, data, principal, requestId, client, confirmed = false }) {
      const { held, applied } = confirmed ? { held: [], applied: data } : splitHeldChanges(resource, data);
      const holds: PendingWrite[] = [];
      try {
        for (const change of held) holds.push(await pending.holdChange({ record: resource, ...change }));
      } catch (error) {
        await Promise.all(holds.map((hold) => hold.abandoned()));
        throw error;
      }
      try {
        const result = Object.keys(applied).length === 0 ? unchanged(resource) : await write(resource, type, applied, principal, requestId, client);
        await Promise.all(holds.map((hold) => hold.committed()));
        return result;
      } catch (error) {
        await Promise.all(holds.map((hold) => hold.abandoned()));
        throw error;
      }
    },
  };

  /** The fields confirmed by mail that change, held apart; the rest, applied at once. */
  function splitHeldChanges(resource: ResourceRecord, data: SheetData) {
    const held: { sheetId: string; fieldName: string; value: string }[] = [];
    const applied: SheetData = {};
    for (const [sheetId, fields] of Object.entries(data)) {
      const kept: Record<string, unknown> = {};
      for (const [fieldName, value] of Object.entries(fields)) {
        const field = registry.sheets.get(sheetId)?.fields[fieldName];
        if (field?.confirmedByMail && typeof value === 'string') {
          if (value !== resource.data[sheetId]?.[fieldName]) held.push({ sheetId, fieldName, value });
        } else {
          kept[fieldName] = value;
        }
      }
      if (Object.keys(kept).length > 0) applied[sheetId] = kept;
    }
    return { held, applied };
  }

  function unchanged(resource: ResourceRecord) {
    return { record: resource, updated: { created: [], modified: [], removed: [], changed_descendants: [] } };
  }

  async function write(resource: ResourceRecord, type: ResourceType, data: SheetData, principal: Principal, requestId: string, client: string | undefined) {
    const checked = await passwords.hashIn(await references.resolve(data), client);
    let current = resource;
    for (let attempt = 1; ; attempt += 1) {
      const next = withDerivedFields(registry, mergeChanges(current, checked, principal, new Date(clock.now()).toISOString()));
      // Every attempt claims anew, after reading what it replaces: see UniqueValues.prepare.
      const claims = await unique.prepare(type, current, next.data, resource.path);
      try {
        const record = await storage.replaceResource(next);
        await claims.committed();
        await endSessionsIfNeeded(current, record, principal, requestId);
        return {
          record,
          updated: { created: [], modified: [resource.path], removed: [], changed_descendants: ancestorsOf(resource.path) },
        };
      } catch (error) {
        if (!(error instanceof RevisionConflictError) || attempt >= maxWriteAttempts) {
          await claims.abandoned();
          if (error instanceof RevisionConflictError) throw conflict('data', 'The resource is being changed by others too often; try again');
          throw error;
        }
        // Someone else wrote meanwhile: apply the same change on top of theirs.
        const latest = await storage.readResource(resource.path);
        if (!latest) {
          await claims.abandoned();
          throw conflict('path', 'The resource was removed while it was being changed');
        }
        current = latest;
      }
    }
  }
}

function mergeChanges(current: ResourceRecord, changes: SheetData, principal: Principal, now: string): ResourceRecord {
  const data: SheetData = { ...current.data };
  for (const [sheetId, fields] of Object.entries(changes)) data[sheetId] = { ...data[sheetId], ...fields };
  if (data[metadataSheet]) {
    data[metadataSheet] = { ...data[metadataSheet], modified_by: principal.userPath ?? null, modification_date: now };
  }
  return { ...current, data };
}

function defaultsOf(sheet: Sheet): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [fieldName, field] of Object.entries(sheet.fields)) {
    if (field.default !== undefined) defaults[fieldName] = structuredClone(field.default);
  }
  return defaults;
}
