// GET and HEAD on a resource: its readable sheets, and for pools the elements the query asks for.
import { isPoolKind } from '../resource-type.ts';
import { parsePoolQuery } from './pool-query.ts';
import { listPool } from './pool-listing.ts';
import { serializeResource, type PoolListing } from './serialize.ts';
import type { View } from './view.ts';

export const getResource: View = async (request, { registry, storage, codec, config }) => {
  const { context, type, access } = request;
  const isPool = isPoolKind(type.kind);
  const query = parsePoolQuery(request.query, { isPool, registry, codec });
  const listing: PoolListing | undefined = isPool
    ? await listPool({ access, pool: context, query, storage, registry, codec, scanLimits: config.queryScanLimit })
    : undefined;
  return { body: serializeResource(context, registry.sheetsOf(type.id), access.roles, codec, listing) };
};
