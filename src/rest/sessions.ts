// POST /logout, and a user's sessions at <user>/sessions/: list them, end one or all.
import { badRequest, notFound } from '../errors.ts';
import { userTokenHeader } from '../headers.ts';
import type { View } from './view.ts';

export const logout: View = async (request, { sessions, log }) => {
  const { principal } = request;
  if (principal.userPath === undefined || principal.sessionId === undefined) {
    throw badRequest('header', userTokenHeader, 'Log in first: there is no session to end', 'not_logged_in');
  }
  await sessions.revoke(principal.userPath, principal.sessionId);
  log.info('logout', { request_id: request.requestId, account: principal.userPath, session: principal.sessionId });
  return { body: { status: 'success' } };
};

/** Sessions are the user's own business, and an admin's: the route's permission, manage-sessions. */
export const listSessions: View = async (request, { sessions, codec }) => {
  if (request.subpath.length > 0) throw notFound('path', 'Sessions are listed only as a whole');
  const user = request.context.path;
  const list = await sessions.list(user);
  return {
    body: {
      sessions: list.map((session) => ({
        id: session.id,
        path: codec.toUrl(`${user}sessions/${session.id}/`),
        created: new Date(session.createdAt).toISOString(),
        last_used: new Date(session.lastUsedAt).toISOString(),
        client: session.client,
        current: session.id === request.principal.sessionId && user === request.principal.userPath,
      })),
    },
  };
};

export const revokeSessions: View = async (request, { sessions, log }) => {
  const user = request.context.path;
  const [sessionId, ...rest] = request.subpath;
  if (rest.length > 0) throw notFound('path');
  let revoked: number;
  if (sessionId === undefined) {
    revoked = await sessions.revokeAll(user);
  } else {
    if (!(await sessions.revoke(user, sessionId))) throw notFound('path', 'There is no such session');
    revoked = 1;
  }
  log.info('sessions_revoked', { request_id: request.requestId, account: user, by: request.principal.userPath, revoked });
  return { body: { status: 'success', revoked } };
};
