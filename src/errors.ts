// The typed errors that code below the HTTP layer throws; rest/error-handler.ts turns them into the envelope.
import { retryAfterHeader, serviceKeyHeader, userPasswordHeader, userTokenHeader } from './headers.ts';

export type ErrorLocation = 'body' | 'querystring' | 'header' | 'url' | 'internal';

export const errorLocations: readonly ErrorLocation[] = ['body', 'querystring', 'header', 'url', 'internal'];

/**
 * Every stable error code, with what it means: typing `code` by these keys keeps the list complete, and
 * /openapi.json and the client's typed errors are generated from it.
 */
export const errorCodes = {
  invalid: 'A value is not valid',
  invalid_value: 'A value breaks a rule of its field (a password policy, a time zone)',
  invalid_parameter: 'A query parameter has a value it cannot take',
  unknown_parameter: 'A query parameter that this resource does not know',
  not_indexed: 'A query names a field that cannot be filtered, sorted on or aggregated',
  too_expensive: 'A query would read more stored resources than a request may',
  required: 'A mandatory member or field is missing',
  empty: 'A value that must not be empty is empty',
  not_an_object: 'The body, or a member of it, must be a JSON object',
  not_a_list: 'The body must be a JSON list',
  unknown_member: 'A member of the body that this view does not take',
  unknown_sheet: 'A sheet that the resource type does not have',
  unknown_field: 'A field that the sheet does not have',
  unknown_content_type: 'A content type that does not exist',
  not_addable: 'The content type cannot be created in this pool',
  read_only: 'A field that only the server sets',
  not_editable: 'A field that cannot be changed after creation',
  immutable_version: 'A version cannot be changed; post a new one',
  no_fork: 'A new version must follow the last version',
  no_merge: 'A version can follow only one version',
  reserved_name: 'The name is taken by a view',
  name_taken: 'A child of this name exists already',
  not_unique: 'Another resource holds this value already',
  not_the_caller: 'The reference must name the caller',
  invalid_reference: 'A reference that is not the URL or path of a resource of the right kind',
  malformed_json: 'The body is not JSON',
  invalid_utf8: 'The body is not valid UTF-8',
  invalid_unicode: 'A string of the body holds a lone surrogate',
  duplicate_key: 'An object of the body has a member twice',
  forbidden_key: 'An object of the body has a member name the server reserves',
  too_deep: 'The body nests deeper than the server takes',
  malformed_request: 'The request is not valid HTTP/1.1',
  unsupported_media_type: 'The body is not application/json',
  unsupported_charset: 'The body is in a character set other than UTF-8',
  unsupported_encoding: 'The body has a content encoding the server does not take',
  incomplete_body: 'The body ended before its declared length',
  too_large: 'The body is larger than the server takes',
  headers_too_large: 'The request line and headers are too large',
  timeout: 'The request did not arrive in time',
  bad_request: 'The request could not be read',
  invalid_token: 'The X-User-Token is invalid, expired or revoked',
  not_logged_in: 'The view needs an X-User-Token',
  wrong_credentials: 'The user does not exist or the password is wrong',
  not_activated: 'The account has not followed its activation link yet',
  password_required: 'The change needs the current password in X-User-Password',
  wrong_password: 'The password in X-User-Password is wrong',
  too_many_attempts: 'Too many failed passwords; wait for Retry-After',
  too_many_requests: 'Too many requests of this kind; wait for Retry-After',
  invalid_path: 'A mailed link\'s path that does not have the form of its kind',
  unknown_path: 'A mailed link\'s path that is unknown, used or expired',
  not_in_batch: 'A view that acts cannot be part of a batch',
  forbidden: 'The caller may not do this',
  invalid_service_key: 'The X-Service-Key is not one of SERVICE_KEYS',
  service_key_from_browser: 'An X-Service-Key came with an Origin header: service keys are not for browsers',
  ambiguous_caller: 'A request sent both an X-User-Token and an X-Service-Key',
  no_password: 'The user has no password, so no session can be bound to one',
  too_many_connections: 'Too many WebSocket connections from this address',
  not_found: 'There is no such resource or view',
  method_not_allowed: 'The resource or view does not take this method',
  conflict: 'What the request read was changed meanwhile; nothing was stored',
  busy: 'The server is busy; wait for Retry-After',
  storage_unavailable: 'The database is not available; wait for Retry-After',
  hidden: 'The resource, or one above it, is hidden (410)',
  deleted: 'The resource, or one above it, is deleted (410)',
  internal: 'An error of the server',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof errorCodes;

/** One entry of the envelope's `errors` list; `code` is stable for machines, `description` is for people. */
export interface ErrorDetail {
  location: ErrorLocation;
  name: string;
  description: string;
  code?: ErrorCode;
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

export const badRequest = (location: ErrorLocation, name: string, description: string, code: ErrorCode = 'invalid') =>
  new ApiError(400, [{ location, name, description, code }]);

export const invalidInput = (errors: readonly ErrorDetail[]) => new ApiError(400, errors);

export const forbidden = (name: string, description: string, location: ErrorLocation = 'url', code: ErrorCode = 'forbidden') =>
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
