// Creating and changing resources: naming, metadata, unique values, password hashing, references, retries.
import type { Clock } from '../clock.ts';
import { metadataSheet, type Principal } from '../auth/permissions.ts';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import type { Sessions } from '../auth/sessions.ts';
import { badRequest, conflict } from '../errors.ts';
import type { Registry } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import type { Sheet } from '../sheet.ts';
import { AlreadyExistsError, RevisionConflictError, type ResourceRecord, type SheetData, type Storage } from '../storage/storage.ts';
import { childPath, counterName, parentPath, type PathCodec } from '../tree/path.ts';
import { withDerivedFields } from './derived.ts';
import { createReferenceResolver } from './references.ts';
import { createUniqueValues } from './unique-values.ts';
import { userPasswordHeader } from '../headers.ts';

export const nameSheet = 'adhocracy_core.sheets.name.IName';

/** What a change touched, so that clients know which cached resources and queries went stale. */
export interface UpdatedResources {
  created: string[];
  modified: string[];
  removed: string[];
  changed_descendants: string[];
}

export interface ResourceService {
  create(request: { pool: ResourceRecord; type: ResourceType; data: SheetData; principal: Principal }): Promise<{
    record: ResourceRecord;
    updated: UpdatedResources;
  }>;
  /** `currentPassword` is the caller's own, required when a field that needs it is changed. */
  update(request: {
    resource: ResourceRecord;
    type: ResourceType;
    data: SheetData;
    principal: Principal;
    currentPassword: string | undefined;
    /** Carried on the security events the change logs (a password change). */
    requestId: string;
  }): Promise<{ record: ResourceRecord; updated: UpdatedResources }>;
  /** The stored hash of a user's password, from whichever sheet of its type holds a hashed field. */
  passwordHashOf(record: ResourceRecord): string | undefined;
  /** The resource holding a unique value (a user by name or email), if any. */
  findByUnique(scope: string, value: string): Promise<ResourceRecord | undefined>;
  /** Removes a resource and everything below it for good, with their unique values and sessions. */
  remove(resource: ResourceRecord): Promise<{ record: ResourceRecord; updated: UpdatedResources }>;
  /** Swaps a password hash for one with stronger parameters, unless the password changed meanwhile. */
  replacePasswordHash(userPath: string, oldHash: string, newHash: string): Promise<void>;
}

const maxWriteAttempts = 5;

export function createResourceService(deps: {
  storage: Storage;
  registry: Registry;
  hasher: PasswordHasher;
  sessions: Sessions;
  clock: Clock;
  codec: PathCodec;
  /** Security events (a password change) for the log. */
  onEvent: (event: string, fields: Record<string, unknown>) => void;
}): ResourceService {
  const { storage, registry, hasher, sessions, clock, codec, onEvent } = deps;
  const unique = createUniqueValues({ storage, registry, clock });
  const references = createReferenceResolver({ storage, registry, codec });

  function storedSheets(type: ResourceType): Sheet[] {
    return registry.sheetsOf(type.id).filter((sheet) => sheet.computedFrom === undefined);
  }

  /** The field that holds a password hash in records of this type, if any. */
  function hashedFieldOf(contentType: string): { sheetId: string; fieldName: string } | undefined {
    for (const sheet of registry.sheetsOf(contentType)) {
      for (const [fieldName, field] of Object.entries(sheet.fields)) {
        if (field.hashed) return { sheetId: sheet.id, fieldName };
      }
    }
    return undefined;
  }

  function passwordHashOf(record: ResourceRecord): string | undefined {
    const field = hashedFieldOf(record.contentType);
    const value = field ? record.data[field.sheetId]?.[field.fieldName] : undefined;
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * Replaces clear passwords by their hashes. It runs after the unique values are claimed, so that a
   * duplicate registration is refused before it costs a hash.
   */
  async function hashPasswords(data: SheetData): Promise<SheetData> {
    const hashed: SheetData = {};
    for (const [sheetId, fields] of Object.entries(data)) {
      const sheet = registry.sheets.get(sheetId) as Sheet;
      hashed[sheetId] = { ...fields };
      for (const [fieldName, value] of Object.entries(fields)) {
        if (sheet.fields[fieldName]?.hashed) (hashed[sheetId] as Record<string, unknown>)[fieldName] = await hasher.hash(String(value));
      }
    }
    return hashed;
  }

  function ancestorsOf(path: string): string[] {
    const ancestors: string[] = [];
    for (let parent = parentPath(path); parent !== undefined; parent = parentPath(parent)) ancestors.push(parent);
    return ancestors;
  }

  async function nameFor(pool: ResourceRecord, type: ResourceType, data: SheetData): Promise<{ name: string; chosen: boolean }> {
    const chosen = data[nameSheet]?.name;
    if (typeof chosen === 'string') {
      if (registry.reservedNames.has(chosen)) {
        throw badRequest('body', `data.${nameSheet}.name`, `${chosen} is reserved`, 'reserved_name');
      }
      return { name: chosen, chosen: true };
    }
    const counter = await storage.incrementCounter(`${pool.path}${type.namePrefix ?? ''}`);
    return { name: counterName(counter, type.namePrefix), chosen: false };
  }

  return {
    passwordHashOf,
    findByUnique: (scope, value) => unique.findOwner(scope, value),

    async remove(resource) {
      const removed = await storage.removeTree(resource.path);
      for (const record of removed) {
        const type = registry.resourceTypes.get(record.contentType);
        if (type) await unique.releaseAll(type, record);
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
      const field = user ? hashedFieldOf(user.contentType) : undefined;
      if (!user || !field || passwordHashOf(user) !== oldHash) return;
      const data = { ...user.data, [field.sheetId]: { ...user.data[field.sheetId], [field.fieldName]: newHash } };
      // Losing this race to a concurrent change is fine: the next login rehashes again.
      await storage.replaceResource(withDerivedFields(registry, { ...user, data })).catch((error: unknown) => {
        if (!(error instanceof RevisionConflictError)) throw error;
      });
    },

    async create({ pool, type, data, principal }) {
      const prepared = await references.resolve(data);
      const now = new Date(clock.now()).toISOString();
      for (;;) {
        const { name, chosen } = await nameFor(pool, type, prepared);
        const path = childPath(pool.path, name);
        const claims = await unique.claimAll(type, prepared, path);
        const stored: SheetData = {};
        try {
          const hashed = await hashPasswords(prepared);
          for (const sheet of storedSheets(type)) stored[sheet.id] = { ...defaultsOf(sheet), ...hashed[sheet.id] };
        } catch (error) {
          await claims.release();
          throw error;
        }
        if (stored[metadataSheet]) {
          const creator = principal.userPath ?? null;
          Object.assign(stored[metadataSheet], {
            creator,
            creation_date: now,
            item_creation_date: now,
            modified_by: creator,
            modification_date: now,
          });
        }
        try {
          const record = await storage.insertResource(withDerivedFields(registry, { path, contentType: type.id, data: stored }));
          return {
            record,
            updated: { created: [path], modified: [pool.path], removed: [], changed_descendants: ancestorsOf(path) },
          };
        } catch (error) {
          await claims.release();
          if (!(error instanceof AlreadyExistsError)) throw error;
          if (chosen) throw badRequest('body', `data.${nameSheet}.name`, `${name} is already taken in this pool`, 'name_taken');
          // A chosen name took the counter's next value: count on.
        }
      }
    },

    async update({ resource, type, data, principal, currentPassword, requestId }) {
      await checkCurrentPassword(data, principal, currentPassword);
      const checked = await references.resolve(data);
      const claims = await unique.claimAll(type, checked, resource.path);
      let current = resource;
      try {
        const prepared = await hashPasswords(checked);
        for (let attempt = 1; ; attempt += 1) {
          const next = mergeChanges(current, prepared, principal, new Date(clock.now()).toISOString());
          try {
            const record = await storage.replaceResource(withDerivedFields(registry, next));
            await unique.releaseReplaced(type, current, record);
            if (changesHashedField(prepared)) {
              const own = principal.userPath === resource.path ? principal.sessionId : undefined;
              const revoked = await sessions.revokeAll(resource.path, own);
              onEvent('password_changed', { request_id: requestId, account: resource.path, by: principal.userPath, sessions_revoked: revoked });
            }
            return {
              record,
              updated: { created: [], modified: [resource.path], removed: [], changed_descendants: ancestorsOf(resource.path) },
            };
          } catch (error) {
            if (!(error instanceof RevisionConflictError) || attempt >= maxWriteAttempts) throw error;
            // Someone else wrote meanwhile: apply the same change on top of theirs.
            const latest = await storage.readResource(resource.path);
            if (!latest) throw conflict('path', 'The resource was removed while it was being changed');
            current = latest;
          }
        }
      } catch (error) {
        await claims.release();
        if (error instanceof RevisionConflictError) {
          throw conflict('data', 'The resource is being changed by others too often; try again');
        }
        throw error;
      }
    },
  };

  async function checkCurrentPassword(data: SheetData, principal: Principal, given: string | undefined) {
    const guarded = Object.entries(data).flatMap(([sheetId, fields]) =>
      Object.keys(fields).filter((fieldName) => registry.sheets.get(sheetId)?.fields[fieldName]?.needsCurrentPassword),
    );
    if (guarded.length === 0) return;
    if (given === undefined || given === '') {
      throw badRequest('header', userPasswordHeader, `Changing ${guarded.join(', ')} needs your current password in ${userPasswordHeader}`, 'password_required');
    }
    const caller = principal.userPath === undefined ? undefined : await storage.readResource(principal.userPath);
    const hash = caller ? passwordHashOf(caller) : undefined;
    if (hash === undefined || !(await hasher.verify(hash, given))) {
      throw badRequest('header', userPasswordHeader, `The password in ${userPasswordHeader} is wrong`, 'wrong_password');
    }
  }

  function changesHashedField(data: SheetData): boolean {
    return Object.entries(data).some(([sheetId, fields]) =>
      Object.keys(fields).some((fieldName) => registry.sheets.get(sheetId)?.fields[fieldName]?.hashed),
    );
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
