// Pool queries on PouchDB: matching, sorting and paging of descendants, a sorted page from an index, counts and aggregates.
import { setImmediate } from 'node:timers/promises';
import { parentPath } from '../tree/path.ts';
import { childrenRange, depthOf, highKey, indexDesignDoc, indexField, toResource, type Db, type Doc, type ResourceDoc } from './pouch-documents.ts';
import { compareValues, matchesIndexFilter } from './index-values.ts';
import { ScanLimitError, type ChildQuery, type IndexValue, type ResourceRecord, type ScanBudget } from './storage.ts';

/**
 * Resources read per batch of a scan. Between batches a query lets the event loop serve other requests,
 * so that a long one delays them by the time of one batch at most.
 */
const batchSize = 200;

/** A batch no larger than the budget allows, plus one to tell whether it was exceeded. */
const fitBatch = (size: number, budget: ScanBudget | undefined) => (budget ? Math.min(size, budget.remaining + 1) : size);

type QueriedDoc = ResourceDoc & { _rev?: string; [field: string]: unknown };

/** Everything but paging: depth, type, visibility, filters, and what the caller may not see. */
function matchesQuery(doc: QueriedDoc, query: ChildQuery, parentDepth: number): boolean {
  const relative = doc.depth - parentDepth;
  if (relative < 1 || (query.depth !== 'all' && relative > query.depth)) return false;
  if (!query.includeHidden && doc.hidden) return false;
  if (query.contentTypes && !query.contentTypes.includes(doc.content_type)) return false;
  if (!query.filters.every((filter) => matchesIndexFilter((doc[indexField(filter.key)] as IndexValue | undefined) ?? null, filter))) return false;
  if (query.references && !query.references.every(({ sheet, field, target }) => refersTo(doc.data[sheet]?.[field], target))) return false;
  if (query.excludedSubtrees && query.excludedSubtrees.size > 0 && isExcluded(doc.path, query.parent, query.excludedSubtrees)) return false;
  return !((doc.hidden || doc.restricted) && query.isListable && !query.isListable(toResource(doc)));
}

/** A reference field holds a path, or a list of them. */
function refersTo(value: unknown, target: string): boolean {
  return value === target || (Array.isArray(value) && value.includes(target));
}

const slash = '/'.charCodeAt(0);

/**
 * Tree order: segment by segment, so that a resource comes right before what lies below it. Among
 * the children of one pool this is the order of their keys, in which a scan reads them.
 */
export function compareTreeOrder(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.charCodeAt(index);
    const right = b.charCodeAt(index);
    if (left === right) continue;
    if (left === slash) return -1;
    if (right === slash) return 1;
    return left - right;
  }
  return a.length - b.length;
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
  if (!sort) return (a, b) => compareTreeOrder(a.path, b.path);
  const field = indexField(sort.key);
  const direction = sort.reverse ? -1 : 1;
  return (a, b) => direction * compareValues(a[field] as IndexValue | undefined, b[field] as IndexValue | undefined) || compareTreeOrder(a.path, b.path);
}

/**
 * A Mango selector that only the (pool, sort key) index answers: pouchdb-find reads every row of a
 * range when any condition must be checked in memory, and only pushes `limit` down when none must.
 * Range filters on the sort key narrow the range; every other condition is checked by the caller.
 * The bounds are inclusive: with an exclusive one, pouchdb-find counts the excluded row against
 * `limit` and answers a short batch, which would read as the end of the range. The caller's check
 * leaves the row out.
 */
function indexOnlySelector(query: ChildQuery): Record<string, Record<string, unknown>> {
  const sortKey = (query.sort as { key: string }).key;
  const range: Record<string, unknown> = { $gte: null };
  const operators = { eq: '$eq', lt: '$lte', le: '$lte', gt: '$gte', ge: '$gte' } as const;
  for (const filter of query.filters) {
    if (filter.key === sortKey && filter.comparator in operators) range[operators[filter.comparator as keyof typeof operators]] = filter.value;
  }
  return { parent: { $eq: query.parent }, [indexField(sortKey)]: range };
}

/** A page of matches, and the number of all of them when it was counted. */
interface CountedPage {
  records: ResourceRecord[];
  total: number | undefined;
}

/** Documents as readers may see them (over CouchDB, a transaction's documents only once it committed). */
export type Visible = <D extends Doc>(docs: readonly (D | undefined)[]) => Promise<(D | ResourceDoc | undefined)[]>;

export async function queryChildren(db: Db, visible: Visible, query: ChildQuery): Promise<ResourceRecord[]> {
  return (await queryPage(db, visible, query, false)).records;
}

export function queryChildrenCounted(db: Db, visible: Visible, query: ChildQuery): Promise<CountedPage> {
  return queryPage(db, visible, query, true);
}

async function queryPage(db: Db, visible: Visible, query: ChildQuery, counting: boolean): Promise<CountedPage> {
  if (query.depth !== 1) return querySortedInMemory(db, visible, query);
  if (!query.sort) return queryChildrenInOrder(db, visible, query, counting);
  const page = await queryIndexedPage(db, visible, query, query.sort, counting);
  if (!counting || page.total !== undefined) return page;
  // The index served the page; the children's key range, read in larger batches, counts the rest.
  try {
    return { records: page.records, total: await countMatches(db, visible, query) };
  } catch (error) {
    return answerPastBudget(error, query, page.records);
  }
}

/** Past the budget, a complete page is still an answer, only without the number of all matches. */
function answerPastBudget(error: unknown, query: ChildQuery, page: ResourceRecord[]): CountedPage {
  if (error instanceof ScanLimitError && query.limit !== undefined && page.length >= query.limit) return { records: page, total: undefined };
  throw error;
}

/** The children of one pool in name order, the order a scan reads them in: a page stops the scan unless it is counted. */
async function queryChildrenInOrder(db: Db, visible: Visible, query: ChildQuery, counting: boolean): Promise<CountedPage> {
  const wanted = query.limit ?? Number.POSITIVE_INFINITY;
  const page: ResourceRecord[] = [];
  let matched = 0;
  try {
    await scanDescendants(db, visible, query, (doc) => {
      matched += 1;
      if (matched > query.offset && page.length < wanted) page.push(toResource(doc));
      return counting || page.length < wanted;
    });
  } catch (error) {
    return answerPastBudget(error, query, page);
  }
  return { records: page, total: counting ? matched : undefined };
}

/** Deeper or sorted without an index: every match is read and ordered before the page is cut. */
async function querySortedInMemory(db: Db, visible: Visible, query: ChildQuery): Promise<CountedPage> {
  const matches: QueriedDoc[] = [];
  await scanDescendants(db, visible, query, (doc) => {
    matches.push(doc);
    return true;
  });
  matches.sort(compareBySort(query));
  const page = matches.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit);
  return { records: page.map((doc) => toResource(doc)), total: matches.length };
}

/**
 * A sorted page of one pool, read from the (pool, sort key) index in batches until it is full, with
 * the other conditions checked on the way: the cost follows the page, not the pool. Counted, it counts
 * the matches in the batches it reads; `total` is there when they reached the end of the range.
 */
async function queryIndexedPage(db: Db, visible: Visible, query: ChildQuery, sort: { key: string; reverse: boolean }, counting: boolean): Promise<CountedPage> {
  const direction = sort.reverse ? 'desc' : 'asc';
  const wanted = query.limit === undefined ? Number.POSITIVE_INFINITY : query.limit;
  // Each call walks the index past the rows of the batches before it again: larger batches, fewer calls.
  const pageBatch = Math.min(1000, Math.max(50, 2 * (query.offset + Math.min(wanted, 1000))));
  const parentDepth = depthOf(query.parent);
  const page: ResourceRecord[] = [];
  let matched = 0;
  try {
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
        if (matched > query.offset && page.length < wanted) page.push(toResource(doc));
        if (page.length >= wanted && !counting) return { records: page, total: undefined };
      }
      if (result.docs.length < size) return { records: page, total: matched };
      if (page.length >= wanted) return { records: page, total: undefined };
    }
  } catch (error) {
    return answerPastBudget(error, query, page);
  }
}

export async function countMatches(db: Db, visible: Visible, query: ChildQuery): Promise<number> {
  let count = 0;
  await scanDescendants(db, visible, query, () => {
    count += 1;
    return true;
  });
  return count;
}

export async function aggregateMatches(db: Db, visible: Visible, query: ChildQuery, key: string): Promise<Record<string, number>> {
  const field = indexField(key);
  const counts: Record<string, number> = {};
  await scanDescendants(db, visible, query, (doc) => {
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
async function scanDescendants(db: Db, visible: Visible, query: ChildQuery, take: (doc: QueriedDoc) => boolean): Promise<void> {
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
