// Authentication: X-User-Token becomes the user it belongs to, X-Service-Key the service; neither means anonymous.
import { badRequest, invalidToken } from '../errors.ts';
import { serviceKeyHeader, userTokenHeader } from '../headers.ts';
import type { Storage } from '../storage/storage.ts';
import type { Passwords } from './passwords.ts';
import { anonymous, groupSheet, permissionsSheet, type Principal } from './permissions.ts';
import type { ServiceKeys } from './service-keys.ts';
import type { Authenticated, Sessions } from './sessions.ts';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** What a request presents to say who it is, as its headers carry it. */
export interface Presented {
  token: string | undefined;
  serviceKey: string | undefined;
  origin: string | undefined;
  address: string;
  requestId: string;
}

export interface AuthenticationDeps {
  sessions: Sessions;
  storage: Storage;
  passwords: Passwords;
  serviceKeys: ServiceKeys;
}

/**
 * A present but empty, malformed, expired or revoked token is an error, never a silent anonymous; so
 * is the token of a user who is hidden or deleted, or whose password changed since it was issued. A
 * wrong service key is refused too. A request is one caller: a token and a service key together are
 * refused rather than one of them chosen.
 */
export async function authenticate(presented: Presented, deps: AuthenticationDeps): Promise<Principal> {
  const { token, serviceKey } = presented;
  if (token !== undefined && serviceKey !== undefined) {
    throw badRequest('header', serviceKeyHeader, `Send either ${userTokenHeader} or ${serviceKeyHeader}, not both`, 'ambiguous_caller');
  }
  if (serviceKey !== undefined) {
    const service = await deps.serviceKeys.identify({ key: serviceKey, address: presented.address, origin: presented.origin, requestId: presented.requestId });
    return { service, globalRoles: new Set(), groups: [] };
  }
  if (token === undefined) return anonymous;
  return principalOf(await deps.sessions.authenticate(token), deps);
}

/** The principal of a live session, with its user's roles and groups as they are now; throws `Invalid user token` as authenticate does. */
export async function principalOf(session: Authenticated, deps: Pick<AuthenticationDeps, 'storage' | 'passwords'>): Promise<Principal> {
  const principal = await readUserPrincipal(session.userPath, session.credential, deps);
  if (!principal) throw invalidToken();
  return { ...principal, sessionId: session.sessionId };
}

/**
 * The user as a caller, with its roles and groups; undefined when it is gone or hidden, or its
 * password is no longer the one `credential` names. Hidden, deleted and removed groups give nothing.
 */
export async function readUserPrincipal(userPath: string, credential: string, deps: Pick<AuthenticationDeps, 'storage' | 'passwords'>): Promise<Principal | undefined> {
  const user = await deps.storage.readResource(userPath);
  if (!user || user.hidden || deps.passwords.storedOf(user)?.credential !== credential) return undefined;
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
  return { userPath, globalRoles, groups };
}
