// POST /logout, GET /session (who am I, and until when), and a user's sessions at <user>/sessions/: list them, end one or all.
import type { SessionView } from '../auth/sessions.ts';
import { badRequest, invalidToken, notFound } from '../errors.ts';
import { userTokenHeader } from '../headers.ts';
import type { PathCodec } from '../tree/path.ts';
import type { View } from './view.ts';

/** A session as the listing and /session show it; never its token. */
function describeSession(userPath: string, session: SessionView, codec: PathCodec) {
  return {
    path: codec.toUrl(`${userPath}sessions/${session.id}/`),
    created: new Date(session.createdAt).toISOString(),
    last_used: new Date(session.lastUsedAt).toISOString(),
    idle_expires_at: new Date(session.idleExpiresAt).toISOString(),
    expires_at: new Date(session.expiresAt).toISOString(),
  };
}

const notLoggedIn = (what: string) => badRequest('header', userTokenHeader, `Log in first: ${what}`, 'not_logged_in');

/** How a single-page app that kept a token learns at start-up whether it still works, whose it is and until when. */
export const currentSession: View = async (request, { sessions, codec }) => {
  const { userPath, sessionId } = request.principal;
  if (userPath === undefined || sessionId === undefined) throw notLoggedIn('without a token there is no session');
  const session = await sessions.describe(userPath, sessionId);
  // Ended between authentication and now: the same answer as a token that was dead already.
  if (!session) throw invalidToken();
  const { path, ...times } = describeSession(userPath, session, codec);
  return { body: { user_path: codec.toUrl(userPath), session: path, ...times } };
};

export const logout: View = async (request, { sessions, log }) => {
  const { principal } = request;
  if (principal.userPath === undefined || principal.sessionId === undefined) {
    throw notLoggedIn('there is no session to end');
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
        ...describeSession(user, session, codec),
        client: session.client,
        // Only where a service opened it, so that a user sees which of her sessions she did not open herself.
        ...(session.openedBy === undefined ? {} : { opened_by: session.openedBy }),
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
