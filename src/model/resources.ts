// Creating and changing resources: naming, metadata, unique values, passwords, references, retries.
import type { Clock } from '../clock.ts';
import type { Passwords } from '../auth/passwords.ts';
import { accessPartOf, isAccessChange } from '../auth/access.ts';
import { metadataSheet, type Principal } from '../auth/permissions.ts';
import type { Sessions } from '../auth/sessions.ts';
import { badRequest, conflict, ErrorCollector } from '../errors.ts';
import type { Registry } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import type { Sheet } from '../sheet.ts';
import { AlreadyExistsError, RevisionConflictError, type ResourceRecord, type SheetData, type Storage } from '../storage/storage.ts';
import { childPath, counterName, parentPath, type PathCodec } from '../tree/path.ts';
import { withDerivedFields } from './derived.ts';
import { toJournal } from './journal.ts';
import { withItemStamps } from './item-stamps.ts';
import { createReferenceResolver } from './references.ts';
import type { MailLanguage } from '../mail/templates.ts';
import type { PendingChanges } from './pending-changes.ts';
import { Staging } from './staging.ts';
import type { UniqueValues } from './unique-values.ts';
import { createVersions } from './versions.ts';

export const nameSheet = 'adhocracy_core.sheets.name.IName';

/** What a change touched, so that clients know which cached resources and queries went stale. */
export interface UpdatedResources {
  created: string[];
  modified: string[];
  removed: string[];
  changed_descendants: string[];
}

/** What a create, update or removal wrote, and what it touched. */
export interface Written {
  record: ResourceRecord;
  /** For an item: its first version, made with it. */
  firstVersion?: string;
  updated: UpdatedResources;
}

export interface CreateRequest {
  pool: ResourceRecord;
  type: ResourceType;
  data: SheetData;
  principal: Principal;
  /** Who asked (an address), for a fair share of password hashing. */
  client?: string;
  /** For a new version: the versions whose subtree its auto-updates stay in (Adhocracy's root_versions). */
  rootVersions?: readonly string[];
  /** For an account: the language of its mails (from the registration's Accept-Language). */
  language?: MailLanguage;
  /** An account whose address the operator configured (the first admin): it needs no activation. */
  activated?: boolean;
}

export interface UpdateRequest {
  resource: ResourceRecord;
  type: ResourceType;
  data: SheetData;
  principal: Principal;
  /** Carried on the security events the change logs (a password change). */
  requestId: string;
  client?: string;
  /** Writes fields confirmed by mail at once: their confirmation is what asks. */
  confirmed?: boolean;
}

export interface ResourceService {
  /** A transaction for several writes (a batch): stage them with `create` and `update`, then commit it. */
  begin(): Staging;
  /** Creates a resource, in its own transaction or staged in `staging` (then nothing is stored until it commits). */
  create(request: CreateRequest, staging?: Staging): Promise<Written>;
  /** Applies checked changes; a current password they need must have been confirmed before. */
  update(request: UpdateRequest, staging?: Staging): Promise<Written>;
  /** What a committed transaction touched, as the answer's updated_resources. */
  updatedBy(staging: Staging): Promise<UpdatedResources>;
  /** The resource holding a unique value (a user by name or email), if any. */
  findByUnique(scope: string, value: string): Promise<ResourceRecord | undefined>;
  /** See UniqueValues.findItemOwner. */
  findByItem: UniqueValues['findItemOwner'];
  /** Removes a resource and everything below it for good, with their unique values and sessions. */
  remove(resource: ResourceRecord): Promise<Written>;
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

  /** `hidden`: an account awaiting activation, hidden until then. */
  function newRecord(type: ResourceType, path: string, data: SheetData, principal: Principal, now: string, hidden = false): ResourceRecord {
    const stored: SheetData = {};
    for (const sheet of storedSheets(type)) stored[sheet.id] = { ...defaultsOf(sheet), ...data[sheet.id] };
    if (stored[metadataSheet]) {
      const creator = type.isOwnCreator ? path : (principal.userPath ?? null);
      Object.assign(stored[metadataSheet], {
        creator,
        creation_date: now,
        item_creation_date: now,
        modified_by: principal.userPath ?? creator,
        modification_date: now,
        ...(hidden ? { hidden: true } : {}),
      });
    }
    return withDerivedFields(registry, { path, contentType: type.id, data: withItemStamps(registry, type.id, undefined, stored, now) });
  }

  const updatedByTransaction = new WeakMap<Staging, Promise<UpdatedResources>>();
  const versions = createVersions({ registry, storage, unique, newRecord });
  const begin = () =>
    new Staging(storage, new Date(clock.now()).toISOString(), async (st) => toJournal(st.now, { ...(await updatedBy(st)), access: [...st.accessChanged] }));

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

  /**
   * Stages a new resource (an item with its first version and services); answers it and the first
   * version. With `nameCheckedByCommit`, a transaction of its own learns that a chosen name is taken from
   * its commit, which refuses to insert a path twice anyway, and is spared a read; a batch looks first,
   * so that the subrequest that names a taken child is the one refused.
   */
  async function stageCreate(request: CreateRequest, st: Staging, nameCheckedByCommit = false): Promise<{ record: ResourceRecord; firstVersion?: string }> {
    const { pool, type, principal, client } = request;
    const resolved = await references.resolve(request.data, (path) => st.read(path));
    checkCallerFields(resolved, principal);
    if (type.kind === 'itemVersion') {
      const record = await versions.stageVersion({ item: pool, type, data: resolved, principal, rootVersions: request.rootVersions ?? [], st });
      return { record };
    }
    const { name, chosen, counter } = await nameFor(pool, type, resolved);
    const path = childPath(pool.path, name);
    if (chosen && !nameCheckedByCommit && (await st.read(path))) throw badRequest('body', `data.${nameSheet}.name`, `${name} is already taken in this pool`, 'name_taken');
    // Claimed before hashing, so that a duplicate registration is refused before it costs a hash.
    st.hold(await unique.prepare(type, undefined, resolved, path));
    const hashed = await passwords.hashIn(resolved, client);
    const account = type.isAccount ? await pending.registering(path, request.language ?? 'en', { activated: request.activated ?? false }) : undefined;
    if (account) st.hold(account);
    const record = newRecord(type, path, hashed, principal, st.now, account?.hidden === true);
    st.insert(record, counter);
    const firstVersion = type.kind === 'item' ? await versions.stageItemContent(record, type, principal, st) : undefined;
    return { record: (await st.read(path)) as ResourceRecord, ...(firstVersion ? { firstVersion } : {}) };
  }

  /** Fields that must name the caller (the subject of a rate) do, or the request is refused. */
  function checkCallerFields(data: SheetData, principal: Principal): void {
    const errors = new ErrorCollector();
    for (const [sheetId, fields] of Object.entries(data)) {
      for (const [fieldName, value] of Object.entries(fields)) {
        if (!registry.sheets.get(sheetId)?.fields[fieldName]?.mustBeCaller || value === principal.userPath) continue;
        errors.add({ location: 'body', name: `data.${sheetId}.${fieldName}`, description: 'Must be the currently logged-in user', code: 'not_the_caller' });
      }
    }
    errors.throwIfAny();
  }

  /** Runs one request in a transaction of its own: a name that a concurrent request took is counted on. */
  async function inOwnTransaction<T>(run: (st: Staging) => Promise<T>, isCountedOn: (error: unknown) => boolean): Promise<{ result: T; st: Staging }> {
    for (let attempt = 1; ; attempt += 1) {
      const st = begin();
      try {
        const result = await run(st);
        await st.commit();
        return { result, st };
      } catch (error) {
        await st.abandon();
        if (!isCountedOn(error) || attempt >= maxWriteAttempts) throw error;
      }
    }
  }

  async function written(record: ResourceRecord, st: Staging, firstVersion?: string): Promise<Written> {
    const stored = (await storage.readResource(record.path)) ?? record;
    return { record: stored, ...(firstVersion ? { firstVersion } : {}), updated: await updatedBy(st) };
  }

  /**
   * Created, modified and removed resources, each in one list; modified includes every resource that
   * a written reference points to, since its backreferences changed; changed_descendants every pool
   * above any of them.
   */
  function updatedBy(st: Staging): Promise<UpdatedResources> {
    // Asked for once a transaction is complete, by its journal at the commit and by the answer after it: worked out once.
    let updated = updatedByTransaction.get(st);
    if (!updated) {
      updated = findUpdated(st);
      updatedByTransaction.set(st, updated);
    }
    return updated;
  }

  async function findUpdated(st: Staging): Promise<UpdatedResources> {
    const created = new Set(st.created);
    const removed = new Set([...st.removed].filter((path) => !created.has(path)));
    const modified = new Set<string>();
    for (const path of st.modified) if (!created.has(path) && !removed.has(path)) modified.add(path);
    for (const path of [...created, ...removed]) {
      const parent = parentPath(path);
      if (parent !== undefined && !created.has(parent) && !removed.has(parent)) modified.add(parent);
    }
    const touch = (target: unknown) => {
      if (typeof target === 'string' && !created.has(target) && !removed.has(target)) modified.add(target);
    };
    for (const path of new Set([...created, ...st.modified, ...removed])) {
      const record = await st.read(path);
      if (st.isNew(path)) {
        // A new resource refers to all it refers to, its creator too.
        for (const reference of record?.references ?? []) touch(reference.target);
        touch(record?.data[metadataSheet]?.creator);
        continue;
      }
      // A changed one only to what it now refers to and did not, or no longer refers to.
      const before = new Set((st.originalOf(path)?.references ?? []).map((reference) => reference.target));
      const after = new Set((record?.references ?? []).map((reference) => reference.target));
      for (const target of after) if (!before.has(target)) touch(target);
      for (const target of before) if (!after.has(target)) touch(target);
    }
    const descendantsChanged = new Set([...created, ...modified, ...removed].flatMap(ancestorsOf));
    const sorted = (paths: Set<string>) => [...paths].sort();
    // The nearest pools first, as for one resource its ancestors come.
    const depth = (path: string) => path.split('/').length;
    const byDepth = [...descendantsChanged].sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1));
    return { created: sorted(created), modified: sorted(modified), removed: sorted(removed), changed_descendants: byDepth };
  }

  return {
    begin,
    updatedBy,
    findByUnique: (scope, value) => unique.findOwner(scope, value),
    findByItem: (scope, item) => unique.findItemOwner(scope, item),
    migrateUniqueClaims: () => unique.migrateClaims(),

    async remove(resource) {
      const type = registry.resourceTypes.get(resource.contentType);
      const parent = parentPath(resource.path);
      const journal = toJournal(new Date(clock.now()).toISOString(), {
        modified: parent === undefined ? [] : [parent],
        removed: [resource.path],
        gone: [accessPartOf(resource)],
      });
      const removed = await storage.removeTree(resource.path, { keepPath: type?.keepsPathWhenRemoved === true, journal });
      for (const record of removed) {
        const removedType = registry.resourceTypes.get(record.contentType);
        if (removedType) await unique.releaseAll(removedType, record);
        sessions.forgetUser(record.path);
      }
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

    async create(request, staging) {
      if (staging) {
        const { record, firstVersion } = await stageCreate(request, staging);
        return { record, ...(firstVersion ? { firstVersion } : {}), updated: emptyUpdate() };
      }
      const chosen = request.data[nameSheet]?.name;
      try {
        const { result, st } = await inOwnTransaction(
          (own) => stageCreate(request, own, true),
          // A name the counter gave was taken meanwhile (by a chosen one): the next value, once more.
          (error) => (error instanceof AlreadyExistsError && typeof chosen !== 'string') || error instanceof RevisionConflictError,
        );
        return written(result.record, st, result.firstVersion);
      } catch (error) {
        // A chosen name taken meanwhile, or by a removed resource whose path is never given again.
        if (error instanceof AlreadyExistsError && typeof chosen === 'string') {
          throw badRequest('body', `data.${nameSheet}.name`, `${chosen} is already taken in this pool`, 'name_taken');
        }
        if (error instanceof RevisionConflictError) throw conflict('data', 'The pool is being changed by others too often; try again');
        throw error;
      }
    },

    async update(request, staging) {
      const { resource, type, principal, requestId, client } = request;
      const { held, applied } = request.confirmed ? { held: [], applied: request.data } : splitHeldChanges(resource, request.data);
      const checked = await passwords.hashIn(await references.resolve(applied, staging ? (path) => staging.read(path) : undefined), client);
      const stage = async (st: Staging) => {
        const current = (await st.read(resource.path)) ?? resource;
        for (const change of held) st.hold(await pending.holdChange({ record: current, ...change }));
        // Only fields confirmed by mail changed: they wait for their link, and nothing is written now.
        if (Object.keys(checked).length === 0) return { before: current, next: current };
        const merged = mergeChanges(current, checked, principal, st.now);
        const next = withDerivedFields(registry, { ...merged, data: withItemStamps(registry, type.id, current.data, merged.data, st.now) });
        // Claimed after reading what it replaces: see UniqueValues.prepare.
        st.hold(await unique.prepare(type, current, next.data, resource.path));
        st.replace(next);
        if (next.hidden && !current.hidden) st.removed.add(next.path);
        if (!next.hidden && current.hidden) st.created.add(next.path);
        if (isAccessChange(current, next)) st.accessChanged.add(next.path);
        st.afterCommit(() => endSessionsIfNeeded(current, next, principal, requestId));
        return { before: current, next };
      };
      if (staging) {
        const { next } = await stage(staging);
        return { record: next, updated: emptyUpdate() };
      }
      try {
        // Someone else wrote meanwhile: the same change, on top of theirs.
        const { result, st } = await inOwnTransaction(stage, (error) => error instanceof RevisionConflictError);
        return await written(result.next, st);
      } catch (error) {
        if (error instanceof RevisionConflictError) throw conflict('data', 'The resource is being changed by others too often; try again');
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
}

/** What a staged write reports until its transaction commits, and a batch that stored nothing. */
export function emptyUpdate(): UpdatedResources {
  return { created: [], modified: [], removed: [], changed_descendants: [] };
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
