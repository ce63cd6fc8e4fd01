// The query parameters of GET on a pool as OpenAPI parameters: the fixed ones, and a filter for every field a query may name.
import { can } from '../../auth/permissions.ts';
import type { Registry } from '../../registry.ts';
import type { Role, Sheet } from '../../sheet.ts';
import { maxLimit, queryParameters } from '../pool-query.ts';
import type { JsonSchema } from './sheet-schema.ts';

const everyone: ReadonlySet<Role> = new Set<Role>(['everyone']);

const comparison =
  'A value (equality), or a JSON pair [comparator, value] with comparator one of eq, noteq, lt, le, gt, ge, any, notany (any and notany take a list)';

/** Each fixed parameter's schema and meaning; a parameter pool-query.ts reads but this does not know fails the build of the document. */
const fixed: Record<string, { schema: JsonSchema; description: string }> = {
  elements: { schema: { enum: ['omit', 'paths', 'content'] }, description: 'List the elements as paths (the default once any parameter is given), as whole resources, or not at all' },
  content_type: { schema: { type: 'string' }, description: `Only elements of this type, with this sheet, or extending this interface. ${comparison} (eq, noteq, any, notany)` },
  interfaces: { schema: { type: 'string' }, description: `Like content_type: Adhocracy's index of the interfaces a resource provides. ${comparison} (eq, noteq, any, notany)` },
  sheet: { schema: { type: 'string' }, description: 'Only elements whose type has this sheet' },
  depth: { schema: { anyOf: [{ type: 'integer', minimum: 1, maximum: 100 }, { const: 'all' }] }, description: 'How many levels below the pool to list (1 by default), or all' },
  sort: { schema: { type: 'string' }, description: 'An index name or <sheet id>:<field> to sort on' },
  reverse: { schema: { type: 'boolean' }, description: 'Sort descending; needs sort' },
  limit: { schema: { type: 'integer', minimum: 1, maximum: maxLimit }, description: 'At most this many elements' },
  offset: { schema: { type: 'integer', minimum: 0 }, description: 'Skip this many elements first' },
  count: { schema: { type: 'boolean' }, description: 'Include the total count (true), or leave out one that would cost a scan (false)' },
  aggregateby: { schema: { type: 'string' }, description: 'An index name or <sheet id>:<field>: count the matching elements by its values, answered under this name' },
  tag: { schema: { enum: ['LAST', 'FIRST'] }, description: "Only the versions that their item's LAST or FIRST tag names (Adhocracy's tag index)" },
  rates: {
    schema: { type: 'string' },
    description: `Adhocracy's rates index, a rateable version's sum of the newest rate of each rater, worked out per match; also a name for sort and aggregateby. ${comparison}`,
  },
};

/** The names that filter: Adhocracy's bare index names, field names only one indexed field has, `<sheet id>:<field>` of indexed and reference fields; only of sheets everybody may read. */
export function describeFilterNames(registry: Registry): Map<string, string> {
  const names = new Map<string, string>();
  const isPublic = (sheet: Sheet) => can(everyone, { kind: 'read-sheet', sheet });
  for (const [name, field] of registry.indexNames) {
    if (isPublic(field.sheet)) names.set(name, `${field.key} (index name). ${comparison}`);
  }
  const byFieldName = new Map<string, string[]>();
  for (const field of registry.indexedFields.values()) {
    if (!isPublic(field.sheet)) continue;
    names.set(field.key, `An indexed field. ${comparison}`);
    byFieldName.set(field.fieldName, [...(byFieldName.get(field.fieldName) ?? []), field.key]);
  }
  for (const [fieldName, keys] of byFieldName) {
    if (keys.length === 1 && !names.has(fieldName)) names.set(fieldName, `${keys[0]} by its field name. ${comparison}`);
  }
  for (const sheet of registry.sheets.values()) {
    if (sheet.computedFrom !== undefined || !isPublic(sheet)) continue;
    for (const [fieldName, field] of Object.entries(sheet.fields)) {
      const key = `${sheet.id}:${fieldName}`;
      if (field.valuetype === 'adhocracy_core.schema.Reference' && !names.has(key)) names.set(key, 'Elements that refer to this resource (its URL or path) by this field');
    }
  }
  return names;
}

export function describeQueryParameters(registry: Registry): JsonSchema[] {
  const unknown = queryParameters.filter((name) => !(name in fixed));
  if (unknown.length > 0) throw new Error(`query parameters without a description for /openapi.json: ${unknown.join(', ')}`);
  const parameters = queryParameters.map((name) => ({ name, in: 'query', required: false, ...fixed[name] }));
  const filters = [...describeFilterNames(registry)].map(([name, description]) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description }));
  return [...parameters, ...filters, ...describeLookups(registry)];
}

/** The parameters that find the one resource holding a unique list item (`alias=<type>:<value>`); only with elements and count. */
function describeLookups(registry: Registry): JsonSchema[] {
  const lookups: JsonSchema[] = [];
  for (const sheet of registry.sheets.values()) {
    for (const [fieldName, field] of Object.entries(sheet.fields)) {
      const parameter = field.unique?.lookup?.parameter;
      if (parameter === undefined) continue;
      lookups.push({ name: parameter, in: 'query', required: false, schema: { type: 'string' }, description: `The resource of this pool holding this item of ${sheet.id}:${fieldName}; goes only with elements and count` });
    }
  }
  return lookups;
}
