// IAcl: who may view, create in and delete a resource and everything below it, overriding its type's ACL.
import { ValidateBy, assignableRoles, defineSheet } from '../src/sheet.ts';

const actions = ['view', 'create', 'delete'];
const roles: readonly unknown[] = [...assignableRoles, 'everyone', 'authenticated', 'self'];

function isAcl(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([action, granted]) => actions.includes(action) && Array.isArray(granted) && granted.length <= 20 && granted.every((role) => roles.includes(role)),
  );
}

class AclSchema {
  @ValidateBy({
    name: 'isAcl',
    validator: {
      validate: isAcl,
      defaultMessage: () => `$property must map some of ${actions.join(', ')} to lists of roles among ${roles.join(', ')}`,
    },
  })
  acl!: Record<string, string[]>;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.acl.IAcl',
  schema: AclSchema,
  fields: {
    acl: { valuetype: 'adhocracy_core.schema.ACM', default: {} },
  },
  resourceTypes: ['adhocracy_core.interfaces.IResource'],
  permissions: { read: ['admin'], edit: ['admin'], create: ['admin'] },
});
