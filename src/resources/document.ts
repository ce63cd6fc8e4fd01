// Documents and their paragraphs: items whose versions a creator posts, with pools for comments and rates about them.
import { defineResourceType } from '../resource-type.ts';
import { rolesFrom } from '../sheet.ts';
import { commentsServiceType } from './comment.ts';
import { ratesServiceType } from './rate.ts';

/** Versions of an item are posted by whoever created it (and editors): its creator role holds below it. */
const byItemCreators = ['creator', ...rolesFrom('editor')] as const;

/** Versions are never removed, only hidden: the newest one (LAST) must always exist. */
export const paragraphVersionType = defineResourceType({
  id: 'adhocracy_core.resources.paragraph.IParagraphVersion',
  kind: 'itemVersion',
  namePrefix: 'VERSION',
  permissions: { view: ['everyone'], create: byItemCreators, delete: [] },
});

export const paragraphType = defineResourceType({
  id: 'adhocracy_core.resources.paragraph.IParagraph',
  kind: 'item',
  elementTypes: [paragraphVersionType.id],
  itemType: paragraphVersionType.id,
  namePrefix: 'PARAGRAPH',
  services: { comments: commentsServiceType.id },
  permissions: { view: ['everyone'], create: byItemCreators, delete: ['admin'] },
});

export const documentVersionType = defineResourceType({
  id: 'adhocracy_core.resources.document.IDocumentVersion',
  kind: 'itemVersion',
  namePrefix: 'VERSION',
  permissions: { view: ['everyone'], create: byItemCreators, delete: [] },
});

/** Contributors start documents; their paragraphs and versions are the creator's. */
export const documentType = defineResourceType({
  id: 'adhocracy_core.resources.document.IDocument',
  kind: 'item',
  elementTypes: [documentVersionType.id, paragraphType.id],
  itemType: documentVersionType.id,
  namePrefix: 'document',
  services: { comments: commentsServiceType.id, rates: ratesServiceType.id },
  permissions: { view: ['everyone'], create: rolesFrom('contributor'), delete: ['admin'] },
});
