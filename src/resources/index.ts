// Every built-in resource type, in the order /meta_api lists them.
import { basicPoolType, rootPoolType } from './pool.ts';
import { groupsServiceType, groupType, principalsServiceType, usersServiceType, userType } from './principal.ts';

export const builtinResourceTypes = [
  rootPoolType,
  basicPoolType,
  principalsServiceType,
  usersServiceType,
  groupsServiceType,
  userType,
  groupType,
];
