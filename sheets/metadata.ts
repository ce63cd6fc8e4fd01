// IMetadata: who made and changed a resource and when, kept by the server; and whether it is hidden or deleted.
import { defineSheet, IsBoolean, rolesFrom } from '../src/sheet.ts';

class MetadataSchema {
  @IsBoolean()
  hidden!: boolean;

  @IsBoolean()
  deleted!: boolean;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.metadata.IMetadata',
  schema: MetadataSchema,
  fields: {
    creator: {
      valuetype: 'adhocracy_core.schema.Reference',
      targetsheet: 'adhocracy_core.sheets.principal.IUserBasic',
      serverManaged: true,
      indexed: true,
      indexName: 'creator',
    },
    creation_date: { valuetype: 'adhocracy_core.schema.DateTime', serverManaged: true, indexed: true },
    item_creation_date: { valuetype: 'adhocracy_core.schema.DateTime', serverManaged: true, indexed: true, indexName: 'item_creation_date' },
    modified_by: {
      valuetype: 'adhocracy_core.schema.Reference',
      targetsheet: 'adhocracy_core.sheets.principal.IUserBasic',
      serverManaged: true,
    },
    modification_date: { valuetype: 'adhocracy_core.schema.DateTime', serverManaged: true, indexed: true },
    // Moderators hide what breaks the rules; creators may delete what they made. Either answers 410.
    hidden: { valuetype: 'adhocracy_core.schema.Boolean', creatable: false, editBy: rolesFrom('moderator'), default: false },
    deleted: { valuetype: 'adhocracy_core.schema.Boolean', creatable: false, editBy: ['creator', ...rolesFrom('moderator')], default: false },
  },
  resourceTypes: ['adhocracy_core.interfaces.IResource'],
  permissions: { read: ['everyone'], edit: ['creator', ...rolesFrom('moderator')] },
});
