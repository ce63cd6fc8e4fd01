// GET and PUT <user>/sessions/<id>/state: one small JSON document per session, which ends with it; never logged.
import { badRequest, notFound } from '../errors.ts';
import { isPlainObject } from '../model/sheet-input.ts';
import type { View, ViewRequest } from './view.ts';

/** The most a session's document may take, as JSON in UTF-8. */
export const maxSessionStateBytes = 16 * 1024;

/** The session named by the path: `sessions/<id>/state` (the route says the rest). */
function sessionOf(request: ViewRequest): string {
  return request.subpath[0] as string;
}

const noSuchSession = () => notFound('path', 'There is no such session');

export const getSessionState: View = async (request, { sessions }) => {
  const found = await sessions.readState(request.context.path, sessionOf(request));
  if (!found) throw noSuchSession();
  return { body: { state: found.state } };
};

/** The body is `{"state": <any JSON>}`; `null` removes what was kept. */
export const putSessionState: View = async (request, { sessions }) => {
  const state = readState(request.body);
  if (!(await sessions.writeState(request.context.path, sessionOf(request), state))) throw noSuchSession();
  return { body: { status: 'success' } };
};

function readState(body: unknown): unknown {
  if (!isPlainObject(body)) throw badRequest('body', 'body', 'The body must be an object {"state": ...}', 'not_an_object');
  const unknown = Object.keys(body).find((member) => member !== 'state');
  if (unknown !== undefined) throw badRequest('body', unknown, `${unknown} is not a known member; send {"state": ...}`, 'unknown_member');
  if (!Object.hasOwn(body, 'state')) throw badRequest('body', 'state', 'state is required (null removes it)', 'required');
  const bytes = Buffer.byteLength(JSON.stringify(body.state), 'utf8');
  if (bytes > maxSessionStateBytes) {
    throw badRequest('body', 'state', `state takes at most ${maxSessionStateBytes} bytes as JSON, not ${bytes}`, 'too_large');
  }
  return body.state;
}
