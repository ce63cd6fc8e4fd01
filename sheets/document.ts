// IDocument: a document version's paragraphs, as references to paragraph versions.
import { ArrayMaxSize, ArrayUnique, IsArray, IsString, defineSheet } from '../src/sheet.ts';

class DocumentSchema {
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsString({ each: true })
  elements!: string[];
}

export default defineSheet({
  id: 'adhocracy_core.sheets.document.IDocument',
  schema: DocumentSchema,
  fields: {
    elements: {
      valuetype: 'adhocracy_core.schema.Reference',
      containertype: 'list',
      targetsheet: 'adhocracy_core.sheets.document.IParagraph',
      followsNewVersions: true,
      editable: false,
      default: [],
    },
  },
  resourceTypes: ['adhocracy_core.resources.document.IDocumentVersion'],
  superTypes: ['adhocracy_core.sheets.subresources.ISubResources'],
  permissions: { read: ['everyone'], edit: [] },
});
