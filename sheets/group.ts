// IGroup: the roles a group gives to its members, the users whose IPermissions name it.
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, assignableRoles, defineSheet } from '../src/sheet.ts';

class GroupSchema {
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsIn(assignableRoles, { each: true, message: `$property: each role must be one of ${assignableRoles.join(', ')}` })
  roles!: string[];
}

export default defineSheet({
  id: 'adhocracy_core.sheets.principal.IGroup',
  schema: GroupSchema,
  fields: {
    roles: { valuetype: 'adhocracy_core.schema.Role', containertype: 'list', default: [] },
  },
  resourceTypes: ['adhocracy_core.resources.principal.IGroup'],
  permissions: { read: ['everyone'], edit: ['admin'], create: ['admin'] },
});
