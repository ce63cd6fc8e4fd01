// What pool queries filter, sort and aggregate on: Adhocracy's bare index names, `<sheet id>:<field>`, reference fields and interfaces.
import { can } from '../auth/permissions.ts';
import { badRequest } from '../errors.ts';
import type { IndexedField, Registry } from '../registry.ts';
import { baseInterfaces } from '../resource-type.ts';
import type { Comparator } from '../storage/storage.ts';
import type { Role, Sheet } from '../sheet.ts';

/** What a filter parameter names: an indexed field, or a reference field checked on each candidate. */
export type FilterField = { kind: 'indexed'; field: IndexedField } | { kind: 'reference'; sheet: Sheet; fieldName: string };

/** The index of Adhocracy that is no field: every type has its own id, its super types and its sheets. */
const interfacesIndex = 'interfaces';

const everyone: ReadonlySet<Role> = new Set<Role>(['everyone']);

const notIndexed = (parameter: string, description: string) => badRequest('querystring', parameter, description, 'not_indexed');

/** The names a client may use, for error answers. */
export function describeIndexNames(registry: Registry): string {
  return `index names: ${[...registry.indexNames.keys(), interfacesIndex].join(', ')}; indexed fields: ${[...registry.indexedFields.keys()].join(', ')}`;
}

/**
 * The field a filter parameter names; undefined when the name is no field at all, so that it is an
 * unknown parameter. `<sheet id>:<field>` may also name a reference field without an index.
 */
export function resolveFilterField(registry: Registry, name: string): FilterField | undefined {
  if (!name.includes(':')) {
    const field = findByBareName(registry, name, 'filtered on');
    return field && { kind: 'indexed', field: checkPublic(name, name, field.sheet, 'filtered on', field) };
  }
  const indexed = registry.indexedFields.get(name);
  if (indexed) return { kind: 'indexed', field: checkPublic(name, name, indexed.sheet, 'filtered on', indexed) };
  const separator = name.lastIndexOf(':');
  const sheet = registry.sheets.get(name.slice(0, separator));
  const fieldName = name.slice(separator + 1);
  const field = sheet && Object.hasOwn(sheet.fields, fieldName) ? sheet.fields[fieldName] : undefined;
  if (!sheet || !field || field.valuetype !== 'adhocracy_core.schema.Reference' || sheet.computedFrom !== undefined) {
    throw notIndexed(name, `${name} cannot be filtered on (${describeIndexNames(registry)}, and reference fields)`);
  }
  return { kind: 'reference', sheet: checkPublic(name, name, sheet, 'filtered on', sheet), fieldName };
}

/** The indexed field that `sort` or `aggregateby` names, by index name or `<sheet id>:<field>`. */
export function resolveIndexedField(registry: Registry, parameter: string, name: string, use: 'sorted on' | 'aggregated'): IndexedField {
  const field = name.includes(':') ? registry.indexedFields.get(name) : findByBareName(registry, name, use);
  if (!field) throw notIndexed(parameter, `${name} cannot be ${use} (${describeIndexNames(registry)})`);
  return checkPublic(parameter, name, field.sheet, use, field);
}

/** Adhocracy's index name first, so that `name` is IName's; else a field name that one indexed field has. */
function findByBareName(registry: Registry, name: string, use: string): IndexedField | undefined {
  const named = registry.indexNames.get(name);
  if (named) return named;
  const byName = [...registry.indexedFields.values()].filter((field) => field.fieldName === name);
  if (byName.length > 1) throw notIndexed(name, `${name} is ambiguous and cannot be ${use}; name the sheet (${describeIndexNames(registry)})`);
  return byName[0];
}

/** Filtering on a field that not everybody may read would tell them its values, one question at a time. */
function checkPublic<T>(parameter: string, name: string, sheet: Sheet, use: string, result: T): T {
  if (!can(everyone, { kind: 'read-sheet', sheet })) throw notIndexed(parameter, `${name} cannot be ${use}: not everybody may read ${sheet.id}`);
  return result;
}

/**
 * The types that `content_type` or `interfaces` select: each value is a type, a sheet or an interface
 * id (`adhocracy_core.interfaces.IPool`), standing for every type that is, has or extends it.
 */
export function typesProviding(registry: Registry, name: string, comparison: { comparator: Comparator; value: unknown }): string[] {
  const { comparator, value } = comparison;
  const values = comparator === 'any' || comparator === 'notany' ? value : [value];
  if (!['eq', 'noteq', 'any', 'notany'].includes(comparator)) throw badRequest('querystring', name, `${name} takes eq, noteq, any or notany`, 'invalid_parameter');
  if (!Array.isArray(values) || values.length > 100 || !values.every((item) => typeof item === 'string')) {
    throw badRequest('querystring', name, `${name} takes a type, sheet or interface id, and any and notany a list of at most 100`, 'invalid_parameter');
  }
  const interfaces: readonly string[] = Object.values(baseInterfaces);
  const types = [...registry.resourceTypes.values()];
  const selected = new Set<string>();
  for (const id of values) {
    const providing = types.filter((type) => type.id === id || type.superTypes.includes(id) || registry.hasSheet(type.id, id));
    if (providing.length === 0 && !registry.sheets.has(id) && !interfaces.includes(id)) {
      throw badRequest('querystring', name, `${id} is not a known content type, sheet or interface`, 'invalid_parameter');
    }
    for (const type of providing) selected.add(type.id);
  }
  const isNegated = comparator === 'noteq' || comparator === 'notany';
  return types.map((type) => type.id).filter((type) => selected.has(type) !== isNegated);
}
