// The tree every installation starts with, and the first admin from the configuration.
import { anonymous, permissionsSheet } from './auth/permissions.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { userNameScope } from './model/login.ts';
import { withDerivedFields } from './model/derived.ts';
import { nameSheet, type ResourceService } from './model/resources.ts';
import type { PasswordPolicy } from './auth/passwords.ts';
import { validateSheetInput } from './model/sheet-input.ts';
import type { Registry } from './registry.ts';
import { groupsServiceType, principalsServiceType, usersServiceType, userType } from './resources/principal.ts';
import { rootPoolType } from './resources/pool.ts';
import { AlreadyExistsError, type Storage } from './storage/storage.ts';
import { rootPath } from './tree/path.ts';

export const usersPoolPath = '/principals/users/';

const initialTree = [
  { path: rootPath, type: rootPoolType, name: undefined },
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
    if (name !== undefined && registry.hasSheet(type.id, nameSheet)) data[nameSheet] = { name };
    try {
      await storage.insertResource(withDerivedFields(registry, { path, contentType: type.id, data }));
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }
}

/** Registers the configured admin unless a user of that name exists; an existing user is never changed. */
export async function ensureAdmin(options: {
  admin: NonNullable<Config['admin']>;
  storage: Storage;
  registry: Registry;
  resources: ResourceService;
  log: Logger;
  passwordPolicy: PasswordPolicy;
}): Promise<void> {
  const { admin, storage, registry, resources, log, passwordPolicy } = options;
  if (await resources.findByUnique(userNameScope, admin.name)) return;
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
  const { record } = await resources.create({ pool, type: userType, data, principal: anonymous });
  log.info('admin_created', { account: record.path });
}
