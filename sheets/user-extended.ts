// IUserExtended: a user's email and time zone, seen only by the user, admins and services.
import { defineSheet, IsEmail, IsString, MaxLength, ValidateBy } from '../src/sheet.ts';

/** The IANA zones this runtime knows; `UTC`, the default, is left out of that list by some ICU versions. */
const timeZones = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

class UserExtendedSchema {
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: '$property must be a valid email address' })
  email!: string;

  @IsString()
  @ValidateBy({
    name: 'isTimeZone',
    validator: { validate: (value) => typeof value === 'string' && timeZones.has(value), defaultMessage: () => '$property must be an IANA time zone name such as Europe/Berlin' },
  })
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
