// defineResourceType(): a content type, its base kind, what it may contain and who may do what with it.
import type { Role } from './sheet.ts';

/** The base kinds of Adhocracy 3, each named by the interface that /meta_api lists as a super type. */
export const baseInterfaces = {
  resource: 'adhocracy_core.interfaces.IResource',
  simple: 'adhocracy_core.interfaces.ISimple',
  pool: 'adhocracy_core.interfaces.IPool',
  item: 'adhocracy_core.interfaces.IItem',
  itemVersion: 'adhocracy_core.interfaces.IItemVersion',
} as const;

export type BaseKind = 'simple' | 'pool' | 'item' | 'itemVersion';

/** The ACL of a type; what may be changed on a resource is up to each sheet's `edit` permission. */
export interface ResourcePermissions {
  /** Who may see the resource at all. */
  view: readonly Role[];
  /** Who may create a resource of this type in a pool that allows it. */
  create: readonly Role[];
  /** Who may remove it for good, with everything below it. */
  delete: readonly Role[];
}

export interface ResourceTypeDefinition {
  /** The wire id, e.g. `adhocracy_core.resources.principal.IUser`. */
  id: string;
  kind: BaseKind;
  /** Types that may be created inside this one (pools and items only). */
  elementTypes?: readonly string[];
  /** For items: the type of their versions. */
  itemType?: string;
  /** Generated child names are `<prefix>_0000000`; without a prefix, `0000000`. */
  namePrefix?: string;
  permissions: ResourcePermissions;
  /** The resource is its own creator, whoever sent the request that made it (a user registered by another). */
  isOwnCreator?: boolean;
  /** Once removed, its path is never given to another resource: roles are granted to principals by path. */
  keepsPathWhenRemoved?: boolean;
  /** Pools made with it, by name and type: an item's `comments` and `rates`. */
  services?: Readonly<Record<string, string>>;
  /** For item versions: a version may follow one that is not the newest, so that the item has several heads. */
  isForkable?: boolean;
  /** An account people log in with: registering it may await activation by mail (src/model/pending-changes.ts). */
  isAccount?: boolean;
}

type OptionalMembers = 'itemType' | 'namePrefix' | 'isOwnCreator' | 'keepsPathWhenRemoved' | 'services' | 'isForkable' | 'isAccount';

export type ResourceType = Readonly<Required<Omit<ResourceTypeDefinition, OptionalMembers>>> &
  Readonly<Pick<ResourceTypeDefinition, OptionalMembers>> & {
  readonly superTypes: readonly string[];
  readonly kind: BaseKind;
};

/** Declares a resource type; sheets name the types (or base interfaces) they belong to. */
export function defineResourceType(definition: ResourceTypeDefinition): ResourceType {
  const superTypes = [baseInterfaces.resource, baseInterfaces[definition.kind]];
  if (definition.kind === 'item') superTypes.push(baseInterfaces.pool);
  return Object.freeze({
    ...definition,
    elementTypes: definition.elementTypes ?? [],
    superTypes,
  });
}

export function isPoolKind(kind: BaseKind): boolean {
  return kind === 'pool' || kind === 'item';
}
