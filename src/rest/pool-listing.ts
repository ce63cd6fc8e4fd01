// What a pool GET lists, counts and aggregates: only what the caller may see through every pool on the way down.
import { setImmediate } from 'node:timers/promises';
import { enter, type Access } from '../auth/access.ts';
import { can, canSeeHidden } from '../auth/permissions.ts';
import type { Config } from '../config.ts';
import { badRequest, type ApiError } from '../errors.ts';
import type { Registry } from '../registry.ts';
import { sumRates } from '../model/rates.ts';
import { compareValues, matchesIndexFilter } from '../storage/index-values.ts';
import { ScanBudget, ScanLimitError, type ChildCounts, type ChildQuery, type ResourceRecord, type Storage } from '../storage/storage.ts';
import { parentPath, type PathCodec } from '../tree/path.ts';
import { computeFields } from './computed.ts';
import type { ResourceService } from '../model/resources.ts';
import { ratesIndex, usesRates, type PoolLookup, type PoolQuery } from './pool-query.ts';
import { serializeResource, typeOf, type PoolListing, type ResourceBody } from './serialize.ts';

/** Elements serialized between two turns of the event loop. */
const serializeBatch = 200;

/**
 * The caller's access to resources below a pool it sees, read and worked out once per request: each
 * step down is the same rule a direct GET applies (auth/access.ts), with every pool on the way.
 */
function createAccessBelow(storage: Storage, registry: Registry, top: Access) {
  const known = new Map<string, Access | null>([[top.lineage.at(-1)?.path as string, top]]);

  /** The access to a path below the pool, null where the caller's view ends on the way (or it is gone). */
  async function accessTo(path: string, record?: ResourceRecord): Promise<Access | null> {
    const cached = known.get(path);
    if (cached !== undefined) return cached;
    const parent = parentPath(path);
    const above = parent === undefined ? null : await accessTo(parent);
    let access: Access | null = null;
    if (above) {
      const here = record ?? (await storage.readResource(path));
      access = here ? (enter(top.principal, above, here, typeOf(registry.resourceTypes, here)).access ?? null) : null;
    }
    known.set(path, access);
    return access;
  }
  return { accessTo, known: (path: string) => known.get(path) };
}

export async function listPool(options: {
  access: Access;
  pool: ResourceRecord;
  query: PoolQuery;
  storage: Storage;
  registry: Registry;
  codec: PathCodec;
  scanLimits: Config['queryScanLimit'];
  /** The resource holding a unique list item now, with the item: what lookups ask. */
  findItemOwner: ResourceService['findByItem'];
}): Promise<PoolListing> {
  const { access, pool, query, storage, registry, codec } = options;
  const below = createAccessBelow(storage, registry, access);
  const counts = await storage.childCounts(pool.path);
  const scanLimit = access.principal.userPath === undefined ? options.scanLimits.anonymous : options.scanLimits.user;
  const childQuery: ChildQuery & { budget: ScanBudget } = {
    parent: pool.path,
    depth: query.depth,
    contentTypes: query.contentTypes,
    includeHidden: canSeeHidden(access.roles),
    filters: query.filters,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
    references: query.references,
    budget: new ScanBudget(scanLimit),
  };
  const hasRestrictedChildren = Object.values(counts).some((count) => count.restricted > 0);
  if (query.depth === 1) {
    // Only restricted children are checked one by one; the others are seen as the pool is (hidden ones
    // by those who see what is hidden).
    if (hasRestrictedChildren) {
      childQuery.isListable = (child) => enter(access.principal, access, child, typeOf(registry.resourceTypes, child)).access !== undefined;
    }
  } else {
    // Below the children, a resource is seen only through every pool above it: the guarded ones (hidden
    // or restricted) are the only places where the view can end, and they are few and listed apart.
    const excluded = new Set<string>();
    for (const guarded of await storage.guardedWithin(pool.path)) {
      if (!(await below.accessTo(guarded))) excluded.add(guarded);
    }
    childQuery.excludedSubtrees = excluded;
    childQuery.isListable = (record) => below.known(record.path) !== undefined && below.known(record.path) !== null;
  }

  if (usesRates(query)) return listByRates({ query, childQuery, storage, registry, serialize: (found) => serializeElements(found) });
  const { found, count } = query.lookup ? await lookUp(query.lookup, access, pool, registry, options.findItemOwner) : await listAndCount(query, childQuery, counts, storage);

  async function serializeElements(found: readonly ResourceRecord[]): Promise<PoolListing['elements']> {
    if (query.elements === 'paths') return found.map((child) => codec.toUrl(child.path));
    if (query.elements !== 'content') return [];
    const bodies: ResourceBody[] = [];
    for (const [index, child] of found.entries()) {
      // Thousands of elements take tens of milliseconds to serialize: let other requests in between.
      if (index > 0 && index % serializeBatch === 0) await setImmediate();
      const childAccess = await below.accessTo(child.path, child);
      if (!childAccess) continue;
      const childType = typeOf(registry.resourceTypes, child);
      const sheets = registry.sheetsOf(childType.id).filter((sheet) => can(childAccess.roles, { kind: 'read-sheet', sheet }));
      const computed = await computeFields({ record: child, sheets, lineage: childAccess.lineage, storage, registry, includeHidden: canSeeHidden(childAccess.roles) });
      bodies.push(serializeResource(child, sheets, childAccess.roles, codec, undefined, computed));
    }
    return bodies;
  }

  const elements = await serializeElements(found);
  const aggregateBy = query.aggregateBy;
  return {
    elements,
    count,
    ...(aggregateBy
      ? { aggregateby: { [aggregateBy.as]: await answerOverBudget(query, 'aggregate', () => storage.aggregateMatches(childQuery, aggregateBy.key)) } }
      : {}),
  };
}

/**
 * A listing filtered, sorted or aggregated on Adhocracy's `rates`: every match is read (within the
 * budget, the cost docs/queries.md states), its rates summed, then filtered, sorted and paged here.
 * A sort on another key is still the store's; `rates` then only filters.
 */
async function listByRates(options: {
  query: PoolQuery;
  childQuery: ChildQuery & { budget: ScanBudget };
  storage: Storage;
  registry: Registry;
  serialize: (found: readonly ResourceRecord[]) => Promise<PoolListing['elements']>;
}): Promise<PoolListing> {
  const { query, childQuery, storage, registry } = options;
  if (query.aggregateBy && query.aggregateBy.key !== ratesIndex && query.ratesFilters.length > 0) {
    throw badRequest('querystring', 'aggregateby', `aggregateby=${query.aggregateBy.as} cannot be combined with a rates filter`, 'invalid_parameter');
  }
  const sortedByRates = query.sort?.key === ratesIndex;
  const all = await answerOverBudget(query, 'rates', () => storage.queryChildren({ ...childQuery, ...(sortedByRates ? { sort: undefined } : {}), limit: undefined, offset: 0 }));
  const rates = await answerOverBudget(query, 'rates', () => sumRates(all, { storage, registry, budget: childQuery.budget }));
  const rateOf = (record: ResourceRecord) => rates.get(record.path) ?? null;
  const matches = all.filter((record) => query.ratesFilters.every((filter) => matchesIndexFilter(rateOf(record), filter)));
  if (sortedByRates) {
    const direction = query.sort?.reverse ? -1 : 1;
    matches.sort((a, b) => direction * (compareValues(rateOf(a), rateOf(b)) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  }
  const page = matches.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit);
  const aggregateBy = query.aggregateBy;
  const aggregated: Record<string, number> = {};
  if (aggregateBy) for (const record of matches) aggregated[String(rateOf(record))] = (aggregated[String(rateOf(record))] ?? 0) + 1;
  return {
    elements: await options.serialize(page),
    count: query.count === false ? undefined : matches.length,
    ...(aggregateBy ? { aggregateby: { [aggregateBy.as]: aggregated } } : {}),
  };
}

/**
 * The one child holding the item looked for, if the caller may see it and that item there: a private
 * item (an alias that is not public) finds its holder only for those who may read it, so a lookup
 * tells nobody more than reading the resource would.
 */
async function lookUp(
  lookup: PoolLookup,
  access: Access,
  pool: ResourceRecord,
  registry: Registry,
  findItemOwner: ResourceService['findByItem'],
): Promise<{ found: ResourceRecord[]; count: number }> {
  const held = await findItemOwner(lookup.field.unique?.scope ?? '', lookup.item);
  if (!held || parentPath(held.record.path) !== pool.path) return { found: [], count: 0 };
  const seen = enter(access.principal, access, held.record, typeOf(registry.resourceTypes, held.record)).access;
  const { field, sheet } = lookup;
  const isReadable =
    seen !== undefined &&
    can(seen.roles, { kind: 'read-sheet', sheet }) &&
    (field.privateItems === undefined || held.item[field.privateItems.flag] === true || can(seen.roles, { kind: 'read-private-items', field }));
  return isReadable ? { found: [held.record], count: 1 } : { found: [], count: 0 };
}

/**
 * The matches to list, and their count. The count comes from the counts the store keeps where it can;
 * elsewhere a listing counts its matches as it reads them (unless declined with `count=false`), and
 * leaves the count out where that would take it past its budget (unless asked with `count=true`).
 */
async function listAndCount(
  query: PoolQuery,
  childQuery: ChildQuery & { budget: ScanBudget },
  counts: Record<string, ChildCounts>,
  storage: Storage,
): Promise<{ found: ResourceRecord[]; count: number | undefined }> {
  const list = () => (query.elements === 'omit' ? Promise.resolve([]) : answerOverBudget(query, 'list', () => storage.queryChildren(childQuery)));
  if (query.depth === 1 && query.filters.length === 0 && query.references.length === 0) {
    return { found: await list(), count: await countKept(childQuery, counts, storage) };
  }
  // Counting among the children reads every one of them: where they are more than the budget, it is
  // known to fail before a single one is read.
  const children = Object.values(counts).reduce((sum, { visible, hidden }) => sum + visible + hidden, 0);
  const canCount = query.depth !== 1 || children <= childQuery.budget.remaining;
  if (query.count === true && !canCount) throw tooExpensive(query, 'count', childQuery.budget.limit);
  if (query.count === false || (query.count === undefined && (!canCount || query.elements === 'omit'))) return { found: await list(), count: undefined };
  if (query.elements === 'omit') return { found: [], count: await answerOverBudget(query, 'count', () => storage.countMatches(childQuery)) };
  const { records, total } = await answerOverBudget(query, 'list', () => storage.queryChildrenCounted(childQuery));
  if (total === undefined && query.count === true) throw tooExpensive(query, 'count', childQuery.budget.limit);
  return { found: records, count: total };
}

/**
 * The children's count from the counts the store keeps: where some children are hidden or restricted,
 * those the caller may not list are taken away, one check each.
 */
async function countKept(childQuery: ChildQuery, counts: Record<string, ChildCounts>, storage: Storage): Promise<number> {
  const isCounted = (type: string) => !childQuery.contentTypes || childQuery.contentTypes.includes(type);
  const kept = Object.entries(counts)
    .filter(([type]) => isCounted(type))
    .reduce((sum, [, { visible, hidden }]) => sum + visible + (childQuery.includeHidden ? hidden : 0), 0);
  const isListable = childQuery.isListable;
  if (!isListable) return kept;
  const guarded = (await storage.guardedWithin(childQuery.parent)).filter((path) => parentPath(path) === childQuery.parent);
  const unlisted = (await storage.readResources(guarded)).filter(
    (child) =>
      child !== undefined &&
      (child.hidden || child.restricted) &&
      (childQuery.includeHidden || !child.hidden) &&
      isCounted(child.contentType) &&
      !isListable(child),
  );
  return kept - unlisted.length;
}

/** Which of a listing's queries ran out of budget. */
type Step = 'list' | 'count' | 'aggregate' | 'rates';

/** Runs a query; past its budget, a 400 naming the parameter that made it read so much. */
async function answerOverBudget<T>(query: PoolQuery, step: Step, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ScanLimitError)) throw error;
    throw tooExpensive(query, step, error.limit);
  }
}

function tooExpensive(query: PoolQuery, step: Step, limit: number): ApiError {
  const parameter = blameFor(query, step);
  const what: Record<string, string> = {
    depth: `At depth ${query.depth}, this query`,
    aggregateby: 'Aggregating the matches',
    rates: 'Working out rates',
    count: 'Counting the matches',
    offset: `Skipping ${query.offset} matches`,
    limit: query.limit === undefined ? 'Without a limit, this query' : `With limit ${query.limit}, this query`,
  };
  const description = `${what[parameter] ?? `With ${parameter}, this query`} reads more than ${limit} stored resources, the most one request may read`;
  return badRequest('querystring', parameter, description, 'too_expensive');
}

/**
 * The parameter that makes a query read beyond what it answers: the depth, the count, aggregation or
 * rates asked for, then what skips or leaves out matches, then a missing limit.
 */
function blameFor(query: PoolQuery, step: Step): string {
  if (query.depth !== 1) return 'depth';
  if (step === 'aggregate') return 'aggregateby';
  if (step === 'count') return 'count';
  // Rates are worked out for every match, whatever the page.
  if (step === 'rates') return 'rates';
  if (query.offset > 0) return 'offset';
  return query.narrowedBy[0] ?? 'limit';
}
