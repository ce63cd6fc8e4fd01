// ICommentable: where comments about a version are posted, and how many comments are about it; computed, never stored.
import { defineSheet } from '../src/sheet.ts';

class CommentableSchema {}

export default defineSheet({
  id: 'adhocracy_core.sheets.comment.ICommentable',
  schema: CommentableSchema,
  fields: {
    comments_count: {
      valuetype: 'adhocracy_core.schema.Integer',
      serverManaged: true,
      computed: { kind: 'backreference-count', key: 'adhocracy_core.sheets.comment.IComment:refers_to' },
    },
    post_pool: {
      valuetype: 'adhocracy_core.schema.PostPool',
      targetsheet: 'adhocracy_core.sheets.pool.IPool',
      serverManaged: true,
      computed: { kind: 'post-pool', service: 'comments' },
    },
  },
  resourceTypes: [
    'adhocracy_core.resources.document.IDocumentVersion',
    'adhocracy_core.resources.paragraph.IParagraphVersion',
    'adhocracy_core.resources.comment.ICommentVersion',
  ],
  permissions: { read: ['everyone'], edit: [] },
});
