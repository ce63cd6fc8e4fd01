// The root of the tree and the general-purpose folder.
import { defineResourceType } from '../resource-type.ts';
import { rolesFrom } from '../sheet.ts';

export const rootPoolType = defineResourceType({
  id: 'adhocracy_core.resources.root.IRootPool',
  kind: 'pool',
  elementTypes: ['adhocracy_core.resources.pool.IBasicPool'],
  permissions: { view: ['everyone'], create: ['admin'], delete: [] },
});

/** Editors organize the tree with pools; whoever created one may change it. */
export const basicPoolType = defineResourceType({
  id: 'adhocracy_core.resources.pool.IBasicPool',
  kind: 'pool',
  elementTypes: ['adhocracy_core.resources.pool.IBasicPool', 'adhocracy_core.resources.document.IDocument'],
  permissions: { view: ['everyone'], create: rolesFrom('editor'), delete: ['admin'] },
});
