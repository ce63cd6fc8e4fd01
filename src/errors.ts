// The typed errors that code below the HTTP layer throws; rest/error-handler.ts turns them into the envelope.
import { retryAfterHeader, userPasswordHeader, userTokenHeader } from './headers.ts';

export type ErrorLocation = 'body' | 'querystring' | 'header' | 'url' | 'internal';

/** One entry of the envelope's `errors` list; `code` is stable for machines, `description` is for people. */
export interface ErrorDetail {
  location: ErrorLocation;
  name: string;
  description: string;
  code?: string;
}

/** An error that the client caused or may see; everything else is a 500 without details. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly errors: readonly ErrorDetail[],
    /** Extra top-level members of the response (410 answers carry `reason`). */
    readonly extra: Readonly<Record<string, unknown>> = {},
    /** Response headers, such as Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(errors.map((error) => `${error.location} ${error.name}: ${error.description}`).join('; '));
  }
}

export const badRequest = (location: ErrorLocation, name: string, description: string, code = 'invalid') =>
  new ApiError(400, [{ location, name, description, code }]);

export const invalidInput = (errors: readonly ErrorDetail[]) => new ApiError(400, errors);

export const forbidden = (name: string, description: string, location: ErrorLocation = 'url') =>
  new ApiError(403, [{ location, name, description, code: 'forbidden' }]);

export const notFound = (name: string, description = 'The resource was not found') =>
  new ApiError(404, [{ location: 'url', name, description, code: 'not_found' }]);

export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new ApiError(
    405,
    [{ location: 'url', name: 'method', description: `${method} is not allowed here`, code: 'method_not_allowed' }],
    {},
    { Allow: allowed.join(', ') },
  );

export const conflict = (name: string, description: string) =>
  new ApiError(409, [{ location: 'body', name, description, code: 'conflict' }]);

export const unavailable = (description: string, retryAfterSeconds: number) =>
  new ApiError(
    503,
    [{ location: 'internal', name: 'server', description, code: 'busy' }],
    {},
    { [retryAfterHeader]: String(retryAfterSeconds) },
  );

export const invalidToken = () => badRequest('header', userTokenHeader, 'Invalid user token', 'invalid_token');

export const currentPasswordRequired = (fields: readonly string[]) =>
  badRequest('header', userPasswordHeader, `Changing ${fields.join(', ')} needs your current password in ${userPasswordHeader}`, 'password_required');

export const currentPasswordWrong = () => badRequest('header', userPasswordHeader, `The password in ${userPasswordHeader} is wrong`, 'wrong_password');

export const wrongCredentials = () =>
  badRequest('body', 'password', "User doesn't exist or password is wrong", 'wrong_credentials');
