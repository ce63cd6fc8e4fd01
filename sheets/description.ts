// IDescription: a short teaser and a longer text.
import { defineSheet, IsString, Matches, MaxLength, rolesFrom } from '../src/sheet.ts';

class DescriptionSchema {
  @IsString()
  @MaxLength(500)
  @Matches(/^[^\r\n]*$/, { message: '$property must be a single line' })
  short_description!: string;

  @IsString()
  @MaxLength(100_000)
  description!: string;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.description.IDescription',
  schema: DescriptionSchema,
  fields: {
    short_description: { valuetype: 'adhocracy_core.schema.SingleLine', default: '' },
    description: { valuetype: 'adhocracy_core.schema.Text', default: '' },
  },
  resourceTypes: ['adhocracy_core.resources.pool.IBasicPool'],
  permissions: { read: ['everyone'], edit: [...rolesFrom('editor'), 'creator'] },
});
