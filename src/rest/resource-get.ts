// GET and HEAD on a resource: its readable sheets, with what is computed when read, and for pools the elements the query asks for.
import { can, canSeeHidden } from '../auth/permissions.ts';
import { isPoolKind } from '../resource-type.ts';
import { computeFields } from './computed.ts';
import { parsePoolQuery } from './pool-query.ts';
import { listPool } from './pool-listing.ts';
import { serializeResource, type PoolListing } from './serialize.ts';
import type { View } from './view.ts';

export const getResource: View = async (request, { registry, storage, codec, config, resources }) => {
  const { context, type, access } = request;
  const isPool = isPoolKind(type.kind);
  const query = parsePoolQuery(request.query, { isPool, registry, codec });
  const listing: PoolListing | undefined = isPool
    ? await listPool({ access, pool: context, query, storage, registry, codec, scanLimits: config.queryScanLimit, findItemOwner: resources.findByItem })
    : undefined;
  const sheets = registry.sheetsOf(type.id).filter((sheet) => can(access.roles, { kind: 'read-sheet', sheet }));
  const computed = await computeFields({ record: context, sheets, lineage: access.lineage, storage, registry, includeHidden: canSeeHidden(access.roles) });
  return { body: serializeResource(context, sheets, access.roles, codec, listing, computed) };
};
