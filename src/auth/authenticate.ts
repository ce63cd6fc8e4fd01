// Authentication: the X-User-Token header, if present, becomes the user it belongs to; absent means anonymous.
import { invalidToken } from '../errors.ts';
import type { Storage } from '../storage/storage.ts';
import type { Passwords } from './passwords.ts';
import { anonymous, groupSheet, permissionsSheet, type Principal } from './permissions.ts';
import type { Authenticated, Sessions } from './sessions.ts';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/**
 * A present but empty, malformed, expired or revoked token is an error, never a silent anonymous; so
 * is the token of a user who is hidden or deleted, or whose password changed since it was issued.
 * Hidden, deleted and removed groups give nothing.
 */
export async function authenticate(token: string | undefined, deps: { sessions: Sessions; storage: Storage; passwords: Passwords }): Promise<Principal> {
  if (token === undefined) return anonymous;
  return principalOf(await deps.sessions.authenticate(token), deps);
}

/** The principal of a live session, with its user's roles and groups as they are now; throws `Invalid user token` as authenticate does. */
export async function principalOf(session: Authenticated, deps: { storage: Storage; passwords: Passwords }): Promise<Principal> {
  const { userPath, sessionId, credential } = session;
  const user = await deps.storage.readResource(userPath);
  if (!user || user.hidden || deps.passwords.storedOf(user)?.credential !== credential) throw invalidToken();
  const named = strings(user.data[permissionsSheet]?.groups);
  const globalRoles = new Set(strings(user.data[permissionsSheet]?.roles));
  const groups: string[] = [];
  if (named.length > 0) {
    for (const group of await deps.storage.readResources(named)) {
      if (!group || group.hidden) continue;
      groups.push(group.path);
      for (const role of strings(group.data[groupSheet]?.roles)) globalRoles.add(role);
    }
  }
  return { userPath, sessionId, globalRoles, groups };
}
