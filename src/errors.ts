// The typed errors that code below the HTTP layer throws; rest/error-handler.ts turns them into the envelope.
import { retryAfterHeader, serviceKeyHeader, userPasswordHeader, userTokenHeader } from './headers.ts';

export type ErrorLocation = 'body' | 'querystring' | 'header' | 'url' | 'internal';

/** One entry of the envelope's `errors` list; `code` is stable for machines, `description` is for people. */
export interface ErrorDetail {
  location: ErrorLocation;
  name: string;
  description: string;
  code?: string;
}

/**
 * The most errors one answer lists, and the longest name or description it carries: enough to correct a
 * request, and a bound on the answer to a body made of many (or very long) mistakes.
 */
export const maxErrorsPerAnswer = 20;
export const maxErrorTextLength = 1_000;

/** Cuts text to `maxErrorTextLength` characters, never between the two halves of a surrogate pair. */
function clipErrorText(text: string): string {
  if (text.length <= maxErrorTextLength) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(maxErrorTextLength - 2)) ? maxErrorTextLength - 2 : maxErrorTextLength - 1;
  return `${text.slice(0, end)}…`;
}

/** An error that the client caused or may see; everything else is a 500 without details. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly errors: readonly ErrorDetail[];
  constructor(
    readonly status: number,
    errors: readonly ErrorDetail[],
    /** Extra top-level members of the response (410 answers carry `reason`). */
    readonly extra: Readonly<Record<string, unknown>> = {},
    /** Response headers, such as Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    const listed = errors.slice(0, maxErrorsPerAnswer).map((error) => ({ ...error, name: clipErrorText(error.name), description: clipErrorText(error.description) }));
    super(listed.map((error) => `${error.location} ${error.name}: ${error.description}`).join('; '));
    this.errors = listed;
  }
}

/**
 * Gathers the errors of one request up to `maxErrorsPerAnswer`; a check over input of any length asks
 * `isFull` and stops, so that the work, not only the answer, is bounded.
 */
export class ErrorCollector {
  readonly #errors: ErrorDetail[] = [];

  add(...errors: readonly ErrorDetail[]): void {
    for (const error of errors) {
      if (this.isFull) return;
      this.#errors.push(error);
    }
  }

  get isFull(): boolean {
    return this.#errors.length >= maxErrorsPerAnswer;
  }

  get isEmpty(): boolean {
    return this.#errors.length === 0;
  }

  /** Throws an error with this status (400 unless told) listing what was gathered, if anything was. */
  throwIfAny(status = 400): void {
    if (!this.isEmpty) throw new ApiError(status, this.#errors);
  }
}

export const badRequest = (location: ErrorLocation, name: string, description: string, code = 'invalid') =>
  new ApiError(400, [{ location, name, description, code }]);

export const invalidInput = (errors: readonly ErrorDetail[]) => new ApiError(400, errors);

export const forbidden = (name: string, description: string, location: ErrorLocation = 'url', code = 'forbidden') =>
  new ApiError(403, [{ location, name, description, code }]);

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

export const isInvalidToken = (error: unknown) => error instanceof ApiError && error.errors.some((detail) => detail.code === 'invalid_token');

/** `action` as people read it: `Changing password`, `Deleting the account`. */
export const currentPasswordRequired = (action: string) =>
  badRequest('header', userPasswordHeader, `${action} needs your current password in ${userPasswordHeader}`, 'password_required');

export const currentPasswordWrong = () => badRequest('header', userPasswordHeader, `The password in ${userPasswordHeader} is wrong`, 'wrong_password');

/** Where each kind of secret is sent: the field a refusal names. */
const attemptedSecret = {
  login: { location: 'body', name: 'password' },
  'current-password': { location: 'header', name: userPasswordHeader },
  'service-key': { location: 'header', name: serviceKeyHeader },
} as const;

/** Refused before the secret was checked: too many failures from this address, or at this account. */
export const tooManyAttempts = (of: keyof typeof attemptedSecret, retryAfterSeconds: number) =>
  new ApiError(
    429,
    [
      {
        ...attemptedSecret[of],
        description: `Too many failed attempts; try again in ${retryAfterSeconds} seconds`,
        code: 'too_many_attempts',
      },
    ],
    {},
    { 'Retry-After': String(retryAfterSeconds) },
  );

export const invalidServiceKey = () => forbidden(serviceKeyHeader, 'Unknown service key', 'header', 'invalid_service_key');

export const serviceKeyFromBrowser = () =>
  forbidden(serviceKeyHeader, 'A service key is not accepted from a browser: the request carries an Origin header', 'header', 'service_key_from_browser');

export const wrongCredentials = () =>
  badRequest('body', 'password', "User doesn't exist or password is wrong", 'wrong_credentials');

/** A link's path posted back that does not have the form of its kind (Adhocracy 3's wording). */
export const linkPathMalformed = () => badRequest('body', 'path', 'String does not match expected pattern', 'invalid_path');

/** A link's path whose key is unknown, used, superseded or expired: which of these is not told (Adhocracy 3's wording). */
export const linkPathUnknown = (kind: 'activation' | 'password reset' | 'email confirmation') =>
  badRequest('body', 'path', `Unknown or expired ${kind} path`, 'unknown_path');

/** Answered only to whoever gave the right password (Adhocracy 3's wording); `name` is the login member used. */
export const accountNotActivated = (name: string) => badRequest('body', name, 'User account not yet activated', 'not_activated');

export const tooManyRequests = (name: string, retryAfterSeconds: number) =>
  new ApiError(
    429,
    [{ location: 'body', name, description: `Too many requests; try again in ${retryAfterSeconds} seconds`, code: 'too_many_requests' }],
    {},
    { 'Retry-After': String(retryAfterSeconds) },
  );
