// The query parameters of GET on a pool: which elements to list, filtered, sorted and paged how.
import { badRequest, type ErrorCode } from '../errors.ts';
import type { IndexedField, Registry } from '../registry.ts';
import type { Comparator, IndexFilter, IndexValue, ReferenceFilter } from '../storage/storage.ts';
import type { FieldDefinition, Sheet } from '../sheet.ts';
import type { PathCodec } from '../tree/path.ts';
import { tagIndexKey } from '../model/derived.ts';
import { resolveFilterField, resolveIndexedField, typesProviding } from './query-fields.ts';

export interface PoolQuery {
  elements: 'omit' | 'paths' | 'content';
  /** Only these types (from `content_type`, `interfaces` and `sheet`); undefined for any. */
  contentTypes: string[] | undefined;
  depth: number | 'all';
  filters: IndexFilter[];
  references: ReferenceFilter[];
  sort: { key: string; reverse: boolean } | undefined;
  limit: number | undefined;
  offset: number;
  /** `count`: true asks for the total where it costs a scan, false declines it; undefined leaves it to the listing. */
  count: boolean | undefined;
  /** An index key whose values to count among the matches, and the name the answer gives them under. */
  aggregateBy: { key: string; as: string } | undefined;
  /** Filters on Adhocracy's `rates`, worked out per match when asked (model/rates.ts); sorting and aggregating on it use `ratesIndex` as key. */
  ratesFilters: IndexFilter[];
  /** The parameters that narrow the matches (filters, `content_type`, `sheet`), as given. */
  narrowedBy: string[];
  /** A lookup of the one resource holding a unique list item (`alias=email:anna@example.org`). */
  lookup?: PoolLookup;
}

export interface PoolLookup {
  parameter: string;
  sheet: Sheet;
  field: FieldDefinition;
  /** The item looked for, as the field's lookup read it from the parameter. */
  item: unknown;
}

/** The parameters a lookup goes with: it finds one resource, which nothing else filters, sorts or pages. */
const lookupCompanions: readonly string[] = ['elements', 'count'];

/** The parameters the server reads itself, computed indexes among them: no index name may take one of these names. */
export const queryParameters: readonly string[] = [
  'elements',
  'content_type',
  'interfaces',
  'sheet',
  'depth',
  'sort',
  'reverse',
  'limit',
  'offset',
  'count',
  'aggregateby',
  'tag',
  'rates',
];

/** Adhocracy's `tag` index: the versions an item's LAST or FIRST tag names. */
const tagIndex = 'tag';
/** Adhocracy's `rates` index: a rateable version's sum of rates, computed when a query names it. */
export const ratesIndex = 'rates';

/** Whether a query filters, sorts or aggregates on `rates`, which is worked out per match. */
export const usesRates = (query: PoolQuery) => query.ratesFilters.length > 0 || query.sort?.key === ratesIndex || query.aggregateBy?.key === ratesIndex;

export const maxLimit = 10_000;
const comparators: readonly Comparator[] = ['eq', 'noteq', 'lt', 'le', 'gt', 'ge', 'any', 'notany'];

const fail = (name: string, description: string, code: ErrorCode = 'invalid_parameter') => badRequest('querystring', name, description, code);

/**
 * Reads every parameter; an unknown one, or a field that cannot be filtered or sorted on, is a 400
 * naming it. Any parameter lists paths unless `elements` says otherwise, as Adhocracy's clients expect.
 */
export function parsePoolQuery(
  query: Readonly<Record<string, string>>,
  options: { isPool: boolean; registry: Registry; codec: PathCodec },
): PoolQuery {
  const { registry } = options;
  const parsed: PoolQuery = {
    elements: Object.keys(query).length > 0 ? 'paths' : 'omit',
    contentTypes: undefined,
    depth: 1,
    filters: [],
    references: [],
    sort: undefined,
    limit: undefined,
    offset: 0,
    count: undefined,
    aggregateBy: undefined,
    ratesFilters: [],
    narrowedBy: [],
  };
  let reverse = false;
  const narrowTypes = (name: string, types: string[]) => {
    parsed.contentTypes = parsed.contentTypes ? parsed.contentTypes.filter((type) => types.includes(type)) : types;
    parsed.narrowedBy.push(name);
  };
  for (const [name, value] of Object.entries(query)) {
    if (!options.isPool) throw fail(name, `${name} is not a parameter of this resource, which is not a pool`, 'unknown_parameter');
    switch (name) {
      case 'elements':
        if (value !== 'omit' && value !== 'paths' && value !== 'content') throw fail(name, 'elements must be omit, paths or content');
        parsed.elements = value;
        break;
      case 'content_type':
      case 'interfaces':
        narrowTypes(name, typesProviding(registry, name, readComparison(name, value)));
        break;
      case 'sheet':
        if (!registry.sheets.has(value)) throw fail(name, `${value} is not a known sheet`);
        narrowTypes(name, [...registry.resourceTypes.keys()].filter((type) => registry.hasSheet(type, value)));
        break;
      case 'depth':
        parsed.depth = value === 'all' ? 'all' : wholeNumber(name, value, 1, 100);
        break;
      case 'sort':
        parsed.sort = { key: value === ratesIndex ? ratesIndex : resolveIndexedField(registry, name, value, 'sorted on').key, reverse: false };
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
        parsed.aggregateBy = { key: value === ratesIndex ? ratesIndex : resolveIndexedField(registry, name, value, 'aggregated').key, as: value };
        break;
      default:
        if (!addLookup(parsed, name, value, registry)) addFilter(parsed, name, value, options);
    }
  }
  const lookup = parsed.lookup;
  const companion = lookup && Object.keys(query).find((name) => name !== lookup.parameter && !lookupCompanions.includes(name));
  if (lookup && companion !== undefined) throw fail(companion, `${companion} cannot be combined with ${lookup.parameter}, which finds one resource`, 'unknown_parameter');
  if (parsed.sort) parsed.sort.reverse = reverse;
  else if (reverse) throw fail('reverse', 'reverse needs sort');
  return parsed;
}

/** A parameter that a unique list field declares for lookups; false when the name is none. */
function addLookup(parsed: PoolQuery, name: string, text: string, registry: Registry): boolean {
  for (const sheet of registry.sheets.values()) {
    for (const field of Object.values(sheet.fields)) {
      const lookup = field.unique?.lookup;
      if (lookup?.parameter !== name) continue;
      const read = lookup.parse(text);
      if ('error' in read) throw fail(name, read.error);
      parsed.lookup = { parameter: name, sheet, field, item: read.item };
      parsed.narrowedBy.push(name);
      return true;
    }
  }
  return false;
}

/** An index name or `<sheet id>:<field>`: an indexed field, or a reference field compared for equality. */
function addFilter(parsed: PoolQuery, name: string, raw: string, options: { registry: Registry; codec: PathCodec }): void {
  if (name === tagIndex) {
    const { comparator, value } = readComparison(name, raw);
    if (comparator !== 'eq' || (value !== 'LAST' && value !== 'FIRST')) throw fail(name, 'tag takes LAST or FIRST');
    parsed.filters.push({ key: tagIndexKey(value), comparator: 'eq', value: true });
    parsed.narrowedBy.push(name);
    return;
  }
  if (name === ratesIndex) {
    const { comparator, value } = readComparison(name, raw);
    const isWhole = (item: unknown) => Number.isInteger(typeof item === 'string' && item.trim() !== '' ? Number(item) : item);
    const values = comparator === 'any' || comparator === 'notany' ? value : [value];
    if (!Array.isArray(values) || values.length > 100 || !values.every(isWhole)) throw fail(name, 'rates takes a whole number, or a list of at most 100 for any and notany');
    const numbers = values.map(Number);
    parsed.ratesFilters.push({ key: ratesIndex, comparator, value: comparator === 'any' || comparator === 'notany' ? numbers : (numbers[0] as number) });
    parsed.narrowedBy.push(name);
    return;
  }
  const target = resolveFilterField(options.registry, name);
  if (!target) throw fail(name, `${name} is not a known query parameter`, 'unknown_parameter');
  const { comparator, value } = readComparison(name, raw);
  if (target.kind === 'indexed') {
    const field = target.field;
    const typed = (item: unknown) => typedValue(name, item, field, options.codec);
    if (comparator === 'any' || comparator === 'notany') {
      if (!Array.isArray(value) || value.length > 100) throw fail(name, `${comparator} needs a list of at most 100 values`);
      parsed.filters.push({ key: field.key, comparator, value: value.map(typed) });
    } else {
      parsed.filters.push({ key: field.key, comparator, value: typed(value) });
    }
  } else {
    if (comparator !== 'eq') throw fail(name, `${name} is not indexed and takes only eq`);
    const path = typeof value === 'string' ? options.codec.fromReference(value) : undefined;
    if (path === undefined) throw fail(name, `${name} takes the URL or path of a resource`);
    parsed.references.push({ sheet: target.sheet.id, field: target.fieldName, target: path });
  }
  parsed.narrowedBy.push(name);
}

/** A plain value means equality; a JSON pair `[comparator, value]` compares otherwise. */
export function readComparison(name: string, raw: string): { comparator: Comparator; value: unknown } {
  if (!raw.startsWith('[')) return { comparator: 'eq', value: raw };
  let pair: unknown;
  try {
    pair = JSON.parse(raw);
  } catch {
    return { comparator: 'eq', value: raw };
  }
  if (Array.isArray(pair) && pair.length === 2 && comparators.includes(pair[0] as Comparator)) {
    return { comparator: pair[0] as Comparator, value: pair[1] };
  }
  if (Array.isArray(pair) && typeof pair[0] === 'string') {
    throw fail(name, `${String(pair[0])} is not a comparator (use one of ${comparators.join(', ')})`);
  }
  return { comparator: 'eq', value: raw };
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

/** `true` and `false`, and `True` and `False` as Adhocracy's Python clients send them. */
function booleanParameter(name: string, value: string): boolean {
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  throw fail(name, `${name} must be true or false`);
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const number = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) throw fail(name, `${name} must be a whole number from ${min} to ${max}`);
  return number;
}
