// IUserExtended: a user's email and time zone, seen only by the user, admins and services.
import { defineSheet, IsEmail, IsString, Matches, MaxLength } from '../src/sheet.ts';

class UserExtendedSchema {
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: '$property must be a valid email address' })
  email!: string;

  @IsString()
  @Matches(/^(|[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*)$/, { message: '$property must be a time zone name such as Europe/Berlin' })
  @MaxLength(64)
  tzname!: string;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.principal.IUserExtended',
  schema: UserExtendedSchema,
  fields: {
    email: {
      valuetype: 'adhocracy_core.schema.Email',
      createMandatory: true,
      lowercase: true,
      needsCurrentPassword: true,
      confirmedByMail: true,
      unique: { scope: 'user-email', normalize: 'lowercase', description: 'The user login email is not unique' },
    },
    tzname: { valuetype: 'adhocracy_core.schema.TimeZoneName', default: 'UTC' },
  },
  resourceTypes: ['adhocracy_core.resources.principal.IUser'],
  permissions: { read: ['self', 'admin', 'service'], edit: ['self', 'admin'], create: ['everyone'] },
});
