// POST /login_username and /login_email: a password for a new X-User-Token; and the answer every view that hands out a token gives.
import type { IssuedToken } from '../auth/sessions.ts';
import { badRequest } from '../errors.ts';
import type { PathCodec } from '../tree/path.ts';
import { readBodyObject } from './body-shape.ts';
import type { View } from './view.ts';

/** Adhocracy 3's login answer, with when the token dies unused and when it dies anyway. */
export function tokenAnswer(userPath: string, issued: IssuedToken, codec: PathCodec) {
  return {
    status: 'success',
    user_path: codec.toUrl(userPath),
    user_token: issued.token,
    idle_expires_at: new Date(issued.idleExpiresAt).toISOString(),
    expires_at: new Date(issued.expiresAt).toISOString(),
  };
}

function loginView(by: 'name' | 'email'): View {
  return async (request, { login, codec }) => {
    const body = readBodyObject(request.body, [by, 'password'], [by, 'password']);
    const identifier = body[by];
    const password = body.password;
    if (typeof identifier !== 'string' || identifier === '') throw badRequest('body', by, `${by} must be a non-empty string`);
    if (typeof password !== 'string' || password === '') throw badRequest('body', 'password', 'password must be a non-empty string');

    const { userPath, issued } = await login.logIn({
      by,
      login: identifier,
      password,
      client: request.header('User-Agent') ?? '',
      address: request.clientAddress,
      requestId: request.requestId,
    });
    return { body: tokenAnswer(userPath, issued, codec) };
  };
}

export const loginByName = loginView('name');
export const loginByEmail = loginView('email');
