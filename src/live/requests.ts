// What a client asks over its connection: subscribe, unsubscribe, authenticate, resume; each answered in turn, every failure with the protocol's error.
import { principalOf } from '../auth/authenticate.ts';
import { describeError } from '../log.ts';
import { isInvalidToken } from '../errors.ts';
import type { Connection } from './connection.ts';
import type { Hub } from './hub.ts';
import { makeConfirmation, toErrorMessage, ProtocolError, readRequest, type ClientRequest, type ServerMessage } from './protocol.ts';
import { resume } from './resume.ts';

/** Takes one frame; its answer follows the answers to the frames before it. `text` is undefined for a binary frame. */
export function receive(hub: Hub, connection: Connection, text: string | undefined): void {
  connection.enqueue(async () => {
    if (!connection.isOpen) return;
    try {
      // A session that expired ends before anything else is answered.
      await hub.checkSession(connection);
      const answer = await carryOut(hub, connection, readRequest(text));
      if (answer) connection.answer(answer);
    } catch (error) {
      if (error instanceof ProtocolError) {
        connection.answer(toErrorMessage(error));
        return;
      }
      hub.deps.log.error('live_request_failed', describeError(error));
      connection.answer(toErrorMessage(new ProtocolError('internal_error', 'The server could not handle the request; try again')));
    }
  });
}

async function carryOut(hub: Hub, connection: Connection, request: ClientRequest): Promise<ServerMessage | undefined> {
  switch (request.action) {
    case 'subscribe':
      return subscribe(hub, connection, request.resource);
    case 'unsubscribe':
      return unsubscribe(hub, connection, request.resource);
    case 'authenticate':
      return authenticate(hub, connection, request.token);
    case 'resume':
      await resume(hub, connection, request.since, request.resources);
      return undefined;
  }
}

/** A path the connection may see now; anything else is unknown to it, whether it exists or not. */
async function findVisiblePath(hub: Hub, connection: Connection, reference: string): Promise<string | undefined> {
  const path = hub.deps.codec.fromReference(reference);
  if (path === undefined) return undefined;
  const sight = hub.newSight();
  await sight.load([path]);
  return sight.canSee(connection.principal, path) ? path : undefined;
}

async function subscribe(hub: Hub, connection: Connection, reference: string): Promise<ServerMessage> {
  const path = await findVisiblePath(hub, connection, reference);
  if (path === undefined) throw new ProtocolError('unknown_resource', reference);
  const { maxSubscriptions } = hub.deps.policy;
  if (!connection.subscriptions.has(path) && connection.subscriptions.size >= maxSubscriptions) {
    throw new ProtocolError('too_many_subscriptions', `at most ${maxSubscriptions} subscriptions per connection`);
  }
  await hub.caughtUp();
  return makeConfirmation(hub.subscribe(connection, path), 'subscribe', { resource: hub.deps.codec.toUrl(path) });
}

async function unsubscribe(hub: Hub, connection: Connection, reference: string): Promise<ServerMessage> {
  const path = hub.deps.codec.fromReference(reference);
  // Events of what was stored before the request still come, before the confirmation.
  await hub.caughtUp();
  if (path !== undefined && hub.unsubscribe(connection, path)) return makeConfirmation(true, 'unsubscribe', { resource: hub.deps.codec.toUrl(path) });
  // Not followed: redundant if it is there to follow, unknown otherwise.
  if (path === undefined || (await findVisiblePath(hub, connection, reference)) === undefined) throw new ProtocolError('unknown_resource', reference);
  return makeConfirmation(false, 'unsubscribe', { resource: hub.deps.codec.toUrl(path) });
}

/**
 * The token of a login, sent as a message since URLs end up in logs. A valid one counts as a use of
 * the session; the connection then acts as its user, and loses what it saw before and may not see now.
 */
async function authenticate(hub: Hub, connection: Connection, token: string): Promise<ServerMessage> {
  const { sessions, codec } = hub.deps;
  let session;
  let principal;
  try {
    session = await sessions.authenticate(token);
    principal = await principalOf(session, hub.deps);
  } catch (error) {
    if (isInvalidToken(error)) throw new ProtocolError('invalid_token', 'Invalid user token');
    throw error;
  }
  const changed = connection.session?.token !== token;
  hub.actAs(connection, { token, userPath: session.userPath, sessionId: session.sessionId, expiresAt: session.expiresAt }, principal);
  await hub.recheck([connection], () => true, hub.recent.last);
  return makeConfirmation(changed, 'authenticate', { resource: codec.toUrl(session.userPath) });
}
