// Comments: items posted to a comments pool by participants, whose versions say something about a commentable version.
import { defineResourceType } from '../resource-type.ts';
import { rolesFrom } from '../sheet.ts';

export const commentVersionType = defineResourceType({
  id: 'adhocracy_core.resources.comment.ICommentVersion',
  kind: 'itemVersion',
  namePrefix: 'VERSION',
  permissions: { view: ['everyone'], create: ['creator', ...rolesFrom('moderator')], delete: [] },
});

export const commentType = defineResourceType({
  id: 'adhocracy_core.resources.comment.IComment',
  kind: 'item',
  elementTypes: [commentVersionType.id],
  itemType: commentVersionType.id,
  namePrefix: 'comment',
  permissions: { view: ['everyone'], create: rolesFrom('participant'), delete: ['admin'] },
});

/** Made with a commentable item; comments about its versions, and about those comments, are posted here. */
export const commentsServiceType = defineResourceType({
  id: 'adhocracy_core.resources.comment.ICommentsService',
  kind: 'pool',
  elementTypes: [commentType.id],
  permissions: { view: ['everyone'], create: [], delete: [] },
});
