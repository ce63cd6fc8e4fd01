// Each sheet as JSON Schema: the field kinds of src/sheet.ts and the class-validator rules of its schema class.
import { getMetadataStorage } from 'class-validator';
import type { PasswordPolicy } from '../../auth/passwords.ts';
import { isCreatable, isEditableIn, isReadable } from '../../registry.ts';
import type { ResourceType } from '../../resource-type.ts';
import { assignableRoles, isPasswordField, type FieldDefinition, type Role, type Sheet, type ValueType } from '../../sheet.ts';

/** A JSON Schema (draft 2020-12, as OpenAPI 3.1 has it); open, since its keywords are many. */
export type JsonSchema = { [keyword: string]: unknown };

/** What a sheet is part of: what GET answers, what POST may send at creation, or what PUT may change. */
export type SheetUse = 'read' | 'create' | 'edit';

const everyRole: readonly Role[] = [...assignableRoles, 'everyone', 'authenticated', 'self'];

/** The value a field of this kind holds, before its validators narrow it. */
function describeValueType(valuetype: ValueType): JsonSchema {
  switch (valuetype) {
    case 'adhocracy_core.schema.Boolean':
      return { type: 'boolean' };
    case 'adhocracy_core.schema.Integer':
      return { type: 'integer' };
    case 'adhocracy_core.schema.DateTime':
      return { type: 'string', format: 'date-time' };
    case 'adhocracy_core.schema.Email':
      return { type: 'string', format: 'email' };
    case 'adhocracy_core.schema.Reference':
    case 'adhocracy_core.schema.PostPool':
      return { type: 'string', description: 'The URL of a resource; requests may give its path instead' };
    case 'adhocracy_core.schema.Role':
      return { type: 'string', enum: [...assignableRoles] };
    case 'adhocracy_core.schema.LocalRole':
      return {
        type: 'object',
        properties: { principal: { type: 'string', description: 'The URL or path of a user or group' }, roles: { type: 'array', items: { type: 'string', enum: [...assignableRoles] } } },
        required: ['principal', 'roles'],
        additionalProperties: false,
      };
    case 'adhocracy_core.schema.ACM':
      return {
        type: 'object',
        properties: Object.fromEntries(['view', 'create', 'delete'].map((action) => [action, { type: 'array', items: { type: 'string', enum: [...everyRole] } }])),
        additionalProperties: false,
      };
    case 'adhocracy_core.schema.TimeZoneName':
      return { type: 'string', description: 'An IANA time zone name, such as Europe/Berlin' };
    case 'adhocracy_ts.schema.Alias':
      return {
        type: 'object',
        properties: {
          type: { type: 'string', description: 'An alias type: email, handle, phone, facebook.id, google.id, apple.id, steam.id' },
          value: { type: 'string' },
          public: { type: 'boolean' },
          created: { type: 'string', format: 'date-time', readOnly: true },
        },
        required: ['type', 'value'],
        additionalProperties: false,
      };
    case 'adhocracy_ts.schema.AliasMap':
      return { type: 'object', additionalProperties: { type: 'string' }, description: 'The newest public value of each alias type' };
    case 'adhocracy_core.schema.Name':
    case 'adhocracy_core.schema.Password':
    case 'adhocracy_core.schema.SingleLine':
    case 'adhocracy_core.schema.Text':
      return { type: 'string' };
  }
}

/** The JSON Schema keywords that one class-validator rule stands for; none for rules JSON Schema cannot say (they are named instead). */
function describeRule(name: string, constraints: readonly unknown[]): JsonSchema | undefined {
  const [first, second] = constraints;
  switch (name) {
    case 'isString':
      return { type: 'string' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isInt':
      return { type: 'integer' };
    case 'isArray':
      return { type: 'array' };
    case 'isEmail':
      return { type: 'string', format: 'email' };
    case 'isIn':
      return { enum: [...(first as unknown[])] };
    case 'minLength':
      return { minLength: first };
    case 'maxLength':
      return { maxLength: first };
    case 'length':
      return second === undefined ? { minLength: first } : { minLength: first, maxLength: second };
    case 'min':
      return { minimum: first };
    case 'max':
      return { maximum: first };
    case 'arrayMaxSize':
      return { maxItems: first };
    case 'arrayMinSize':
      return { minItems: first };
    case 'arrayUnique':
      return { uniqueItems: true };
    case 'matches':
      // JSON Schema patterns are ECMA-262 with the u flag; a pattern with other flags cannot be said there.
      return first instanceof RegExp && /^u?$/.test(first.flags) ? { pattern: first.source } : undefined;
    default:
      return undefined;
  }
}

interface FieldRules {
  /** Rules on the value itself. */
  own: JsonSchema[];
  /** Rules with `each`: on every element of a list. */
  each: JsonSchema[];
  /** Rules JSON Schema cannot express, by name, for people. */
  unexpressed: string[];
}

/** The class-validator rules of each property of a sheet's schema class. */
function readRules(sheet: Sheet): Map<string, FieldRules> {
  const rules = new Map<string, FieldRules>();
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(sheet.schema, '', true, false)) {
    let field = rules.get(metadata.propertyName);
    if (!field) rules.set(metadata.propertyName, (field = { own: [], each: [], unexpressed: [] }));
    const name = metadata.name ?? metadata.type;
    const described = describeRule(name, metadata.constraints ?? []);
    if (described) (metadata.each ? field.each : field.own).push(described);
    else if (metadata.type === 'customValidation') field.unexpressed.push(name);
  }
  return rules;
}

/** Several rules on one value: merged where their keywords differ, all of them kept where they do not (two patterns). */
function mergeRules(base: JsonSchema, rules: readonly JsonSchema[]): JsonSchema {
  const merged: JsonSchema = { ...base };
  const further: JsonSchema[] = [];
  for (const rule of rules) {
    for (const [keyword, value] of Object.entries(rule)) {
      if (!(keyword in merged)) merged[keyword] = value;
      else if (JSON.stringify(merged[keyword]) !== JSON.stringify(value)) further.push({ [keyword]: value });
    }
  }
  return further.length > 0 ? { ...merged, allOf: further } : merged;
}

function describeField(field: FieldDefinition, rules: FieldRules | undefined, use: SheetUse, passwordPolicy: PasswordPolicy): JsonSchema {
  const value = describeValueType(field.valuetype);
  const isList = field.containertype === 'list';
  // What is read is what was stored: its kind, not the rules that writing it passes.
  const own = use === 'read' || !rules ? [] : rules.own;
  const each = use === 'read' || !rules ? [] : rules.each;
  const withPolicy = isPasswordField(field) ? { ...value, minLength: passwordPolicy.minLength, maxLength: passwordPolicy.maxLength } : value;
  const schema = isList ? mergeRules({ type: 'array', items: mergeRules(withPolicy, each) }, own) : mergeRules(withPolicy, [...own, ...each]);
  // A reference read back may be null: the root has no creator.
  const nullable = use === 'read' && !isList && (field.valuetype === 'adhocracy_core.schema.Reference' || field.valuetype === 'adhocracy_core.schema.PostPool');
  if (nullable) schema.type = ['string', 'null'];
  if (field.serverManaged) schema.readOnly = true;
  if (isPasswordField(field)) schema.writeOnly = true;
  if (use !== 'read' && rules && rules.unexpressed.length > 0) schema['x-validators'] = rules.unexpressed;
  schema['x-valuetype'] = field.valuetype;
  // Adhocracy 3's clients send numbers as text; the server reads them as numbers before it validates.
  if (use !== 'read' && field.valuetype === 'adhocracy_core.schema.Integer' && !isList) {
    return { anyOf: [schema, { type: 'string', pattern: '^-?\\d{1,15}$', description: 'The number as text' }] };
  }
  return schema;
}

/** Whether a field appears in a sheet of this use (for PUT: as the type allows editing it). */
function isFieldIn(use: SheetUse, type: ResourceType | undefined, sheet: Sheet, field: FieldDefinition): boolean {
  if (use === 'read') return isReadable(field);
  if (use === 'create') return isCreatable(field);
  if (!type) throw new Error(`what PUT may change of ${sheet.id} depends on the resource type: name it`);
  return isEditableIn(type, sheet, field);
}

/**
 * A sheet's data as JSON Schema for one use. Read: every readable field, none required (a field may be
 * unset). Create: the creatable fields, with the mandatory ones required. Edit: the fields the type lets
 * PUT change. Unknown fields are refused, as the server refuses them.
 */
export function describeSheet(sheet: Sheet, use: SheetUse, options: { type?: ResourceType; passwordPolicy: PasswordPolicy }): JsonSchema {
  const rules = readRules(sheet);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(sheet.fields)) {
    if (!isFieldIn(use, options.type, sheet, field)) continue;
    properties[name] = describeField(field, rules.get(name), use, options.passwordPolicy);
    if (use === 'create' && field.createMandatory) required.push(name);
  }
  if (use === 'read' && sheet.computedFrom === 'children') {
    properties.elements = { type: 'array', items: { anyOf: [{ type: 'string' }, { $ref: '#/components/schemas/Resource' }] }, readOnly: true };
    properties.aggregateby = {
      type: 'object',
      description: 'For each `aggregateby` asked for: how many elements have each value',
      additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
      readOnly: true,
    };
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

/** Whether a sheet has anything for this use, so that a body may name it. */
export function hasFieldsFor(sheet: Sheet, use: SheetUse, type: ResourceType): boolean {
  return Object.values(sheet.fields).some((field) => isFieldIn(use, type, sheet, field));
}
