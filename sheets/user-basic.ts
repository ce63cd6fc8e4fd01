// IUserBasic: the public name of a user, unique among users whatever its case, Unicode form or look-alike letters.
import { defineSheet, IsString, Matches, MaxLength, MinLength, ValidateBy } from '../src/sheet.ts';

/** Characters that are not seen, or that change how the rest is shown: controls, formats (zero-width, bidi), default-ignorables. */
const invisible = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

class UserBasicSchema {
  @IsString()
  @MinLength(1, { message: '$property must not be empty' })
  @MaxLength(100)
  // '@' keeps a name from ever looking like (or equalling) an email address, also as its full-width twin.
  @ValidateBy({
    name: 'noAtSign',
    validator: { validate: (value) => typeof value === 'string' && !value.normalize('NFKC').includes('@'), defaultMessage: () => '$property must not contain "@"' },
  })
  @Matches(/^[^\t\n\r\v\f\u0085\u2028\u2029]*$/u, { message: '$property must not contain tabs or line breaks' })
  @Matches(/^(?!\s)[\s\S]*(?<!\s)$/u, { message: '$property must not start or end with whitespace' })
  @Matches(/^(?![\s\S]*\s\s)/u, { message: '$property must not contain two whitespace characters in a row' })
  // Such characters let one name pass for another: `ro\u200bot` shows as `root`.
  @ValidateBy({
    name: 'noInvisibleCharacters',
    validator: {
      validate: (value) => typeof value === 'string' && !invisible.test(value) && !invisible.test(value.normalize('NFKC')),
      defaultMessage: () => '$property must not contain control, format or invisible characters',
    },
  })
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
      indexName: 'user_name',
      unique: { scope: 'user-name', normalize: 'skeleton', description: 'The user login name is not unique' },
    },
  },
  resourceTypes: ['adhocracy_core.resources.principal.IUser'],
  permissions: { read: ['everyone'], edit: ['self', 'admin'], create: ['everyone'] },
});
