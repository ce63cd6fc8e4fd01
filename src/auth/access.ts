// The one visibility rule: walking a lineage down from the root, how far the caller may see and which roles it holds on the way.
import type { ResourceType } from '../resource-type.ts';
import type { Role } from '../sheet.ts';
import type { ResourceRecord } from '../storage/storage.ts';
import { can, canSeeHidden, localRolesSheet, metadataSheet, type Principal } from './permissions.ts';

/** Where the caller stands on a resource it may see. */
export interface Access {
  readonly principal: Principal;
  /** The root first, the resource reached last. */
  readonly lineage: readonly ResourceRecord[];
  /** The caller's roles on the resource reached. */
  readonly roles: ReadonlySet<Role>;
  /** Roles that hold here and below: all of them but `self`. */
  readonly inherited: ReadonlySet<Role>;
}

/** Where and why the caller's view ends: the first resource on the way it may not see. */
export interface Blocked {
  readonly at: ResourceRecord;
  readonly reason: 'forbidden' | 'hidden' | 'deleted';
}

export type Reach = { access: Access; blocked?: undefined } | { blocked: Blocked; access?: undefined };

interface LocalRole {
  principal: string;
  roles: Role[];
}

function rolesBefore(principal: Principal): Set<Role> {
  const roles = new Set<Role>(['everyone']);
  if (principal.service !== undefined) roles.add('service');
  if (principal.userPath === undefined) return roles;
  roles.add('authenticated');
  for (const role of principal.globalRoles) roles.add(role as Role);
  return roles;
}

/**
 * Steps from a resource the caller may see (`above`; undefined for the root) onto one of its children.
 * A resource may be seen only if every resource above it may: a view restriction or a hiding holds for
 * everything below, whatever a lower ACL says. Roles only ever add up on the way down.
 */
export function enter(principal: Principal, above: Access | undefined, record: ResourceRecord, type: ResourceType): Reach {
  const inherited = new Set(above?.inherited ?? rolesBefore(principal));
  const { userPath } = principal;
  if (userPath !== undefined) {
    // `creator` is held below what one created, until a resource somebody else created: the creator of a
    // document is not the creator of the comments posted in it. A user is its own creator, but holds
    // `self` there, not `creator`: marking oneself deleted is not a PUT.
    const creator = record.data[metadataSheet]?.creator;
    if (creator === userPath && record.path !== userPath) inherited.add('creator');
    else if (typeof creator === 'string') inherited.delete('creator');
    const local = record.data[localRolesSheet]?.local_roles;
    if (Array.isArray(local)) {
      const holders = new Set([userPath, ...principal.groups]);
      for (const entry of local as LocalRole[]) {
        if (holders.has(entry.principal)) for (const role of entry.roles) inherited.add(role);
      }
    }
  }
  const roles = record.path === userPath ? new Set<Role>([...inherited, 'self']) : inherited;
  const lineage = [...(above?.lineage ?? []), record];
  if (!can(roles, { kind: 'view', type, lineage })) return { blocked: { at: record, reason: 'forbidden' } };
  if (record.hidden && !canSeeHidden(roles)) {
    return { blocked: { at: record, reason: record.data[metadataSheet]?.deleted === true ? 'deleted' : 'hidden' } };
  }
  return { access: { principal, lineage, roles, inherited } };
}

/** Walks a whole lineage, root first. */
export function walk(principal: Principal, lineage: readonly ResourceRecord[], typeOf: (record: ResourceRecord) => ResourceType): Reach {
  let reach: Reach | undefined;
  for (const record of lineage) {
    reach = enter(principal, reach?.access, record, typeOf(record));
    if (reach.blocked) return reach;
  }
  if (!reach) throw new Error('a lineage holds at least the root');
  return reach;
}
