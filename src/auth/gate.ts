// The permission gate: what each permission a route declares asks of the caller, and the answers OPTIONS is built from.
import { isCreatable, isEditableIn, type Registry } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import type { Sheet } from '../sheet.ts';
import type { Access } from './access.ts';
import { can } from './permissions.ts';

/**
 * What a route needs on its context, beyond seeing it (which every route needs): `view` nothing more,
 * `create` some type it may create there, `edit` some field it may change, `delete` the type's or the
 * resource's delete permission, `manage-sessions` being the user or an admin, `session-state` too
 * (and never a service: what a session keeps is its user's alone, and its admins'), `service` being a
 * service (X-Service-Key): the views other backends call.
 */
export type Permission = 'view' | 'create' | 'edit' | 'delete' | 'manage-sessions' | 'session-state' | 'service';

/** The types the caller may create in this pool, each with the sheets it may set on creation. */
export function creatableTypes(registry: Registry, access: Access, pool: ResourceType): { type: ResourceType; sheets: Sheet[] }[] {
  const { roles, lineage } = access;
  return pool.elementTypes.flatMap((typeId) => {
    const type = registry.resourceTypes.get(typeId);
    if (!type || !can(roles, { kind: 'create', type, lineage })) return [];
    const sheets = registry
      .sheetsOf(type.id)
      .filter((sheet) => Object.values(sheet.fields).some(isCreatable) && can(roles, { kind: 'create-sheet', sheet, type, lineage }));
    return [{ type, sheets }];
  });
}

/** The sheets of which the caller may change at least one field. */
export function editableSheets(registry: Registry, access: Access, type: ResourceType): Sheet[] {
  const { roles } = access;
  return registry
    .sheetsOf(type.id)
    .filter(
      (sheet) =>
        can(roles, { kind: 'edit-sheet', sheet }) &&
        Object.values(sheet.fields).some((field) => isEditableIn(type, sheet, field) && can(roles, { kind: 'edit-field', sheet, field })),
    );
}

export function isAllowed(permission: Permission, access: Access, type: ResourceType, registry: Registry): boolean {
  switch (permission) {
    case 'view':
      return true;
    case 'create':
      return creatableTypes(registry, access, type).length > 0;
    case 'edit':
      return editableSheets(registry, access, type).length > 0;
    case 'delete':
      return can(access.roles, { kind: 'delete', type, lineage: access.lineage });
    case 'manage-sessions':
    case 'session-state':
      return access.roles.has('self') || access.roles.has('admin');
    case 'service':
      return access.roles.has('service');
  }
}

export const refusals: Record<Permission, string> = {
  view: 'You may not view this resource',
  create: 'You may not create anything here',
  edit: 'You may not edit this resource',
  delete: 'You may not delete this resource',
  'manage-sessions': "You may not see or end this user's sessions",
  service: 'Only a service may do this: send its key in X-Service-Key',
  'session-state': "You may not read or write this user's session state",
};
