// GET and HEAD on a resource: its readable sheets, and for pools the elements the query asks for.
import { can, canSeeHidden, rolesOn } from '../auth/permissions.ts';
import { forbidden } from '../errors.ts';
import type { Registry } from '../registry.ts';
import { isPoolKind } from '../resource-type.ts';
import type { Role } from '../sheet.ts';
import type { ChildCounts, ChildQuery, ResourceRecord, Storage } from '../storage/storage.ts';
import { parsePoolQuery, type PoolQuery } from './pool-query.ts';
import { serializeResource, typeOf, type PoolListing } from './serialize.ts';
import type { View } from './view.ts';

export const getResource: View = async (request, { registry, storage, codec }) => {
  const { context, type, principal, roles, lineage } = request;
  if (!can(roles, { kind: 'view', type, lineage })) throw forbidden('path', 'You may not view this resource');
  const isPool = isPoolKind(type.kind);
  const query = parsePoolQuery(request.query, { isPool, registry, codec });

  let listing: PoolListing | undefined;
  if (isPool) {
    const counts = await storage.childCounts(context.path);
    const childQuery = toChildQuery(context.path, query, roles, lineage, registry);
    // Children with a view permission of their own are checked one by one; pools without any are not.
    const restricted = childQuery.depth !== 1 || Object.values(counts).some((count) => count.restricted > 0);
    if (restricted) {
      childQuery.isListable = (child) =>
        can(rolesOn(principal, [...lineage, child]), { kind: 'view', type: typeOf(registry.resourceTypes, child), lineage: [...lineage, child] });
    }
    const elements =
      query.elements === 'omit'
        ? []
        : (await storage.queryChildren(childQuery)).map((child) => {
            if (query.elements === 'paths') return codec.toUrl(child.path);
            const childType = typeOf(registry.resourceTypes, child);
            return serializeResource(child, registry.sheetsOf(childType.id), rolesOn(principal, [...lineage, child]), codec);
          });
    listing = {
      elements,
      count: await countFor(childQuery, query, counts, storage),
      ...(query.aggregateBy ? { aggregateby: { [query.aggregateBy]: await storage.aggregateMatches(childQuery, query.aggregateBy) } } : {}),
    };
  }
  return { body: serializeResource(context, registry.sheetsOf(type.id), roles, codec, listing) };
};

/** What the caller may list: only types it may view here, and hidden elements only for those who see them. */
function toChildQuery(
  parent: string,
  query: PoolQuery,
  roles: ReadonlySet<Role>,
  lineage: readonly ResourceRecord[],
  registry: Registry,
): ChildQuery {
  const viewable = [...registry.resourceTypes.values()].filter((type) => can(roles, { kind: 'view', type, lineage })).map((type) => type.id);
  const requested = query.contentTypes ?? [...registry.resourceTypes.keys()];
  const contentTypes = requested.filter((type) => viewable.includes(type));
  return {
    parent,
    depth: query.depth,
    contentTypes: contentTypes.length === registry.resourceTypes.size ? undefined : contentTypes,
    includeHidden: canSeeHidden(roles),
    filters: query.filters,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
}

/**
 * The children's count comes from counts the store keeps, so it is always there. Counting the
 * matches of a filtered or deeper query reads them all, so it is done only when asked (`count=true`),
 * or where restricted children must be checked one by one.
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
