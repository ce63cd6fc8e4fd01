// IPermissions: a user's global roles and groups; the user, admins and services may read them, only admins change them.
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsString, assignableRoles, defineSheet } from '../src/sheet.ts';

class PermissionsSchema {
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsIn(assignableRoles, { each: true, message: `$property: each role must be one of ${assignableRoles.join(', ')}` })
  roles!: string[];

  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  groups!: string[];
}

export default defineSheet({
  id: 'adhocracy_core.sheets.principal.IPermissions',
  schema: PermissionsSchema,
  fields: {
    roles: { valuetype: 'adhocracy_core.schema.Role', containertype: 'list', default: [] },
    groups: {
      valuetype: 'adhocracy_core.schema.Reference',
      containertype: 'list',
      targetsheet: 'adhocracy_core.sheets.principal.IGroup',
      default: [],
    },
  },
  resourceTypes: ['adhocracy_core.resources.principal.IUser'],
  permissions: { read: ['self', 'admin', 'service'], edit: ['admin'], create: ['admin'] },
});
