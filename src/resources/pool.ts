// The root of the tree and the general-purpose folder.
import { defineResourceType } from '../resource-type.ts';

export const rootPoolType = defineResourceType({
  id: 'adhocracy_core.resources.root.IRootPool',
  kind: 'pool',
  elementTypes: ['adhocracy_core.resources.pool.IBasicPool'],
  permissions: { view: ['everyone'], create: ['admin'], edit: ['admin'] },
});

export const basicPoolType = defineResourceType({
  id: 'adhocracy_core.resources.pool.IBasicPool',
  kind: 'pool',
  elementTypes: ['adhocracy_core.resources.pool.IBasicPool'],
  permissions: { view: ['everyone'], create: ['admin'], edit: ['admin', 'creator'] },
});
