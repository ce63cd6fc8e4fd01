// IPasswordAuthentication: the password, accepted in clear, kept only as an argon2id hash, never readable.
import { defineSheet, IsString } from '../src/sheet.ts';

class PasswordAuthenticationSchema {
  // Length limits are the configured password policy, checked where the password is hashed.
  @IsString()
  password!: string;
}

export default defineSheet({
  id: 'adhocracy_core.sheets.principal.IPasswordAuthentication',
  schema: PasswordAuthenticationSchema,
  fields: {
    password: {
      valuetype: 'adhocracy_core.schema.Password',
      createMandatory: true,
    },
  },
  resourceTypes: ['adhocracy_core.resources.principal.IUser'],
  permissions: { read: [], edit: ['self', 'admin'], create: ['everyone'] },
});
