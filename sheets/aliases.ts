// IAliases: a user's typed aliases (a handle, a phone number, an external account id), each unique for ever; private ones seen only by the user, admins and services.
import { ArrayMaxSize, IsArray, ValidateBy, defineSheet, isEmail } from '../src/sheet.ts';

interface AliasType {
  /** What a value must look like; undefined when it is fine, else what is wrong. */
  check(value: string): string | undefined;
  /** The form two values are compared in: equal forms are one alias. */
  normalize(value: string): string;
  /** The value is stored in its normalized form, not as given. */
  storesNormalized?: boolean;
}

const noControlOrSpace = /^[^\p{Cc}\p{Cf}\p{Z}]+$/u;
const accountId = /^[A-Za-z0-9._:-]{1,128}$/;
const externalAccount: AliasType = {
  check: (value) => (accountId.test(value) ? undefined : 'must be 1 to 128 letters, digits, dots, colons, underscores or dashes'),
  normalize: (value) => value,
};

/**
 * The alias types and their rules. A type not listed is refused: without its rules, two spellings of
 * one value would be two aliases, and a mistyped type would reserve a value for ever under a type
 * nobody looks up. A new type is a new entry here.
 */
const aliasTypes: Readonly<Record<string, AliasType>> = {
  email: {
    check: (value) => (value.length <= 254 && isEmail(value) ? undefined : 'must be a valid email address'),
    normalize: (value) => value.toLowerCase(),
    storesNormalized: true,
  },
  handle: {
    check: (value) => (value.length <= 64 && noControlOrSpace.test(value) ? undefined : 'must be 1 to 64 characters without spaces or control characters'),
    // `Anna`, `anna` and `ａｎｎａ` (full width) are one handle.
    normalize: (value) => value.normalize('NFKC').toUpperCase().toLowerCase(),
  },
  phone: {
    check: (value) => (/^\+[1-9][0-9]{6,14}$/.test(value.replace(/[\s().-]/g, '')) ? undefined : 'must be an international number such as +49 30 1234567'),
    normalize: (value) => value.replace(/[\s().-]/g, ''),
    storesNormalized: true,
  },
  'facebook.id': externalAccount,
  'google.id': externalAccount,
  'apple.id': externalAccount,
  'steam.id': externalAccount,
};

export const aliasTypeNames = Object.keys(aliasTypes);
const maxAliases = 100;
const itemMembers = new Set(['type', 'value', 'public', 'created']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with one item, or undefined. */
function problemOf(item: unknown): string | undefined {
  if (!isObject(item)) return 'must be an object {type, value, public}';
  const unknown = Object.keys(item).find((member) => !itemMembers.has(member));
  if (unknown !== undefined) return `has the unknown member ${unknown}`;
  const { type, value } = item;
  if (typeof type !== 'string') return 'type must be a string';
  const rules = Object.hasOwn(aliasTypes, type) ? aliasTypes[type] : undefined;
  if (!rules) return `type must be one of ${aliasTypeNames.join(', ')}`;
  if (typeof value !== 'string' || value === '') return 'value must be a non-empty string';
  const wrong = rules.check(value);
  if (wrong !== undefined) return `value ${wrong}`;
  if (item.public !== undefined && typeof item.public !== 'boolean') return 'public must be true or false';
  return undefined;
}

/** The key an alias is unique by: its type and its normalized value. */
function keyOf(item: unknown): string | undefined {
  if (!isObject(item) || typeof item.type !== 'string' || typeof item.value !== 'string') return undefined;
  const rules = Object.hasOwn(aliasTypes, item.type) ? aliasTypes[item.type] : undefined;
  return rules ? `${item.type}:${rules.normalize(item.value)}` : undefined;
}

/** The first problem of a list, naming the item: `aliases[2]: type must be one of ...`. */
function listProblemOf(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const seen = new Map<string, number>();
  for (const [index, item] of list.entries()) {
    const problem = problemOf(item);
    if (problem !== undefined) return `aliases[${index}]: ${problem}`;
    const key = keyOf(item) as string;
    const first = seen.get(key);
    if (first !== undefined) return `aliases[${index}]: the same alias as aliases[${first}]`;
    seen.set(key, index);
  }
  return undefined;
}

class AliasesSchema {
  @IsArray()
  @ArrayMaxSize(maxAliases)
  @ValidateBy({
    name: 'aliases',
    validator: { validate: (value) => listProblemOf(value) === undefined, defaultMessage: (args) => listProblemOf(args?.value) ?? 'aliases are invalid' },
  })
  aliases!: unknown[];
}

/** As stored: `{type, value, public}`, the value normalized where its type says so; `created` is the server's. */
function canonicalAliases(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((item: Record<string, unknown>) => {
    const type = item.type as string;
    const rules = aliasTypes[type] as AliasType;
    const value = rules.storesNormalized ? rules.normalize(item.value as string) : (item.value as string);
    return { type, value, public: item.public === true };
  });
}

/** `alias=<type>:<value>` in a query of the users pool. */
function parseLookup(text: string): { item: unknown } | { error: string } {
  const colon = text.indexOf(':');
  const item = colon < 0 ? undefined : { type: text.slice(0, colon), value: text.slice(colon + 1) };
  const problem = item === undefined ? 'must be <type>:<value>' : problemOf(item);
  return problem === undefined ? { item } : { error: `alias ${problem}` };
}

export default defineSheet({
  id: 'adhocracy_ts.sheets.principal.IAliases',
  schema: AliasesSchema,
  fields: {
    aliases: {
      valuetype: 'adhocracy_ts.schema.Alias',
      containertype: 'list',
      default: [],
      canonical: canonicalAliases,
      privateItems: { flag: 'public', readBy: ['self', 'admin', 'service'] },
      stampItems: { member: 'created', keyOf: (item) => keyOf(item) ?? '' },
      unique: {
        scope: 'user-alias',
        normalize: 'exact',
        description: 'This alias belongs to another user',
        itemKey: keyOf,
        reserved: true,
        lookup: { parameter: 'alias', parse: parseLookup },
      },
    },
    latest: {
      valuetype: 'adhocracy_ts.schema.AliasMap',
      serverManaged: true,
      computed: { kind: 'latest-items', from: 'aliases', flag: 'public', by: 'type', value: 'value', time: 'created' },
    },
  },
  resourceTypes: ['adhocracy_core.resources.principal.IUser'],
  permissions: { read: ['everyone'], edit: ['self', 'admin'], create: ['everyone'] },
});
