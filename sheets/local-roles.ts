// ILocalRoles: roles given to users or groups on one resource, which hold there and everywhere below it.
import { ArrayMaxSize, IsArray, ValidateBy, assignableRoles, defineSheet } from '../src/sheet.ts';

function isLocalRole(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { principal, roles, ...rest } = value as Record<string, unknown>;
  return (
    Object.keys(rest).length === 0 &&
    typeof principal === 'string' &&
    principal.length <= 500 &&
    Array.isArray(roles) &&
    roles.length <= 20 &&
    roles.every((role) => (assignableRoles as readonly unknown[]).includes(role))
  );
}

class LocalRolesSchema {
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateBy({
    name: 'isLocalRoles',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every(isLocalRole),
      defaultMessage: () =>
        `$property must be a list of {"principal": <user or group>, "roles": [...]} with roles among ${assignableRoles.join(', ')}`,
    },
  })
  local_roles!: { principal: string; roles: string[] }[];
}

export default defineSheet({
  id: 'adhocracy_core.sheets.local_roles.ILocalRoles',
  schema: LocalRolesSchema,
  fields: {
    local_roles: {
      valuetype: 'adhocracy_core.schema.LocalRole',
      containertype: 'list',
      referenceMember: 'principal',
      targetsheet: 'adhocracy_core.interfaces.ISheet',
      default: [],
    },
  },
  resourceTypes: ['adhocracy_core.interfaces.IResource'],
  permissions: { read: ['admin'], edit: ['admin'], create: ['admin'] },
});
