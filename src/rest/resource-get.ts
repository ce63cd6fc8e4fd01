// GET and HEAD on a resource: its readable sheets, and for pools the elements the query asks for.
import { can, rolesOn } from '../auth/permissions.ts';
import { forbidden } from '../errors.ts';
import { isPoolKind } from '../resource-type.ts';
import { parsePoolQuery } from './pool-query.ts';
import { serializeResource, typeOf, type PoolListing } from './serialize.ts';
import type { View } from './view.ts';

export const getResource: View = async (request, { registry, storage, codec }) => {
  const { context, type, principal } = request;
  const roles = rolesOn(principal, context);
  if (!can(roles, { kind: 'view', type })) throw forbidden('path', 'You may not view this resource');
  const query = parsePoolQuery(request.query, isPoolKind(type.kind));
  const canViewType = (typeId: string) => {
    const childType = registry.resourceTypes.get(typeId);
    return childType !== undefined && can(rolesOn(principal), { kind: 'view', type: childType });
  };

  let listing: PoolListing | undefined;
  if (isPoolKind(type.kind)) {
    const counts = await storage.childCounts(context.path);
    const count = Object.entries(counts)
      .filter(([typeId, number]) => number > 0 && canViewType(typeId))
      .reduce((sum, [, number]) => sum + number, 0);
    if (query.elements === 'omit') {
      listing = { elements: [], count };
    } else {
      const children = await storage.listChildren(context.path, { limit: query.limit, offset: query.offset });
      const visible = children.filter((child) => can(rolesOn(principal, child), { kind: 'view', type: typeOf(registry.resourceTypes, child) }));
      const elements = visible.map((child) => {
        if (query.elements === 'paths') return codec.toUrl(child.path);
        const childType = typeOf(registry.resourceTypes, child);
        return serializeResource(child, registry.sheetsOf(childType.id), rolesOn(principal, child), codec);
      });
      listing = { elements, count };
    }
  }
  return { body: serializeResource(context, registry.sheetsOf(type.id), roles, codec, listing) };
};
