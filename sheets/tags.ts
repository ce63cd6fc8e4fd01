// ITags: an item's first version and its newest, which the server moves as versions are posted.
import { defineSheet } from '../src/sheet.ts';

class TagsSchema {}

export default defineSheet({
  id: 'adhocracy_core.sheets.tags.ITags',
  schema: TagsSchema,
  fields: {
    FIRST: { valuetype: 'adhocracy_core.schema.Reference', targetsheet: 'adhocracy_core.sheets.versions.IVersionable', serverManaged: true },
    LAST: { valuetype: 'adhocracy_core.schema.Reference', targetsheet: 'adhocracy_core.sheets.versions.IVersionable', serverManaged: true, indexed: true },
  },
  resourceTypes: ['adhocracy_core.interfaces.IItem'],
  permissions: { read: ['everyone'], edit: [] },
});
