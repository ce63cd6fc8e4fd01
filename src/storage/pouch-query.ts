// Pool queries on PouchDB: index fields on resource documents, and matching, sorting and paging of descendants.
import type { ChildQuery, IndexFilter, IndexValue, ResourceRecord } from './storage.ts';

/** The document member that holds an index key's value: Mango field names cannot contain dots. */
export function indexField(key: string): string {
  return `ix_${key.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** The design document of the index that serves queries sorted on one key within one pool. */
export function indexDesignDoc(key: string): string {
  return `idx-${indexField(key)}`;
}

export function indexFieldsOf(record: ResourceRecord): Record<string, IndexValue> {
  return Object.fromEntries(Object.entries(record.index ?? {}).map(([key, value]) => [indexField(key), value]));
}

/** CouchDB's collation for the value kinds we index: null, false, true, numbers, strings. */
export function compareValues(a: IndexValue | undefined, b: IndexValue | undefined): number {
  const rank = (value: IndexValue | undefined) =>
    value === undefined || value === null ? 0 : value === false ? 1 : value === true ? 2 : typeof value === 'number' ? 3 : 4;
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}

function matchesOne(actual: IndexValue, filter: IndexFilter): boolean {
  const { comparator, value } = filter;
  const order = compareValues(actual, value as IndexValue);
  switch (comparator) {
    case 'eq':
      return order === 0;
    case 'noteq':
      return order !== 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'any':
      return (value as IndexValue[]).some((candidate) => compareValues(actual, candidate) === 0);
    case 'notany':
      return !(value as IndexValue[]).some((candidate) => compareValues(actual, candidate) === 0);
  }
}

function matchesFilter(values: Record<string, IndexValue>, filter: IndexFilter): boolean {
  return matchesOne(values[indexField(filter.key)] ?? null, filter);
}

export interface QueriedDoc {
  path: string;
  content_type: string;
  depth: number;
  hidden?: boolean;
  [field: string]: unknown;
}

/** Everything but paging: depth, type, visibility and filters. */
export function matchesQuery(doc: QueriedDoc, query: ChildQuery, parentDepth: number): boolean {
  const relative = doc.depth - parentDepth;
  if (relative < 1 || (query.depth !== 'all' && relative > query.depth)) return false;
  if (!query.includeHidden && doc.hidden) return false;
  if (query.contentTypes && !query.contentTypes.includes(doc.content_type)) return false;
  const values = doc as unknown as Record<string, IndexValue>;
  return query.filters.every((filter) => matchesFilter(values, filter));
}

export function compareBySort(query: ChildQuery): (a: QueriedDoc, b: QueriedDoc) => number {
  const sort = query.sort;
  if (!sort) return (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const field = indexField(sort.key);
  const direction = sort.reverse ? -1 : 1;
  return (a, b) =>
    direction * compareValues(a[field] as IndexValue | undefined, b[field] as IndexValue | undefined) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/**
 * A Mango selector that only the (pool, sort key) index answers: pouchdb-find reads every row of a
 * range when any condition must be checked in memory, and only pushes `limit` down when none must.
 * Range filters on the sort key narrow the range; every other condition is checked by the caller.
 */
export function indexOnlySelector(query: ChildQuery): Record<string, Record<string, unknown>> {
  const sortKey = (query.sort as { key: string }).key;
  const range: Record<string, unknown> = { $gte: null };
  for (const filter of query.filters) {
    if (filter.key === sortKey && ['eq', 'lt', 'le', 'gt', 'ge'].includes(filter.comparator)) Object.assign(range, mangoCondition(filter));
  }
  return { parent: { $eq: query.parent }, [indexField(sortKey)]: range };
}

function mangoCondition(filter: IndexFilter): Record<string, unknown> {
  const operators = { eq: '$eq', noteq: '$ne', lt: '$lt', le: '$lte', gt: '$gt', ge: '$gte', any: '$in', notany: '$nin' } as const;
  return { [operators[filter.comparator]]: filter.value };
}
