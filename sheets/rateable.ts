// IRateable: where rates about a version are posted; computed, never stored.
import { defineSheet } from '../src/sheet.ts';

class RateableSchema {}

export default defineSheet({
  id: 'adhocracy_core.sheets.rate.IRateable',
  schema: RateableSchema,
  fields: {
    post_pool: {
      valuetype: 'adhocracy_core.schema.PostPool',
      targetsheet: 'adhocracy_core.sheets.pool.IPool',
      serverManaged: true,
      computed: { kind: 'post-pool', service: 'rates' },
    },
  },
  resourceTypes: ['adhocracy_core.resources.document.IDocumentVersion', 'adhocracy_core.resources.comment.ICommentVersion'],
  permissions: { read: ['everyone'], edit: [] },
});
