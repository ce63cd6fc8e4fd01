// POST /login_username and /login_email: a password for a new X-User-Token.
import { badRequest } from '../errors.ts';
import { readBodyObject } from './body-shape.ts';
import type { View } from './view.ts';

function loginView(by: 'name' | 'email'): View {
  return async (request, { login, codec }) => {
    const body = readBodyObject(request.body, [by, 'password'], [by, 'password']);
    const identifier = body[by];
    const password = body.password;
    if (typeof identifier !== 'string' || identifier === '') throw badRequest('body', by, `${by} must be a non-empty string`);
    if (typeof password !== 'string' || password === '') throw badRequest('body', 'password', 'password must be a non-empty string');

    const { userPath, token } = await login.logIn({
      by,
      login: identifier,
      password,
      client: request.header('User-Agent') ?? '',
      address: request.clientAddress,
      requestId: request.requestId,
    });
    return { body: { status: 'success', user_path: codec.toUrl(userPath), user_token: token } };
  };
}

export const loginByName = loginView('name');
export const loginByEmail = loginView('email');
