// IParagraph: a paragraph version's text, and the document versions that hold it (computed from their references).
import { IsString, MaxLength, defineSheet } from '../src/sheet.ts';

class ParagraphSchema {
  @IsString()
  @MaxLength(100_000)
  text!: string;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.document.IParagraph',
  schema: ParagraphSchema,
  fields: {
    text: { valuetype: 'adhocracy_core.schema.Text', editable: false, default: '' },
    documents: {
      valuetype: 'adhocracy_core.schema.Reference',
      containertype: 'list',
      targetsheet: 'adhocracy_core.sheets.document.IDocument',
      serverManaged: true,
      computed: { kind: 'backreferences', key: 'adhocracy_core.sheets.document.IDocument:elements' },
    },
  },
  resourceTypes: ['adhocracy_core.resources.paragraph.IParagraphVersion'],
  superTypes: ['adhocracy_core.sheets.document.ISection'],
  permissions: { read: ['everyone'], edit: [] },
});
