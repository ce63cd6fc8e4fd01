// Checks the `data` of a POST or PUT against the type's sheets, their permissions and their schemas.
import { validate } from 'class-validator';
import { checkPasswordPolicy, type PasswordPolicy } from '../auth/passwords.ts';
import { can } from '../auth/permissions.ts';
import { ErrorCollector, invalidInput, type ErrorCode, type ErrorDetail } from '../errors.ts';
import { isCreatable, isEditable, isEditableIn, type Registry } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import { isPasswordField, type FieldDefinition, type Role, type Sheet } from '../sheet.ts';
import type { ResourceRecord, SheetData } from '../storage/storage.ts';

export type InputMode = 'create' | 'edit';

/**
 * Returns the sheets as given, lower-cased where a field asks for it, or throws: 403 when the caller
 * may not set a sheet, 400 listing the bad sheets and fields otherwise (the first twenty of them).
 */
export async function validateSheetInput(options: {
  registry: Registry;
  type: ResourceType;
  data: unknown;
  mode: InputMode;
  roles: ReadonlySet<Role>;
  /** The resource edited, or the pool created in, with its ancestors. */
  lineage: readonly ResourceRecord[];
  passwordPolicy: PasswordPolicy;
}): Promise<SheetData> {
  const { registry, type, data, mode, roles, lineage, passwordPolicy } = options;
  if (!isPlainObject(data)) throw invalidInput([bodyError('data', 'data must be an object of sheets', 'not_an_object')]);
  // A change of nothing would only rewrite the modification date.
  if (mode === 'edit' && Object.keys(data).length === 0) throw invalidInput([bodyError('data', 'data must name at least one sheet to change', 'empty')]);

  const errors = new ErrorCollector();
  const accepted: SheetData = {};
  const sheets: { sheet: Sheet; fields: Record<string, unknown> }[] = [];
  for (const [sheetId, fields] of Object.entries(data)) {
    if (errors.isFull) break;
    const sheet = registry.sheets.get(sheetId);
    if (!sheet || !registry.hasSheet(type.id, sheetId)) {
      errors.add(bodyError(`data.${sheetId}`, `${type.id} has no sheet ${sheetId}`, 'unknown_sheet'));
    } else if (!isPlainObject(fields)) {
      errors.add(bodyError(`data.${sheetId}`, 'a sheet must be an object of fields', 'not_an_object'));
    } else if (mode === 'edit' && Object.keys(fields).length === 0) {
      errors.add(bodyError(`data.${sheetId}`, 'a sheet given to change must name at least one field', 'empty'));
    } else {
      sheets.push({ sheet, fields });
    }
  }
  // More mistakes than one answer lists: the rest of the body is not worth checking.
  if (errors.isFull) errors.throwIfAny();

  // A sheet nobody may set in this mode is a matter of its fields (400), not of the caller's rights (403).
  const isSettable = (sheet: Sheet, field: FieldDefinition) => (mode === 'create' ? isCreatable(field) : isEditableIn(type, sheet, field));
  const denied = new ErrorCollector();
  for (const { sheet, fields } of sheets) {
    if (!Object.values(sheet.fields).some((field) => isSettable(sheet, field))) continue;
    if (!can(roles, mode === 'create' ? { kind: 'create-sheet', sheet, type, lineage } : { kind: 'edit-sheet', sheet })) {
      denied.add(forbiddenField(`data.${sheet.id}`, `You may not ${mode === 'create' ? 'set' : 'edit'} ${sheet.id}`));
      continue;
    }
    if (mode === 'create') continue;
    for (const fieldName of Object.keys(fields)) {
      if (denied.isFull) break;
      const field = Object.hasOwn(sheet.fields, fieldName) ? sheet.fields[fieldName] : undefined;
      if (field && isEditableIn(type, sheet, field) && !can(roles, { kind: 'edit-field', sheet, field })) {
        denied.add(forbiddenField(`data.${sheet.id}.${fieldName}`, `You may not edit ${fieldName}`));
      }
    }
  }
  denied.throwIfAny(403);

  for (const { sheet, fields } of sheets) {
    if (errors.isFull) break;
    accepted[sheet.id] = await validateSheet(sheet, fields, mode, passwordPolicy, errors, type);
  }
  if (mode === 'create') errors.add(...missingMandatoryFields(registry.sheetsOf(type.id), data));
  errors.throwIfAny();
  return accepted;
}

async function validateSheet(
  sheet: Sheet,
  fields: Record<string, unknown>,
  mode: InputMode,
  passwordPolicy: PasswordPolicy,
  errors: ErrorCollector,
  type: ResourceType,
): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const [fieldName, value] of Object.entries(fields)) {
    if (errors.isFull) return values;
    const name = `data.${sheet.id}.${fieldName}`;
    const field: FieldDefinition | undefined = Object.hasOwn(sheet.fields, fieldName) ? sheet.fields[fieldName] : undefined;
    if (!field) {
      errors.add(bodyError(name, `${sheet.id} has no field ${fieldName}`, 'unknown_field'));
    } else if (field.serverManaged) {
      errors.add(bodyError(name, `${fieldName} is set by the server and is read-only`, 'read_only'));
    } else if (mode === 'edit' && isEditable(field) && !isEditableIn(type, sheet, field)) {
      errors.add(bodyError(name, 'A version cannot be changed; post a new version instead', 'immutable_version'));
    } else if (mode === 'create' ? !isCreatable(field) : !isEditable(field)) {
      errors.add(bodyError(name, `${fieldName} cannot be ${mode === 'create' ? 'set at creation' : 'changed'}`, 'not_editable'));
    } else if (value === null || value === undefined) {
      errors.add(bodyError(name, `${fieldName} must not be null`, 'required'));
    } else {
      values[fieldName] = field.lowercase && typeof value === 'string' ? value.toLowerCase() : asInteger(field, value);
    }
  }
  // Every key on the instance is a declared field name, so nothing reaches its prototype.
  const instance = Object.assign(new sheet.schema(), values);
  const failures = await validate(instance, { skipMissingProperties: true, forbidUnknownValues: false });
  for (const failure of failures) {
    // Decorators apply bottom-up, so the last failed constraint is the one written first (the type check).
    const description = Object.values(failure.constraints ?? {}).at(-1) ?? `${failure.property} is invalid`;
    errors.add(bodyError(`data.${sheet.id}.${failure.property}`, description, 'invalid_value'));
    delete values[failure.property];
  }
  for (const [fieldName, value] of Object.entries(values)) {
    const field = sheet.fields[fieldName];
    if (field?.canonical) values[fieldName] = field.canonical(value);
    const problem = field && isPasswordField(field) ? checkPasswordPolicy(String(value), passwordPolicy) : undefined;
    if (problem) {
      errors.add(bodyError(`data.${sheet.id}.${fieldName}`, `${fieldName} ${problem}`, 'invalid_value'));
      delete values[fieldName];
    }
  }
  return values;
}

/** Adhocracy 3's clients send whole numbers as strings (`"rate": "1"`): an integer field takes both. */
function asInteger(field: FieldDefinition, value: unknown): unknown {
  return field.valuetype === 'adhocracy_core.schema.Integer' && typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}

function missingMandatoryFields(sheets: readonly Sheet[], given: Record<string, unknown>): ErrorDetail[] {
  return sheets.flatMap((sheet) =>
    Object.entries(sheet.fields)
      .filter(([fieldName, field]) => {
        const fields = Object.hasOwn(given, sheet.id) ? given[sheet.id] : undefined;
        return field.createMandatory && !(isPlainObject(fields) && Object.hasOwn(fields, fieldName));
      })
      .map(([fieldName]) => bodyError(`data.${sheet.id}.${fieldName}`, `${fieldName} is required`, 'required')),
  );
}

function forbiddenField(name: string, description: string): ErrorDetail {
  return { location: 'body', name, description, code: 'forbidden' };
}

function bodyError(name: string, description: string, code: ErrorCode): ErrorDetail {
  return { location: 'body', name, description, code };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
