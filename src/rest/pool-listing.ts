// What a pool GET lists, counts and aggregates: only what the caller may see through every pool on the way down.
import { enter, type Access } from '../auth/access.ts';
import { canSeeHidden } from '../auth/permissions.ts';
import type { Registry } from '../registry.ts';
import type { ChildCounts, ChildQuery, ResourceRecord, Storage } from '../storage/storage.ts';
import { parentPath, type PathCodec } from '../tree/path.ts';
import type { PoolQuery } from './pool-query.ts';
import { serializeResource, typeOf, type PoolListing, type ResourceBody } from './serialize.ts';

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
}): Promise<PoolListing> {
  const { access, pool, query, storage, registry, codec } = options;
  const below = createAccessBelow(storage, registry, access);
  const counts = await storage.childCounts(pool.path);
  const childQuery: ChildQuery = {
    parent: pool.path,
    depth: query.depth,
    contentTypes: query.contentTypes,
    includeHidden: canSeeHidden(access.roles),
    filters: query.filters,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
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

  let elements: PoolListing['elements'] = [];
  if (query.elements !== 'omit') {
    const found = await storage.queryChildren(childQuery);
    if (query.elements === 'paths') {
      elements = found.map((child) => codec.toUrl(child.path));
    } else {
      const bodies: ResourceBody[] = [];
      for (const child of found) {
        const childAccess = await below.accessTo(child.path, child);
        if (!childAccess) continue;
        const childType = typeOf(registry.resourceTypes, child);
        bodies.push(serializeResource(child, registry.sheetsOf(childType.id), childAccess.roles, codec));
      }
      elements = bodies;
    }
  }
  return {
    elements,
    count: await countFor(childQuery, query, counts, storage),
    ...(query.aggregateBy ? { aggregateby: { [query.aggregateBy]: await storage.aggregateMatches(childQuery, query.aggregateBy) } } : {}),
  };
}

/**
 * The children's count comes from counts the store keeps, so it is always there. Counting the
 * matches of a filtered or deeper query reads them all, so it is done only when asked (`count=true`),
 * or where hidden or restricted children must be checked one by one.
 */
async function countFor(
  childQuery: ChildQuery,
  query: PoolQuery,
  counts: Record<string, ChildCounts>,
  storage: Storage,
): Promise<number | undefined> {
  if (childQuery.depth === 1 && childQuery.filters.length === 0) {
    if (childQuery.isListable) return storage.countMatches(childQuery);
    return Object.entries(counts)
      .filter(([type]) => !childQuery.contentTypes || childQuery.contentTypes.includes(type))
      .reduce((sum, [, { visible, hidden }]) => sum + visible + (childQuery.includeHidden ? hidden : 0), 0);
  }
  return query.count ? storage.countMatches(childQuery) : undefined;
}
