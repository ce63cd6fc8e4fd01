// IUserBasic: the public name of a user, unique among users whatever its case or Unicode form.
import { defineSheet, IsString, Matches, MaxLength, MinLength, NotContains } from '../src/sheet.ts';

class UserBasicSchema {
  @IsString()
  @MinLength(1, { message: '$property must not be empty' })
  @MaxLength(100)
  // '@' keeps a name from ever looking like (or equalling) an email address.
  @NotContains('@', { message: '$property must not contain "@"' })
  @Matches(/^[^\t\n\r\v\f\u0085\u2028\u2029]*$/u, { message: '$property must not contain tabs or line breaks' })
  @Matches(/^(?!\s)[\s\S]*(?<!\s)$/u, { message: '$property must not start or end with whitespace' })
  @Matches(/^(?![\s\S]*\s\s)/u, { message: '$property must not contain two whitespace characters in a row' })
  name!: string;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.principal.IUserBasic',
  schema: UserBasicSchema,
  fields: {
    name: {
      valuetype: 'adhocracy_core.schema.SingleLine',
      createMandatory: true,
      indexed: true,
      unique: { scope: 'user-name', normalize: 'nfkc-casefold', description: 'The user login name is not unique' },
    },
  },
  resourceTypes: ['adhocracy_core.resources.principal.IUser'],
  permissions: { read: ['everyone'], edit: ['self', 'admin'], create: ['everyone'] },
});
