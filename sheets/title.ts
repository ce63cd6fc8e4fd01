// ITitle: a one-line title.
import { defineSheet, IsString, Matches, MaxLength, rolesFrom } from '../src/sheet.ts';

class TitleSchema {
  @IsString()
  @MaxLength(200)
  @Matches(/^[^\r\n]*$/, { message: '$property must be a single line' })
  title!: string;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.title.ITitle',
  schema: TitleSchema,
  fields: {
    title: { valuetype: 'adhocracy_core.schema.SingleLine', default: '', indexed: true, indexName: 'title' },
  },
  resourceTypes: ['adhocracy_core.resources.pool.IBasicPool', 'adhocracy_core.resources.document.IDocumentVersion'],
  permissions: { read: ['everyone'], edit: [...rolesFrom('editor'), 'creator'] },
});
