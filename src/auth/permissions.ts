// Who may do what: the caller's roles on a resource, checked against the type's and the sheets' permissions.
import type { ResourceType } from '../resource-type.ts';
import type { Role, Sheet } from '../sheet.ts';
import type { ResourceRecord } from '../storage/storage.ts';

export const metadataSheet = 'adhocracy_core.sheets.metadata.IMetadata';
export const permissionsSheet = 'adhocracy_core.sheets.principal.IPermissions';

/** The caller of a request: anonymous, or a user with the global roles of their IPermissions sheet. */
export interface Principal {
  userPath?: string;
  sessionId?: string;
  globalRoles: ReadonlySet<string>;
}

export const anonymous: Principal = { globalRoles: new Set() };

/** The roles a caller holds on one resource (or, without one, anywhere). */
export function rolesOn(principal: Principal, resource?: ResourceRecord): Set<Role> {
  const roles = new Set<Role>(['everyone']);
  if (principal.userPath === undefined) return roles;
  roles.add('authenticated');
  if (principal.globalRoles.has('admin')) roles.add('admin');
  if (resource?.path === principal.userPath) roles.add('self');
  if (resource?.data[metadataSheet]?.creator === principal.userPath) roles.add('creator');
  return roles;
}

export type Action =
  | { kind: 'view'; type: ResourceType }
  | { kind: 'create'; type: ResourceType }
  | { kind: 'edit'; type: ResourceType }
  | { kind: 'read-sheet'; sheet: Sheet }
  | { kind: 'create-sheet'; sheet: Sheet; type: ResourceType }
  | { kind: 'edit-sheet'; sheet: Sheet; type: ResourceType };

/** The one question every view asks: may a caller holding these roles do this? */
export function can(roles: ReadonlySet<Role>, action: Action): boolean {
  switch (action.kind) {
    case 'view':
      return holdsAny(roles, action.type.permissions.view);
    case 'create':
      return holdsAny(roles, action.type.permissions.create);
    case 'edit':
      return holdsAny(roles, action.type.permissions.edit);
    case 'read-sheet':
      return holdsAny(roles, action.sheet.permissions.read);
    case 'create-sheet':
      return holdsAny(roles, action.sheet.permissions.create ?? action.type.permissions.create);
    case 'edit-sheet':
      return holdsAny(roles, action.type.permissions.edit) && holdsAny(roles, action.sheet.permissions.edit);
  }
}

function holdsAny(roles: ReadonlySet<Role>, allowed: readonly Role[]): boolean {
  return allowed.some((role) => roles.has(role));
}
