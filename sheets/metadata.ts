// IMetadata: who made and changed a resource and when, and whether it is hidden; kept by the server.
import { defineSheet } from '../src/sheet.ts';

class MetadataSchema {}

export default defineSheet({
  id: 'adhocracy_core.sheets.metadata.IMetadata',
  schema: MetadataSchema,
  fields: {
    creator: {
      valuetype: 'adhocracy_core.schema.Reference',
      targetsheet: 'adhocracy_core.sheets.principal.IUserBasic',
      serverManaged: true,
    },
    creation_date: { valuetype: 'adhocracy_core.schema.DateTime', serverManaged: true },
    item_creation_date: { valuetype: 'adhocracy_core.schema.DateTime', serverManaged: true },
    modified_by: {
      valuetype: 'adhocracy_core.schema.Reference',
      targetsheet: 'adhocracy_core.sheets.principal.IUserBasic',
      serverManaged: true,
    },
    modification_date: { valuetype: 'adhocracy_core.schema.DateTime', serverManaged: true },
    hidden: { valuetype: 'adhocracy_core.schema.Boolean', serverManaged: true, default: false },
    deleted: { valuetype: 'adhocracy_core.schema.Boolean', serverManaged: true, default: false },
  },
  resourceTypes: ['adhocracy_core.interfaces.IResource'],
  permissions: { read: ['everyone'], edit: [] },
});
