// The views of the links mailed to users (POST /activate_account, /password_reset, /confirm_email) and of asking for one (POST /create_password_reset).
import { isEmail, maxLength } from 'class-validator';
import { checkPasswordPolicy } from '../auth/passwords.ts';
import { badRequest } from '../errors.ts';
import { readBodyObject } from './body-shape.ts';
import { tokenAnswer } from './login.ts';
import type { View } from './view.ts';

export const activateAccount: View = async (request, { accounts, codec }) => {
  const body = readBodyObject(request.body, ['path'], ['path']);
  const { userPath, issued } = await accounts.activate({ path: body.path, client: request.header('User-Agent') ?? '', requestId: request.requestId });
  return { body: tokenAnswer(userPath, issued, codec) };
};

/** Always the same success, whether the address has an account or not: only a malformed one or too many requests get an error. */
export const createPasswordReset: View = async (request, { accounts }) => {
  const body = readBodyObject(request.body, ['email'], ['email']);
  const email = body.email;
  if (typeof email !== 'string' || !maxLength(email, 254) || !isEmail(email)) throw badRequest('body', 'email', 'email must be a valid email address');
  await accounts.requestPasswordReset({ email, address: request.clientAddress });
  return { body: { status: 'success' } };
};

export const passwordReset: View = async (request, { accounts, codec, config }) => {
  const body = readBodyObject(request.body, ['path', 'password'], ['path', 'password']);
  const { password } = body;
  if (typeof password !== 'string') throw badRequest('body', 'password', 'password must be a string');
  const problem = checkPasswordPolicy(password, config.password);
  if (problem) throw badRequest('body', 'password', `password ${problem}`, 'invalid_value');
  const { userPath, issued } = await accounts.resetPassword({ path: body.path, password, client: request.header('User-Agent') ?? '', requestId: request.requestId });
  return { body: tokenAnswer(userPath, issued, codec) };
};

export const confirmEmail: View = async (request, { accounts, codec }) => {
  const body = readBodyObject(request.body, ['path'], ['path']);
  const { userPath } = await accounts.confirmEmail({ path: body.path, requestId: request.requestId });
  return { body: { status: 'success', user_path: codec.toUrl(userPath) } };
};
