// Every built-in resource type, in the order /meta_api lists them.
import { commentsServiceType, commentType, commentVersionType } from './comment.ts';
import { documentType, documentVersionType, paragraphType, paragraphVersionType } from './document.ts';
import { basicPoolType, rootPoolType } from './pool.ts';
import { groupsServiceType, groupType, principalsServiceType, usersServiceType, userType } from './principal.ts';
import { ratesServiceType, rateType, rateVersionType } from './rate.ts';

export const builtinResourceTypes = [
  rootPoolType,
  basicPoolType,
  principalsServiceType,
  usersServiceType,
  groupsServiceType,
  userType,
  groupType,
  documentType,
  documentVersionType,
  paragraphType,
  paragraphVersionType,
  commentsServiceType,
  commentType,
  commentVersionType,
  ratesServiceType,
  rateType,
  rateVersionType,
];
