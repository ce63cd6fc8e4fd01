// The registry of sheets and resource types; it checks itself when built, so a bad sheet stops start-up.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getMetadataStorage } from 'class-validator';
import { baseInterfaces, type ResourceType } from './resource-type.ts';
import { assignableRoles, isPasswordField, metadataSheetId, type FieldDefinition, type Role, type Sheet } from './sheet.ts';

export const sheetInterface = 'adhocracy_core.interfaces.ISheet';

export interface Registry {
  readonly sheets: ReadonlyMap<string, Sheet>;
  readonly resourceTypes: ReadonlyMap<string, ResourceType>;
  /** Names no child may take, because they name views. */
  readonly reservedNames: ReadonlySet<string>;
  /** Fields that pool queries may filter and sort on, by index key `<sheet id>:<field>`. */
  readonly indexedFields: ReadonlyMap<string, IndexedField>;
  /** The same fields by the bare index names their sheets give them (`title`, `creator`). */
  readonly indexNames: ReadonlyMap<string, IndexedField>;
  /** The sheets of a type, in registry order. */
  sheetsOf(typeId: string): readonly Sheet[];
  hasSheet(typeId: string, sheetId: string): boolean;
}

export interface IndexedField {
  key: string;
  sheet: Sheet;
  fieldName: string;
  field: FieldDefinition;
}

export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** Builds the registry and checks it: ids unique and known, schemas matching field lists, names not reserved. */
export function createRegistry(options: {
  sheets: readonly Sheet[];
  resourceTypes: readonly ResourceType[];
  reservedNames: readonly string[];
  /** Parameters of pool queries, which no index name may shadow. */
  queryParameters?: readonly string[];
}): Registry {
  const problems: string[] = [];
  const resourceTypes = indexById(options.resourceTypes, 'resource type', problems);
  const sheets = indexById(options.sheets, 'sheet', problems);
  const interfaces = new Set<string>(Object.values(baseInterfaces));

  for (const type of resourceTypes.values()) {
    for (const element of type.elementTypes) {
      if (!resourceTypes.has(element)) problems.push(`${type.id}: unknown element type ${element}`);
    }
    if (type.itemType !== undefined && !resourceTypes.has(type.itemType)) {
      problems.push(`${type.id}: unknown item type ${type.itemType}`);
    }
  }
  const uniqueScopes = new Map<string, string>();
  const indexNameOwners = new Map<string, string>();
  const queryParameters = new Set(options.queryParameters);
  for (const sheet of sheets.values()) {
    for (const target of sheet.resourceTypes) {
      if (!resourceTypes.has(target) && !interfaces.has(target)) {
        problems.push(`${sheet.id}: unknown resource type or interface ${target}`);
      }
    }
    problems.push(...checkFields(sheet, sheets));
    for (const [fieldName, field] of Object.entries(sheet.fields)) {
      if (field.indexed && field.containertype === 'list') problems.push(`${sheet.id}.${fieldName}: only single values can be indexed`);
      if (field.indexName !== undefined) problems.push(...checkIndexName(`${sheet.id}.${fieldName}`, field, indexNameOwners, queryParameters));
      if (!field.unique) continue;
      const lookup = field.unique.lookup?.parameter;
      if (lookup !== undefined && (queryParameters.has(lookup) || indexNameOwners.has(lookup) || !field.unique.itemKey)) {
        problems.push(`${sheet.id}.${fieldName}: the lookup parameter ${lookup} needs itemKey and must be neither a query parameter nor an index name`);
      }
      const owner = uniqueScopes.get(field.unique.scope);
      if (owner) problems.push(`${sheet.id}.${fieldName}: unique scope ${field.unique.scope} is already used by ${owner}`);
      uniqueScopes.set(field.unique.scope, `${sheet.id}.${fieldName}`);
    }
  }
  if (problems.length > 0) {
    throw new RegistryError(`The registry is inconsistent:\n  - ${problems.join('\n  - ')}`);
  }

  const sheetsByType = new Map<string, Sheet[]>();
  for (const type of resourceTypes.values()) {
    const applies = (sheet: Sheet) =>
      sheet.resourceTypes.includes(type.id) || sheet.resourceTypes.some((target) => type.superTypes.includes(target));
    sheetsByType.set(type.id, [...sheets.values()].filter(applies));
  }
  const indexedFields = new Map<string, IndexedField>();
  const indexNames = new Map<string, IndexedField>();
  for (const sheet of sheets.values()) {
    for (const [fieldName, field] of Object.entries(sheet.fields)) {
      if (!field.indexed) continue;
      const indexed = { key: `${sheet.id}:${fieldName}`, sheet, fieldName, field };
      indexedFields.set(indexed.key, indexed);
      if (field.indexName !== undefined) indexNames.set(field.indexName, indexed);
    }
  }
  return {
    sheets,
    resourceTypes,
    reservedNames: new Set(options.reservedNames),
    indexedFields,
    indexNames,
    sheetsOf: (typeId) => sheetsByType.get(typeId) ?? [],
    hasSheet: (typeId, sheetId) => (sheetsByType.get(typeId) ?? []).some((sheet) => sheet.id === sheetId),
  };
}

/** An index name belongs to one indexed field and never shadows a query parameter. */
function checkIndexName(where: string, field: FieldDefinition, owners: Map<string, string>, queryParameters: ReadonlySet<string>): string[] {
  const name = field.indexName as string;
  const problems: string[] = [];
  if (!field.indexed) problems.push(`${where}: an index name needs indexed: true`);
  const owner = owners.get(name);
  if (owner) problems.push(`${where}: index name ${name} is already used by ${owner}`);
  if (queryParameters.has(name)) problems.push(`${where}: index name ${name} is a query parameter`);
  owners.set(name, where);
  return problems;
}

function indexById<T extends { id: string }>(items: readonly T[], what: string, problems: string[]): Map<string, T> {
  const byId = new Map<string, T>();
  for (const item of items) {
    if (byId.has(item.id)) problems.push(`duplicate ${what} id ${item.id}`);
    byId.set(item.id, item);
  }
  return byId;
}

const knownRoles: ReadonlySet<Role> = new Set<Role>([...assignableRoles, 'everyone', 'authenticated', 'self', 'service']);

/** Every client-settable field needs a validator and every validated property a field definition. */
function checkFields(sheet: Sheet, sheets: ReadonlyMap<string, Sheet>): string[] {
  const problems: string[] = [];
  const validated = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(sheet.schema, '', true, false)
      .map((metadata) => metadata.propertyName),
  );
  for (const [fieldName, field] of Object.entries(sheet.fields)) {
    const where = `${sheet.id}.${fieldName}`;
    if (isClientSettable(field) && !validated.has(fieldName)) {
      problems.push(`${where}: clients may set it but the schema class has no validator for it`);
    }
    if (field.serverManaged && validated.has(fieldName)) {
      problems.push(`${where}: server-managed but the schema class validates it`);
    }
    if (field.targetsheet && field.targetsheet !== sheetInterface && !sheets.has(field.targetsheet)) {
      problems.push(`${where}: unknown target sheet ${field.targetsheet}`);
    }
  }
  for (const property of validated) {
    if (!(property in sheet.fields)) problems.push(`${sheet.id}: the schema validates ${property}, which is not a field`);
  }
  const fieldRoles = Object.values(sheet.fields).flatMap((field) => field.editBy ?? []);
  const roles = [...sheet.permissions.read, ...sheet.permissions.edit, ...(sheet.permissions.create ?? []), ...fieldRoles];
  for (const role of roles) {
    if (!knownRoles.has(role)) problems.push(`${sheet.id}: unknown role ${role}`);
  }
  return problems;
}

/** Passwords are the one kind of field that no answer ever holds. */
export function isReadable(field: FieldDefinition): boolean {
  return !isPasswordField(field);
}

/** Changing it needs the caller's current password: passwords, and fields that say so (an email). */
export function needsCurrentPassword(field: FieldDefinition): boolean {
  return !isReadable(field) || field.needsCurrentPassword === true;
}

/** Versions never change, except being hidden or deleted (IMetadata); other types as their fields say. */
export function isEditableIn(type: ResourceType, sheet: Sheet, field: FieldDefinition): boolean {
  return isEditable(field) && (type.kind !== 'itemVersion' || sheet.id === metadataSheetId);
}

export function isClientSettable(field: FieldDefinition): boolean {
  return !field.serverManaged && (isCreatable(field) || isEditable(field));
}

export function isCreatable(field: FieldDefinition): boolean {
  return !field.serverManaged && field.creatable !== false;
}

export function isEditable(field: FieldDefinition): boolean {
  return !field.serverManaged && field.editable !== false;
}

/** `IUserBasic` → `user-basic`: the file in sheets/ that must define a sheet id. */
export function sheetFileName(sheetId: string): string {
  const last = sheetId.split('.').pop() ?? '';
  const bare = /^I[A-Z]/.test(last) ? last.slice(1) : last;
  return bare.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

/** Imports every file in a sheets/ folder; each default-exports one sheet named after its file. */
export async function loadSheets(directory: string): Promise<Sheet[]> {
  const files = (await readdir(directory)).filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts')).sort();
  const sheets: Sheet[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(directory, file)).href)) as { default?: Partial<Sheet> };
    const sheet = module.default;
    if (!sheet || sheet.kind !== 'sheet' || typeof sheet.id !== 'string') {
      throw new RegistryError(`${file}: must default-export defineSheet({...})`);
    }
    const expected = sheetFileName(sheet.id);
    if (path.basename(file, path.extname(file)) !== expected) {
      throw new RegistryError(`${file}: defines ${sheet.id}, so the file must be named ${expected}${path.extname(file)}`);
    }
    sheets.push(sheet as Sheet);
  }
  return sheets;
}
