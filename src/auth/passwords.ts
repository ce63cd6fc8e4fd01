// The password field kind, in one place: given in clear, kept as an argon2id hash with a credential id, never readable, checked against the policy.
import { randomBytes } from 'node:crypto';
import type { Registry } from '../registry.ts';
import { isPasswordField } from '../sheet.ts';
import type { ResourceRecord, SheetData } from '../storage/storage.ts';
import type { PasswordHasher } from './password-hasher.ts';

/**
 * What the store keeps of a password. `credential` changes whenever the password does (never on a
 * rehash): every session keeps the one it was opened with, and dies when it no longer matches.
 */
export interface StoredPassword {
  hash: string;
  credential: string;
}

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

/** Length limits count characters (code points), not UTF-16 units. */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy): string | undefined {
  const length = [...password].length;
  if (length < policy.minLength) return `must be at least ${policy.minLength} characters long`;
  if (length > policy.maxLength) return `must be at most ${policy.maxLength} characters long`;
  return undefined;
}

export interface Passwords {
  /** The stored password of a record, if its type has a password field and it holds one. */
  storedOf(record: ResourceRecord): StoredPassword | undefined;
  /** Whether these sheets set a password. */
  changesPassword(data: SheetData): boolean;
  /** The data with every password in it replaced by its stored form, under a new credential id; `client` as for the hasher. */
  hashIn(data: SheetData, client?: string): Promise<SheetData>;
  /** The record with its password hash replaced and its credential id kept (a rehash). */
  withHash(record: ResourceRecord, hash: string): ResourceRecord;
  /** Where a type keeps its password, if it has one. */
  fieldOf(contentType: string): { sheetId: string; fieldName: string } | undefined;
}

export function createPasswords(registry: Registry, hasher: PasswordHasher): Passwords {
  const fieldByType = new Map<string, { sheetId: string; fieldName: string }>();
  for (const type of registry.resourceTypes.values()) {
    for (const sheet of registry.sheetsOf(type.id)) {
      for (const [fieldName, field] of Object.entries(sheet.fields)) {
        if (isPasswordField(field) && !fieldByType.has(type.id)) fieldByType.set(type.id, { sheetId: sheet.id, fieldName });
      }
    }
  }
  const isPasswordOf = (sheetId: string, fieldName: string) => {
    const field = registry.sheets.get(sheetId)?.fields[fieldName];
    return field !== undefined && isPasswordField(field);
  };

  return {
    storedOf(record) {
      const field = fieldByType.get(record.contentType);
      const value = field ? record.data[field.sheetId]?.[field.fieldName] : undefined;
      // A hash alone is how passwords were stored before credential ids: it counts as the empty one.
      if (typeof value === 'string') return { hash: value, credential: '' };
      if (typeof value === 'object' && value !== null && typeof (value as StoredPassword).hash === 'string') {
        const stored = value as StoredPassword;
        return { hash: stored.hash, credential: String(stored.credential ?? '') };
      }
      return undefined;
    },

    changesPassword(data) {
      return Object.entries(data).some(([sheetId, fields]) => Object.keys(fields).some((fieldName) => isPasswordOf(sheetId, fieldName)));
    },

    async hashIn(data, client) {
      const hashed: SheetData = {};
      for (const [sheetId, fields] of Object.entries(data)) {
        const copy: Record<string, unknown> = { ...fields };
        for (const [fieldName, value] of Object.entries(fields)) {
          if (!isPasswordOf(sheetId, fieldName)) continue;
          const stored: StoredPassword = { hash: await hasher.hash(String(value), client), credential: randomBytes(12).toString('base64url') };
          copy[fieldName] = stored;
        }
        hashed[sheetId] = copy;
      }
      return hashed;
    },

    fieldOf: (contentType) => fieldByType.get(contentType),

    withHash(record, hash) {
      const field = fieldByType.get(record.contentType);
      const current = this.storedOf(record);
      if (!field || !current) return record;
      const stored: StoredPassword = { hash, credential: current.credential };
      return { ...record, data: { ...record.data, [field.sheetId]: { ...record.data[field.sheetId], [field.fieldName]: stored } } };
    },
  };
}
