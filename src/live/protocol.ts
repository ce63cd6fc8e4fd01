// The messages of the WebSocket protocol, Adhocracy 3's and what goes beyond it: reading what clients send, and the errors they get for what cannot be read.
import type { Sequence } from '../storage/storage.ts';

/** Adhocracy 3's error codes, then this server's for what Adhocracy 3 does not have (tokens, limits). */
export type ErrorCode = 'unknown_action' | 'unknown_resource' | 'malformed_message' | 'invalid_json' | 'internal_error' | 'invalid_token' | 'too_many_subscriptions';

/** A request the server did not understand or could not handle: answered with `{"error", "details"}`. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    readonly code: ErrorCode,
    readonly details: string,
  ) {
    super(`${code}: ${details}`);
  }
}

export type ClientRequest =
  | { action: 'subscribe' | 'unsubscribe'; resource: string }
  | { action: 'authenticate'; token: string }
  | { action: 'resume'; since: Sequence; resources: string[] };

export type Action = ClientRequest['action'];

/** The events of this protocol: Adhocracy 3's about resources, and this server's about the connection. */
export type EventName =
  | 'modified'
  | 'removed'
  | 'new_child'
  | 'removed_child'
  | 'modified_child'
  | 'changed_descendants'
  | 'new_version'
  | 'session_ended'
  | 'resync_required';

/** Any message the server sends: a confirmation, an error or an event. */
export type ServerMessage = Readonly<Record<string, unknown>>;

/** In the words of Adhocracy 3's schema errors: `<field>: <problem>`. */
const invalid = (field: string, problem: string) => new ProtocolError('invalid_json', `${field}: ${problem}`);

function requireString(message: Record<string, unknown>, field: string): string {
  const value = message[field];
  if (value === undefined) throw invalid(field, 'Required');
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  return value;
}

/**
 * Reads one frame. In Adhocracy 3's order of checks: a frame that is not JSON text is malformed, one
 * without the members its action needs is invalid JSON, an action nobody knows is unknown. Members
 * that no action reads are left alone, as Adhocracy 3 does.
 */
export function readRequest(text: string | undefined): ClientRequest {
  if (text === undefined) throw new ProtocolError('malformed_message', 'message is binary');
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    throw new ProtocolError('malformed_message', error instanceof Error ? error.message : 'not JSON');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new ProtocolError('invalid_json', 'the message must be a JSON object');
  const fields = message as Record<string, unknown>;
  const action = requireString(fields, 'action');
  switch (action) {
    case 'subscribe':
    case 'unsubscribe':
      return { action, resource: requireString(fields, 'resource') };
    case 'authenticate':
      return { action, token: requireString(fields, 'token') };
    case 'resume': {
      const { since, resources } = fields;
      if (since === undefined) throw invalid('since', 'Required');
      if (typeof since !== 'number' && typeof since !== 'string') throw invalid('since', 'must be a number or a string');
      if (resources === undefined) throw invalid('resources', 'Required');
      if (!Array.isArray(resources) || !resources.every((resource) => typeof resource === 'string')) throw invalid('resources', 'must be a list of strings');
      return { action, since, resources: resources as string[] };
    }
    default:
      throw new ProtocolError('unknown_action', action);
  }
}

/** The answer to a request that was carried out: `ok` when it changed something, `redundant` when not. */
export function makeConfirmation(changed: boolean, action: Action, members: Record<string, unknown>): ServerMessage {
  return { status: changed ? 'ok' : 'redundant', action, ...members };
}

export function toErrorMessage(error: ProtocolError): ServerMessage {
  return { error: error.code, details: error.details };
}
