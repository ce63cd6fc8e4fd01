// The views other backends call with X-Service-Key: POST /token_info (RFC 7662), opening a session for a user, the lockout settings.
import { readUserPrincipal } from '../auth/authenticate.ts';
import { lockoutSettings, type LockoutChange, type LockoutPolicy } from '../auth/lockout-settings.ts';
import { badRequest, ErrorCollector, notFound } from '../errors.ts';
import { readBodyObject } from './body-shape.ts';
import { tokenAnswer } from './login.ts';
import type { View } from './view.ts';

/** The one answer for every token that is not live, whatever the reason: RFC 7662 says nothing more. */
const inactive = { active: false } as const;

/**
 * What a user's token stands for, for a backend that received it: the same checks as a request that
 * carries it (the session lives, the user is visible, its password is the one the session was opened
 * with), but no use of it: its idle expiry stays where it was.
 */
export const tokenInfo: View = async (request, { sessions, storage, passwords, codec }) => {
  const body = readBodyObject(request.body, ['token'], ['token']);
  if (typeof body.token !== 'string' || body.token === '') throw badRequest('body', 'token', 'token must be a non-empty string');
  const found = await sessions.inspect(body.token);
  if (!found) return { body: inactive };
  const principal = await readUserPrincipal(found.userPath, found.credential, { storage, passwords });
  if (!principal) return { body: inactive };
  const { session } = found;
  return {
    body: {
      active: true,
      user_path: codec.toUrl(found.userPath),
      session: codec.toUrl(`${found.userPath}sessions/${session.id}/`),
      expires_at: new Date(session.expiresAt).toISOString(),
      idle_expires_at: new Date(session.idleExpiresAt).toISOString(),
      roles: [...principal.globalRoles].sort(),
      groups: principal.groups.map((group) => codec.toUrl(group)),
    },
  };
};

/**
 * A service opens a session for a user without its password (support acting as the user, a backend
 * that logs its users in by other means). The session is bound to the user's password as a login's
 * is, so a password change ends it; it names the service in the user's listing, and the log says who.
 */
export const openSessionForUser: View = async (request, { sessions, passwords, codec, log }) => {
  if (request.subpath.length > 0) throw notFound('path', 'A session is opened on sessions/ itself');
  readBodyObject(request.body ?? {}, [], []);
  const user = request.context;
  const service = request.principal.service as string;
  const stored = passwords.storedOf(user);
  if (stored === undefined) throw badRequest('url', 'path', 'This user has no password, so no session can be bound to one', 'no_password');
  const issued = await sessions.open(user.path, request.header('User-Agent') ?? '', stored.credential, { openedBy: service });
  log.info('session_opened_by_service', { request_id: request.requestId, account: user.path, service, session: issued.session.id, address: request.clientAddress });
  return { body: { ...tokenAnswer(user.path, issued, codec), session: codec.toUrl(`${user.path}sessions/${issued.session.id}/`) } };
};

function describeLockout(policy: LockoutPolicy, changed: readonly string[]) {
  return {
    settings: Object.fromEntries(lockoutSettings.map(({ wire, key }) => [wire, policy[key]])),
    changed: lockoutSettings.flatMap(({ wire, key }) => (changed.includes(key) ? [wire] : [])),
  };
}

/** The lockout's numbers in force, in every process, and which of them a service changed. */
export const getLockoutSettings: View = async (_request, { lockoutSettings: settings }) => {
  const { policy, changed } = await settings.describe();
  return { body: describeLockout(policy, changed) };
};

/** Changes some of the numbers for every process, from the next attempt on; null goes back to the configured value. */
export const putLockoutSettings: View = async (request, { lockoutSettings: settings, log }) => {
  const body = readBodyObject(request.body, lockoutSettings.map(({ wire }) => wire), []);
  const errors = new ErrorCollector();
  const change: LockoutChange = {};
  for (const { wire, key, min, max } of lockoutSettings) {
    if (!Object.hasOwn(body, wire)) continue;
    const value = body[wire];
    if (value === null || (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) change[key] = value as number | null;
    else errors.add({ location: 'body', name: wire, description: `${wire} must be a whole number between ${min} and ${max}, or null for the configured value`, code: 'invalid' });
  }
  errors.throwIfAny();
  const { policy, changed } = await settings.change(change);
  log.info('lockout_settings_changed', { request_id: request.requestId, service: request.principal.service, settings: Object.keys(body) });
  return { body: describeLockout(policy, changed) };
};
