// The principals tree: users register themselves in users/, admins keep groups/.
import { defineResourceType } from '../resource-type.ts';

export const principalsServiceType = defineResourceType({
  id: 'adhocracy_core.resources.principal.IPrincipalsService',
  kind: 'pool',
  permissions: { view: ['everyone'], create: [], delete: [] },
});

export const usersServiceType = defineResourceType({
  id: 'adhocracy_core.resources.principal.IUsersService',
  kind: 'pool',
  elementTypes: ['adhocracy_core.resources.principal.IUser'],
  permissions: { view: ['everyone'], create: [], delete: [] },
});

export const groupsServiceType = defineResourceType({
  id: 'adhocracy_core.resources.principal.IGroupsService',
  kind: 'pool',
  elementTypes: ['adhocracy_core.resources.principal.IGroup'],
  permissions: { view: ['everyone'], create: [], delete: [] },
});

/**
 * Anyone may register, which is creating a user; the user then counts as `self` on it, and as its
 * creator, whoever registered it. The user may delete its own account (with its password), and admins
 * any: that erases the account, it does not remove the resource (src/model/account-deletion.ts).
 */
export const userType = defineResourceType({
  id: 'adhocracy_core.resources.principal.IUser',
  kind: 'pool',
  permissions: { view: ['everyone'], create: ['everyone'], delete: ['self', 'admin'] },
  isOwnCreator: true,
  keepsPathWhenRemoved: true,
  isAccount: true,
});

/** A group gives its roles to the users whose IPermissions name it, by its path: never reused. */
export const groupType = defineResourceType({
  id: 'adhocracy_core.resources.principal.IGroup',
  kind: 'pool',
  permissions: { view: ['everyone'], create: ['admin'], delete: ['admin'] },
  keepsPathWhenRemoved: true,
});
