// IComment: what a comment version says, and the commentable version it is about.
import { IsString, MaxLength, defineSheet } from '../src/sheet.ts';

class CommentSchema {
  @IsString()
  refers_to!: string;

  @IsString()
  @MaxLength(20_000)
  content!: string;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.comment.IComment',
  schema: CommentSchema,
  fields: {
    refers_to: {
      valuetype: 'adhocracy_core.schema.Reference',
      targetsheet: 'adhocracy_core.sheets.comment.ICommentable',
      followsNewVersions: true,
      editable: false,
      indexed: true,
    },
    content: { valuetype: 'adhocracy_core.schema.Text', editable: false, default: '' },
  },
  resourceTypes: ['adhocracy_core.resources.comment.ICommentVersion'],
  permissions: { read: ['everyone'], edit: [] },
});
