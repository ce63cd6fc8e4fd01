// Pool queries on PouchDB: matching, sorting and paging of descendants, a sorted page from an index, counts and aggregates.
import { setImmediate } from 'node:timers/promises';
import { parentPath } from '../tree/path.ts';
import { childrenRange, depthOf, highKey, indexDesignDoc, indexField, toResource, type Db, type Doc, type ResourceDoc } from './pouch-documents.ts';
import type { ChildQuery, IndexFilter, IndexValue, ResourceRecord, ScanBudget } from './storage.ts';

/**
 * Resources read per batch of a scan. Between batches a query lets the event loop serve other requests,
 * so that a long one delays them by the time of one batch at most.
 */
const batchSize = 200;

/** A batch no larger than the budget allows, plus one to tell whether it was exceeded. */
const fitBatch = (size: number, budget: ScanBudget | undefined) => (budget ? Math.min(size, budget.remaining + 1) : size);

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

type QueriedDoc = ResourceDoc & { _rev?: string; [field: string]: unknown };

/** Everything but paging: depth, type, visibility, filters, and what the caller may not see. */
function matchesQuery(doc: QueriedDoc, query: ChildQuery, parentDepth: number): boolean {
  const relative = doc.depth - parentDepth;
  if (relative < 1 || (query.depth !== 'all' && relative > query.depth)) return false;
  if (!query.includeHidden && doc.hidden) return false;
  if (query.contentTypes && !query.contentTypes.includes(doc.content_type)) return false;
  if (!query.filters.every((filter) => matchesOne((doc[indexField(filter.key)] as IndexValue | undefined) ?? null, filter))) return false;
  if (query.excludedSubtrees && query.excludedSubtrees.size > 0 && isExcluded(doc.path, query.parent, query.excludedSubtrees)) return false;
  return !((doc.hidden || doc.restricted) && query.isListable && !query.isListable(toResource(doc)));
}

/** Whether the path, or one of its ancestors below the queried pool, is excluded. */
function isExcluded(path: string, queried: string, excluded: ReadonlySet<string>): boolean {
  for (let at: string | undefined = path; at !== undefined && at !== queried; at = parentPath(at)) {
    if (excluded.has(at)) return true;
  }
  return false;
}

function compareBySort(query: ChildQuery): (a: QueriedDoc, b: QueriedDoc) => number {
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
function indexOnlySelector(query: ChildQuery): Record<string, Record<string, unknown>> {
  const sortKey = (query.sort as { key: string }).key;
  const range: Record<string, unknown> = { $gte: null };
  const operators = { eq: '$eq', lt: '$lt', le: '$lte', gt: '$gt', ge: '$gte' } as const;
  for (const filter of query.filters) {
    if (filter.key === sortKey && filter.comparator in operators) range[operators[filter.comparator as keyof typeof operators]] = filter.value;
  }
  return { parent: { $eq: query.parent }, [indexField(sortKey)]: range };
}

/** Documents as readers may see them (over CouchDB, a transaction's documents only once it committed). */
export type Visible = <D extends Doc>(docs: readonly (D | undefined)[]) => Promise<(D | ResourceDoc | undefined)[]>;

export async function queryChildren(db: Db, query: ChildQuery, visible: Visible): Promise<ResourceRecord[]> {
  if (query.depth === 1 && query.sort) return queryIndexedPage(db, query, query.sort, visible);
  const matches: QueriedDoc[] = [];
  const wanted = query.limit === undefined || query.sort ? Number.POSITIVE_INFINITY : query.offset + query.limit;
  await scanDescendants(db, query, visible, (doc) => {
    matches.push(doc);
    return matches.length < wanted;
  });
  matches.sort(compareBySort(query));
  const page = matches.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit);
  return page.map((doc) => toResource(doc));
}

/**
 * A sorted page of one pool, read from the (pool, sort key) index in batches until it is full, with
 * the other conditions checked on the way: the cost follows the page, not the pool.
 */
async function queryIndexedPage(db: Db, query: ChildQuery, sort: { key: string; reverse: boolean }, visible: Visible): Promise<ResourceRecord[]> {
  const direction = sort.reverse ? 'desc' : 'asc';
  const wanted = query.limit === undefined ? Number.POSITIVE_INFINITY : query.limit;
  // Each call walks the index past the rows of the batches before it again: larger batches, fewer calls.
  const pageBatch = Math.min(1000, Math.max(50, 2 * (query.offset + Math.min(wanted, 1000))));
  const parentDepth = depthOf(query.parent);
  const page: ResourceRecord[] = [];
  let matched = 0;
  for (let skip = 0; ; ) {
    if (skip > 0) await setImmediate();
    const size = fitBatch(pageBatch, query.budget);
    const result = await db.find({
      selector: indexOnlySelector(query),
      sort: [{ parent: direction }, { [indexField(sort.key)]: direction }],
      use_index: indexDesignDoc(sort.key),
      limit: size,
      skip,
    });
    skip += size;
    const shown = (await visible(result.docs as unknown as Doc[])) as (QueriedDoc | undefined)[];
    for (const doc of shown) {
      query.budget?.spend();
      if (!doc || !matchesQuery(doc, query, parentDepth)) continue;
      matched += 1;
      if (matched <= query.offset) continue;
      page.push(toResource(doc));
      if (page.length >= wanted) return page;
    }
    if (result.docs.length < size) return page;
  }
}

export async function countMatches(db: Db, query: ChildQuery, visible: Visible): Promise<number> {
  let count = 0;
  await scanDescendants(db, query, visible, () => {
    count += 1;
    return true;
  });
  return count;
}

export async function aggregateMatches(db: Db, query: ChildQuery, key: string, visible: Visible): Promise<Record<string, number>> {
  const field = indexField(key);
  const counts: Record<string, number> = {};
  await scanDescendants(db, query, visible, (doc) => {
    const value = doc[field];
    const label = typeof value === 'string' ? value : JSON.stringify(value ?? null);
    counts[label] = (counts[label] ?? 0) + 1;
    return true;
  });
  return counts;
}

/**
 * Reads the children (a key range in name order) or the whole subtree, batch by batch, handing each
 * matching document to `take` until it answers false.
 */
async function scanDescendants(db: Db, query: ChildQuery, visible: Visible, take: (doc: QueriedDoc) => boolean): Promise<void> {
  const parentDepth = depthOf(query.parent);
  const range = query.depth === 1 ? childrenRange(query.parent) : { startkey: query.parent, endkey: `${query.parent}${highKey}` };
  let options: PouchDB.Core.AllDocsWithinRangeOptions = { ...range, include_docs: true };
  for (let first = true; ; first = false) {
    if (!first) await setImmediate();
    const size = fitBatch(batchSize, query.budget);
    const page = await db.allDocs({ ...options, limit: size });
    const shown = await visible(page.rows.map((row) => row.doc as Doc | undefined));
    for (const [index] of page.rows.entries()) {
      query.budget?.spend();
      const doc = shown[index] as (Doc & QueriedDoc) | undefined;
      if (!doc || doc.kind !== 'resource' || !matchesQuery(doc, query, parentDepth)) continue;
      if (!take(doc)) return;
    }
    const last = page.rows.at(-1);
    if (page.rows.length < size || !last) return;
    options = { ...options, startkey: last.id, skip: 1 };
  }
}
