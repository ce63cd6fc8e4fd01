// IVersionable: the version a new version follows; set when it is posted, never changed.
import { ArrayMaxSize, IsArray, IsString, defineSheet } from '../src/sheet.ts';

class VersionableSchema {
  @IsArray()
  @ArrayMaxSize(1, { message: 'No merge allowed - you must set only one follows reference' })
  @IsString({ each: true })
  follows!: string[];
}

export default defineSheet({
  id: 'adhocracy_core.sheets.versions.IVersionable',
  schema: VersionableSchema,
  fields: {
    follows: {
      valuetype: 'adhocracy_core.schema.Reference',
      containertype: 'list',
      targetsheet: 'adhocracy_core.sheets.versions.IVersionable',
      editable: false,
      default: [],
    },
  },
  resourceTypes: ['adhocracy_core.interfaces.IItemVersion'],
  permissions: { read: ['everyone'], edit: [] },
});
