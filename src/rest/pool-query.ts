// The query parameters of GET on a pool: which elements to list, filtered, sorted and paged how.
import { badRequest } from '../errors.ts';
import type { IndexedField, Registry } from '../registry.ts';
import type { Comparator, IndexFilter, IndexValue } from '../storage/storage.ts';
import type { PathCodec } from '../tree/path.ts';

export interface PoolQuery {
  elements: 'omit' | 'paths' | 'content';
  /** Only these types (from `content_type` and `sheet`); undefined for any. */
  contentTypes: string[] | undefined;
  depth: number | 'all';
  filters: IndexFilter[];
  sort: { key: string; reverse: boolean } | undefined;
  limit: number | undefined;
  offset: number;
  /** The caller asked for the total explicitly. */
  count: boolean;
  /** An index key whose values to count among the matches. */
  aggregateBy: string | undefined;
  /** The parameters that narrow the matches (filters, `content_type`, `sheet`), as given. */
  narrowedBy: string[];
}

const maxLimit = 10_000;
const comparators: readonly Comparator[] = ['eq', 'noteq', 'lt', 'le', 'gt', 'ge', 'any', 'notany'];

const fail = (name: string, description: string, code = 'invalid_parameter') => badRequest('querystring', name, description, code);

/** Reads every parameter; an unknown one, or a field that cannot be filtered or sorted on, is a 400 naming it. */
export function parsePoolQuery(
  query: Readonly<Record<string, string>>,
  options: { isPool: boolean; registry: Registry; codec: PathCodec },
): PoolQuery {
  const { registry } = options;
  const parsed: PoolQuery = {
    elements: 'omit',
    contentTypes: undefined,
    depth: 1,
    filters: [],
    sort: undefined,
    limit: undefined,
    offset: 0,
    count: false,
    aggregateBy: undefined,
    narrowedBy: [],
  };
  let reverse = false;
  const narrowTypes = (types: string[]) => {
    parsed.contentTypes = parsed.contentTypes ? parsed.contentTypes.filter((type) => types.includes(type)) : types;
  };
  for (const [name, value] of Object.entries(query)) {
    if (!options.isPool) throw fail(name, `${name} is not a parameter of this resource, which is not a pool`, 'unknown_parameter');
    switch (name) {
      case 'elements':
        if (value !== 'omit' && value !== 'paths' && value !== 'content') throw fail(name, 'elements must be omit, paths or content');
        parsed.elements = value;
        break;
      case 'content_type':
        if (!registry.resourceTypes.has(value)) throw fail(name, `${value} is not a known content type`);
        narrowTypes([value]);
        parsed.narrowedBy.push(name);
        break;
      case 'sheet':
        if (!registry.sheets.has(value)) throw fail(name, `${value} is not a known sheet`);
        narrowTypes([...registry.resourceTypes.keys()].filter((type) => registry.hasSheet(type, value)));
        parsed.narrowedBy.push(name);
        break;
      case 'depth':
        parsed.depth = value === 'all' ? 'all' : wholeNumber(name, value, 1, 100);
        break;
      case 'sort':
        parsed.sort = { key: indexedField(registry, name, value).key, reverse: false };
        break;
      case 'reverse':
        reverse = booleanParameter(name, value);
        break;
      case 'limit':
        parsed.limit = wholeNumber(name, value, 1, maxLimit);
        break;
      case 'offset':
        parsed.offset = wholeNumber(name, value, 0, Number.MAX_SAFE_INTEGER);
        break;
      case 'count':
        parsed.count = booleanParameter(name, value);
        break;
      case 'aggregateby':
        parsed.aggregateBy = indexedField(registry, name, value).key;
        break;
      default:
        if (!name.includes(':') && !isIndexedFieldName(registry, name)) {
          throw fail(name, `${name} is not a known query parameter`, 'unknown_parameter');
        }
        parsed.filters.push(parseFilter(name, value, indexedField(registry, name, name), options.codec));
        parsed.narrowedBy.push(name);
    }
  }
  if (parsed.sort) parsed.sort.reverse = reverse;
  else if (reverse) throw fail('reverse', 'reverse needs sort');
  return parsed;
}

function isIndexedFieldName(registry: Registry, name: string): boolean {
  return [...registry.indexedFields.values()].some((field) => field.fieldName === name);
}

/** `<sheet id>:<field>`, or a bare field name that only one indexed field has. */
function indexedField(registry: Registry, parameter: string, name: string): IndexedField {
  const exact = registry.indexedFields.get(name);
  if (exact) return exact;
  const byName = [...registry.indexedFields.values()].filter((field) => field.fieldName === name);
  if (!name.includes(':') && byName.length === 1) return byName[0] as IndexedField;
  const known = [...registry.indexedFields.keys()].join(', ');
  const why = byName.length > 1 ? `${name} is ambiguous; name the sheet` : `${name} cannot be filtered or sorted on`;
  throw fail(parameter, `${why} (indexed fields: ${known})`, 'not_indexed');
}

/** A plain value means equality; a JSON pair `[comparator, value]` compares otherwise. */
function parseFilter(name: string, raw: string, field: IndexedField, codec: PathCodec): IndexFilter {
  let comparator: Comparator = 'eq';
  let value: unknown = raw;
  if (raw.startsWith('[')) {
    let pair: unknown;
    try {
      pair = JSON.parse(raw);
    } catch {
      pair = undefined;
    }
    if (Array.isArray(pair) && pair.length === 2 && comparators.includes(pair[0] as Comparator)) {
      comparator = pair[0] as Comparator;
      value = pair[1];
    } else if (Array.isArray(pair) && typeof pair[0] === 'string') {
      throw fail(name, `${String(pair[0])} is not a comparator (use one of ${comparators.join(', ')})`);
    }
  }
  if (comparator === 'any' || comparator === 'notany') {
    if (!Array.isArray(value) || value.length > 100) throw fail(name, `${comparator} needs a list of at most 100 values`);
    return { key: field.key, comparator, value: value.map((item) => typedValue(name, item, field, codec)) };
  }
  return { key: field.key, comparator, value: typedValue(name, value, field, codec) };
}

/** Converts a value to the field's type; query strings carry text, JSON pairs may carry numbers. */
function typedValue(name: string, value: unknown, field: IndexedField, codec: PathCodec): IndexValue {
  switch (field.field.valuetype) {
    case 'adhocracy_core.schema.Boolean':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw fail(name, `${name} takes true or false`);
    case 'adhocracy_core.schema.Integer': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(number)) throw fail(name, `${name} takes a whole number`);
      return number;
    }
    case 'adhocracy_core.schema.Reference': {
      const path = typeof value === 'string' ? codec.fromReference(value) : undefined;
      if (path === undefined) throw fail(name, `${name} takes the URL or path of a resource`);
      return path;
    }
    default:
      if (typeof value !== 'string') throw fail(name, `${name} takes text`);
      return value;
  }
}

function booleanParameter(name: string, value: string): boolean {
  if (value !== 'true' && value !== 'false') throw fail(name, `${name} must be true or false`);
  return value === 'true';
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const number = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) throw fail(name, `${name} must be a whole number from ${min} to ${max}`);
  return number;
}
