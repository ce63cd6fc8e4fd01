// IVersions: the versions of an item, in the order they were posted; computed, never stored.
import { defineSheet } from '../src/sheet.ts';

class VersionsSchema {}

export default defineSheet({
  id: 'adhocracy_core.sheets.versions.IVersions',
  schema: VersionsSchema,
  fields: {
    elements: {
      valuetype: 'adhocracy_core.schema.Reference',
      containertype: 'list',
      targetsheet: 'adhocracy_core.sheets.versions.IVersionable',
      serverManaged: true,
    },
    count: { valuetype: 'adhocracy_core.schema.Integer', serverManaged: true },
  },
  computedFrom: 'versions',
  resourceTypes: ['adhocracy_core.interfaces.IItem'],
  permissions: { read: ['everyone'], edit: [] },
});
