// Who may do what: the caller's roles on a resource, from global, group and local roles, checked against ACLs.
import type { ResourceType } from '../resource-type.ts';
import type { FieldDefinition, Role, Sheet } from '../sheet.ts';
import type { ResourceRecord } from '../storage/storage.ts';

export { metadataSheetId as metadataSheet } from '../sheet.ts';
export const permissionsSheet = 'adhocracy_core.sheets.principal.IPermissions';
export const groupSheet = 'adhocracy_core.sheets.principal.IGroup';
export const localRolesSheet = 'adhocracy_core.sheets.local_roles.ILocalRoles';
export const aclSheet = 'adhocracy_core.sheets.acl.IAcl';

/**
 * The caller of a request: anonymous, a user with its global roles and the groups it belongs to, or a
 * service (another backend, named by its key in SERVICE_KEYS), which holds the role `service`.
 */
export interface Principal {
  userPath?: string;
  sessionId?: string;
  /**
   * The name of the backend this request acts as: it then holds the `service` role everywhere, which
   * reads what sheets and private list items grant to `service`. Set only by service authentication.
   */
  service?: string;
  /** Roles from the user's IPermissions and from its groups' IGroup sheets. */
  globalRoles: ReadonlySet<string>;
  /** Paths of the user's groups, which local roles may name too. */
  groups: readonly string[];
}

export const anonymous: Principal = { globalRoles: new Set(), groups: [] };

/**
 * Viewing, creating and deleting follow the type's ACL, unless the resource (for creating: the pool)
 * or one above it overrides the action in its IAcl sheet; the nearest override wins.
 */
type TypeAction = { type: ResourceType; lineage: readonly ResourceRecord[] };

export type Action =
  | ({ kind: 'view' } & TypeAction)
  | ({ kind: 'create' } & TypeAction)
  | ({ kind: 'delete' } & TypeAction)
  | { kind: 'read-sheet'; sheet: Sheet }
  | ({ kind: 'create-sheet'; sheet: Sheet } & TypeAction)
  | { kind: 'edit-sheet'; sheet: Sheet }
  | { kind: 'edit-field'; sheet: Sheet; field: FieldDefinition }
  | { kind: 'read-private-items'; field: FieldDefinition };

/** The one question every view asks, GET, OPTIONS, POST, PUT and DELETE alike: may these roles do this? */
export function can(roles: ReadonlySet<Role>, action: Action): boolean {
  switch (action.kind) {
    case 'view':
    case 'create':
    case 'delete':
      return holdsAny(roles, overriddenRoles(action.lineage, action.kind) ?? action.type.permissions[action.kind]);
    case 'read-sheet':
      return holdsAny(roles, action.sheet.permissions.read);
    case 'create-sheet':
      return holdsAny(roles, action.sheet.permissions.create ?? overriddenRoles(action.lineage, 'create') ?? action.type.permissions.create);
    case 'edit-sheet':
      return holdsAny(roles, action.sheet.permissions.edit);
    case 'edit-field':
      return holdsAny(roles, action.field.editBy ?? action.sheet.permissions.edit);
    case 'read-private-items':
      return holdsAny(roles, action.field.privateItems?.readBy ?? []);
  }
}

function overriddenRoles(lineage: readonly ResourceRecord[], action: 'view' | 'create' | 'delete'): Role[] | undefined {
  for (let index = lineage.length - 1; index >= 0; index -= 1) {
    const acl = lineage[index]?.data[aclSheet]?.acl as Record<string, Role[] | undefined> | undefined;
    if (acl?.[action]) return acl[action];
  }
  return undefined;
}

/** Hidden and deleted resources, and everything below them, are for admins' eyes only. */
export function canSeeHidden(roles: ReadonlySet<Role>): boolean {
  return roles.has('admin');
}

function holdsAny(roles: ReadonlySet<Role>, allowed: readonly Role[]): boolean {
  return allowed.some((role) => roles.has(role));
}
