// The tree every installation starts with, and the first admin from the configuration.
import { setTimeout as sleep } from 'node:timers/promises';
import { anonymous, permissionsSheet } from './auth/permissions.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { ApiError } from './errors.ts';
import { userEmailScope, userNameScope } from './model/login.ts';
import { withDerivedFields } from './model/derived.ts';
import { nameSheet, type ResourceService } from './model/resources.ts';
import type { PasswordPolicy } from './auth/passwords.ts';
import { validateSheetInput } from './model/sheet-input.ts';
import type { Registry } from './registry.ts';
import { groupsServiceType, principalsServiceType, usersServiceType, userType } from './resources/principal.ts';
import { rootPoolType } from './resources/pool.ts';
import { AlreadyExistsError, RevisionConflictError, type Storage } from './storage/storage.ts';
import { rootPath } from './tree/path.ts';

/** The version of the unique keys a store has: 2 since user names compare by their confusable skeleton. */
const uniqueKeysVersion = 2;
const uniqueKeysRecord = 'settings:unique-keys';

/**
 * Moves the unique claims of a store written by an earlier version to today's keys, once. Logins find
 * users by their old keys until it is done, so it may run while the server answers.
 */
export async function migrateUniqueKeys(options: { storage: Storage; resources: ResourceService; log: Logger }): Promise<void> {
  const { storage, resources, log } = options;
  if ((await storage.readRecord(uniqueKeysRecord))?.value === uniqueKeysVersion) return;
  const { moved, clashes } = await resources.migrateUniqueClaims();
  if (moved > 0 || clashes.length > 0) log.info('unique_keys_migrated', { moved });
  // Two users whose names now compare equal keep them; the later one's name is no longer claimed.
  for (const account of clashes) log.warn('unique_key_clash', { account });
  await storage.updateRecord(uniqueKeysRecord, () => ({ value: uniqueKeysVersion }));
}

/** Pauses between looks for the user that a start which won the race for the admin's name or email is writing. */
const winnerWaits = [5, 10, 20, 50, 100, 200, 500, 1_000, 2_000];

export const usersPoolPath = '/principals/users/';

const initialTree = [
  { path: rootPath, type: rootPoolType, name: '' },
  { path: '/principals/', type: principalsServiceType, name: 'principals' },
  { path: usersPoolPath, type: usersServiceType, name: 'users' },
  { path: '/principals/groups/', type: groupsServiceType, name: 'groups' },
];

/** Creates what is missing; safe to run at every start and from several processes at once. */
export async function ensureInitialTree(storage: Storage, registry: Registry, now: string): Promise<void> {
  for (const { path, type, name } of initialTree) {
    const data: Record<string, Record<string, unknown>> = {
      'adhocracy_core.sheets.metadata.IMetadata': {
        creator: null,
        creation_date: now,
        item_creation_date: now,
        modified_by: null,
        modification_date: now,
        hidden: false,
        deleted: false,
      },
    };
    if (registry.hasSheet(type.id, nameSheet)) data[nameSheet] = { name };
    try {
      await storage.insertResource(withDerivedFields(registry, { path, contentType: type.id, data }));
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      if (data[nameSheet]) await ensureName(storage, registry, path, data[nameSheet]);
    }
  }
}

/** Stores of an earlier version have a root without IName; another process filling it in first is fine. */
async function ensureName(storage: Storage, registry: Registry, path: string, name: Record<string, unknown>): Promise<void> {
  const existing = await storage.readResource(path);
  if (!existing || existing.data[nameSheet]) return;
  const named = { ...existing, data: { ...existing.data, [nameSheet]: name } };
  await storage.replaceResource(withDerivedFields(registry, named)).catch((error: unknown) => {
    if (!(error instanceof RevisionConflictError)) throw error;
  });
}

/**
 * Registers the configured admin unless a user holds its name or its email (the admin may have renamed
 * itself since, or somebody took the address); an existing user is never changed. Several processes may
 * run it at once: the ones that lose the race for the name or email find the winner.
 */
export async function ensureAdmin(options: {
  admin: NonNullable<Config['admin']>;
  storage: Storage;
  registry: Registry;
  resources: ResourceService;
  log: Logger;
  passwordPolicy: PasswordPolicy;
}): Promise<void> {
  const { admin, storage, registry, resources, log, passwordPolicy } = options;
  const holders = async () => {
    const found = [await resources.findByUnique(userNameScope, admin.name), await resources.findByUnique(userEmailScope, admin.email)];
    return [...new Set(found.flatMap((user) => (user ? [user.path] : [])))];
  };
  const existing = await holders();
  if (existing.length > 0) return log.info('admin_exists', { accounts: existing });
  const pool = await storage.readResource(usersPoolPath);
  if (!pool) throw new Error(`${usersPoolPath} is missing`);
  const data = await validateSheetInput({
    registry,
    type: userType,
    mode: 'create',
    roles: new Set(['everyone', 'authenticated', 'admin']),
    passwordPolicy,
    lineage: [pool],
    data: {
      'adhocracy_core.sheets.principal.IUserBasic': { name: admin.name },
      'adhocracy_core.sheets.principal.IUserExtended': { email: admin.email },
      'adhocracy_core.sheets.principal.IPasswordAuthentication': { password: admin.password },
      [permissionsSheet]: { roles: ['admin'], groups: [] },
    },
  });
  try {
    const { record } = await resources.create({ pool, type: userType, data, principal: anonymous, activated: true });
    log.info('admin_created', { account: record.path });
  } catch (error) {
    if (!(error instanceof ApiError && error.errors.every((detail) => detail.code === 'not_unique'))) throw error;
    // Another start claimed the name or email first; its write of the user follows its claim.
    for (const milliseconds of winnerWaits) {
      const raced = await holders();
      if (raced.length > 0) return log.info('admin_exists', { accounts: raced });
      await sleep(milliseconds);
    }
    throw error;
  }
}
