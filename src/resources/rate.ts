// Rates: items posted to a rates pool by participants, one per user and rated object, whose versions hold the rate.
import { defineResourceType } from '../resource-type.ts';
import { rolesFrom } from '../sheet.ts';

export const rateVersionType = defineResourceType({
  id: 'adhocracy_core.resources.rate.IRateVersion',
  kind: 'itemVersion',
  namePrefix: 'VERSION',
  permissions: { view: ['everyone'], create: ['creator'], delete: [] },
});

export const rateType = defineResourceType({
  id: 'adhocracy_core.resources.rate.IRate',
  kind: 'item',
  elementTypes: [rateVersionType.id],
  itemType: rateVersionType.id,
  namePrefix: 'rate',
  permissions: { view: ['everyone'], create: rolesFrom('participant'), delete: ['admin'] },
});

/** Made with a rateable item; rates about its versions are posted here. */
export const ratesServiceType = defineResourceType({
  id: 'adhocracy_core.resources.rate.IRatesService',
  kind: 'pool',
  elementTypes: [rateType.id],
  permissions: { view: ['everyone'], create: [], delete: [] },
});
