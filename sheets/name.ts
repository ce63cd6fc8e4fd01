// IName: the name a pool gets at creation, which becomes the last segment of its path (the root's is empty).
import { defineSheet, IsString, Matches } from '../src/sheet.ts';

class NameSchema {
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, {
    message: '$property must be 1 to 100 letters, digits, dots, hyphens or underscores, starting with a letter or digit',
  })
  name!: string;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.name.IName',
  schema: NameSchema,
  fields: {
    name: { valuetype: 'adhocracy_core.schema.Name', createMandatory: true, editable: false, indexed: true, indexName: 'name' },
  },
  resourceTypes: [
    'adhocracy_core.resources.root.IRootPool',
    'adhocracy_core.resources.pool.IBasicPool',
    'adhocracy_core.resources.principal.IPrincipalsService',
    'adhocracy_core.resources.principal.IUsersService',
    'adhocracy_core.resources.principal.IGroupsService',
    'adhocracy_core.resources.principal.IGroup',
  ],
  permissions: { read: ['everyone'], edit: [] },
});
