// IPool: the children of a pool, listed only when a query asks for them; computed, never stored.
import { defineSheet } from '../src/sheet.ts';

class PoolSchema {}

export default defineSheet({
  id: 'adhocracy_core.sheets.pool.IPool',
  schema: PoolSchema,
  fields: {
    elements: {
      valuetype: 'adhocracy_core.schema.Reference',
      containertype: 'list',
      targetsheet: 'adhocracy_core.interfaces.ISheet',
      serverManaged: true,
    },
    count: { valuetype: 'adhocracy_core.schema.Integer', serverManaged: true },
  },
  computedFrom: 'children',
  resourceTypes: ['adhocracy_core.interfaces.IPool'],
  permissions: { read: ['everyone'], edit: [] },
});
