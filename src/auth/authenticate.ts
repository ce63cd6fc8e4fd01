// Authentication: the X-User-Token header, if present, becomes the user it belongs to; absent means anonymous.
import { invalidToken } from '../errors.ts';
import type { Storage } from '../storage/storage.ts';
import { anonymous, permissionsSheet, type Principal } from './permissions.ts';
import type { Sessions } from './sessions.ts';

/** A present but empty, malformed, expired or revoked token is an error, never a silent anonymous. */
export async function authenticate(token: string | undefined, sessions: Sessions, storage: Storage): Promise<Principal> {
  if (token === undefined) return anonymous;
  const { userPath, sessionId } = await sessions.authenticate(token);
  const user = await storage.readResource(userPath);
  if (!user) throw invalidToken();
  const roles = user.data[permissionsSheet]?.roles;
  return { userPath, sessionId, globalRoles: new Set(Array.isArray(roles) ? roles.map(String) : []) };
}
