// Authentication: the X-User-Token header, if present, becomes the user it belongs to; absent means anonymous.
import { invalidToken } from '../errors.ts';
import type { Storage } from '../storage/storage.ts';
import { anonymous, groupSheet, permissionsSheet, type Principal } from './permissions.ts';
import type { Sessions } from './sessions.ts';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** A present but empty, malformed, expired or revoked token is an error, never a silent anonymous. */
export async function authenticate(token: string | undefined, sessions: Sessions, storage: Storage): Promise<Principal> {
  if (token === undefined) return anonymous;
  const { userPath, sessionId } = await sessions.authenticate(token);
  const user = await storage.readResource(userPath);
  if (!user) throw invalidToken();
  const groups = strings(user.data[permissionsSheet]?.groups);
  const globalRoles = new Set(strings(user.data[permissionsSheet]?.roles));
  if (groups.length > 0) {
    for (const group of await storage.readResources(groups)) {
      for (const role of strings(group?.data[groupSheet]?.roles)) globalRoles.add(role);
    }
  }
  return { userPath, sessionId, globalRoles, groups };
}
