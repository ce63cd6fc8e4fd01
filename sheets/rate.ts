// IRate: who rates what how (-1, 0 or 1); one rate per user and object, the user being the caller.
import { IsIn, IsString, defineSheet } from '../src/sheet.ts';

class RateSchema {
  @IsString()
  subject!: string;

  @IsString()
  object!: string;

  @IsIn([-1, 0, 1], { message: 'rate must be one of 1, 0, -1' })
  rate!: number;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.rate.IRate',
  schema: RateSchema,
  fields: {
    subject: {
      valuetype: 'adhocracy_core.schema.Reference',
      targetsheet: 'adhocracy_core.sheets.principal.IUserBasic',
      editable: false,
      createMandatory: true,
      mustBeCaller: true,
      indexed: true,
    },
    object: {
      valuetype: 'adhocracy_core.schema.Reference',
      targetsheet: 'adhocracy_core.sheets.rate.IRateable',
      followsNewVersions: true,
      editable: false,
      createMandatory: true,
      indexed: true,
      unique: { scope: 'rate', normalize: 'exact', description: 'Another rate by the same user already exists', with: 'subject', heldBy: 'item' },
    },
    rate: { valuetype: 'adhocracy_core.schema.Integer', editable: false, createMandatory: true, indexed: true, indexName: 'rate' },
  },
  resourceTypes: ['adhocracy_core.resources.rate.IRateVersion'],
  permissions: { read: ['everyone'], edit: [] },
});
