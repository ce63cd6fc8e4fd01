// A small typed client of the API on fetch alone, for browsers and Node: logging in and out, resources by sheet id, pool queries.
import { userPasswordHeader, userTokenHeader } from '../headers.ts';
import { AdhocracyError, ProtocolError, type ErrorDetail } from './errors.ts';
import { errorClasses, InvalidTokenError, NotLoggedInError, type ContentType, type ErrorCode, type Operations, type Schemas, type SheetId } from './generated.ts';

/** A resource of any type as GET answers it; narrow it by `content_type`. */
export type AnyResource = Schemas[ContentType];
/** What POST takes to create a resource of this type. */
export type CreateBody<T extends ContentType> = Schemas[`${T}.create` & keyof Schemas];
/** What PUT takes to change a resource of this type. */
export type EditBody<T extends ContentType> = Schemas[`${T}.edit` & keyof Schemas];
export type ChangeAnswer = Schemas['ChangeAnswer'];
export type TokenAnswer = Schemas['TokenAnswer'];

/** A login as the client keeps it: enough to restore it after a page load. */
export interface Session {
  token: string;
  userPath: string;
  /**
   * When the token dies unused, by the server's clock, as the login or the last restoreSession() said
   * (each request moves it on). The server decides: a request with a dead token throws InvalidTokenError
   * and ends the session; the client does not guess by its own clock, which may differ from the server's.
   */
  idleExpiresAt: string;
  /** When it dies anyway, by the server's clock. */
  expiresAt: string;
}

/** Where the session lives between page loads: memory by default; in a browser, localStorage for instance. */
export interface SessionStore {
  load(): Session | undefined;
  save(session: Session | undefined): void;
}

export interface ClientOptions {
  /** The API's base URL, its PUBLIC_URL: `https://api.example.org`. */
  baseUrl: string;
  fetch?: typeof fetch;
  sessionStore?: SessionStore;
  /** Called when the session ends: logout, or an answer that the token is invalid. */
  onSessionEnd?: () => void;
}

type Comparator = 'eq' | 'noteq' | 'lt' | 'le' | 'gt' | 'ge' | 'any' | 'notany';

/** The query parameters of a pool (docs/queries.md); filters by index name or `<sheet id>:<field>`, a value or `[comparator, value]`. */
export interface PoolQuery {
  elements?: 'omit' | 'paths' | 'content';
  content_type?: string;
  sheet?: SheetId;
  depth?: number | 'all';
  sort?: string;
  reverse?: boolean;
  limit?: number;
  offset?: number;
  count?: boolean;
  aggregateby?: string;
  filters?: Record<string, string | number | boolean | [Comparator, unknown]>;
}

export interface PoolListing<Element> {
  elements: Element[];
  count?: number;
  aggregateby?: Record<string, Record<string, number>>;
}

const poolSheet = 'adhocracy_core.sheets.pool.IPool';

/** The data of one sheet of a resource, typed by the sheet's id; undefined when the caller may not read it or the type lacks it. */
export function sheetOf<S extends SheetId>(resource: { data: object }, sheet: S): Schemas[S] | undefined {
  return (resource.data as Partial<Record<SheetId, unknown>>)[sheet] as Schemas[S] | undefined;
}

function memoryStore(): SessionStore {
  let kept: Session | undefined;
  return { load: () => kept, save: (session) => void (kept = session) };
}

/** The typed error of an answer that is not a success. */
function toError(status: number, body: unknown, retryAfter: string | null): AdhocracyError {
  const retryAfterSeconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return new ProtocolError(status, [], body, retryAfterSeconds);
  const code = (errors[0] as ErrorDetail | undefined)?.code;
  const ErrorClass = (code !== undefined && Object.hasOwn(errorClasses, code) ? errorClasses[code as ErrorCode] : undefined) ?? AdhocracyError;
  return new ErrorClass(status, errors as ErrorDetail[], body, retryAfterSeconds);
}

export class AdhocracyClient {
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #store: SessionStore;
  readonly #onSessionEnd: (() => void) | undefined;

  constructor(options: ClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#store = options.sessionStore ?? memoryStore();
    this.#onSessionEnd = options.onSessionEnd;
  }

  /** The kept session, until a logout or until the server refuses its token. */
  get session(): Session | undefined {
    return this.#store.load();
  }

  loginWithName(name: string, password: string): Promise<Session> {
    return this.#logIn(this.#send<TokenAnswer>('POST', '/login_username', { body: { name, password } satisfies Operations['postLoginUsername']['request'] }));
  }

  loginWithEmail(email: string, password: string): Promise<Session> {
    return this.#logIn(this.#send<TokenAnswer>('POST', '/login_email', { body: { email, password } satisfies Operations['postLoginEmail']['request'] }));
  }

  /** Ends the session here and on the server; a token the server no longer knows ends here all the same. */
  async logout(): Promise<void> {
    if (!this.#store.load()) return;
    try {
      await this.#send<Operations['postLogout']['response']>('POST', '/logout');
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
    }
    this.#endSession();
  }

  /** Ends every session of the user, on every device, this one included. */
  async logOutEverywhere(): Promise<number> {
    const session = this.session;
    if (!session) return 0;
    const answer = await this.#send<Operations['deleteSessionsOfUser']['response']>('DELETE', `${session.userPath}sessions/`);
    this.#endSession();
    return answer.revoked;
  }

  /**
   * After a page load: asks the server whether the kept token still works, and until when. Undefined
   * (and the session ended) when it does not.
   */
  async restoreSession(): Promise<Session | undefined> {
    const session = this.session;
    if (!session) return undefined;
    try {
      const answer = await this.#send<Operations['getSession']['response']>('GET', '/session');
      const restored = { ...session, userPath: answer.user_path, idleExpiresAt: answer.idle_expires_at, expiresAt: answer.expires_at };
      this.#store.save(restored);
      return restored;
    } catch (error) {
      if (error instanceof InvalidTokenError) return undefined;
      throw error;
    }
  }

  /** Follows the mailed activation link's path; logs in. */
  activateAccount(path: string): Promise<Session> {
    return this.#logIn(this.#send<TokenAnswer>('POST', '/activate_account', { body: { path } }));
  }

  async createPasswordReset(email: string): Promise<void> {
    await this.#send('POST', '/create_password_reset', { body: { email } });
  }

  /** Sets a new password through the mailed link's path; ends every other session and logs in. */
  resetPassword(path: string, password: string): Promise<Session> {
    return this.#logIn(this.#send<TokenAnswer>('POST', '/password_reset', { body: { path, password } }));
  }

  get(pathOrUrl: string): Promise<AnyResource> {
    return this.#send<AnyResource>('GET', pathOrUrl);
  }

  /** A pool's elements: paths, or whole resources with `elements: 'content'`. */
  query(pool: string, query: PoolQuery & { elements: 'content' }): Promise<PoolListing<AnyResource>>;
  query(pool: string, query?: PoolQuery): Promise<PoolListing<string>>;
  async query(pool: string, query: PoolQuery = {}): Promise<PoolListing<string | AnyResource>> {
    const { filters = {}, ...fixed } = query;
    const parameters = new URLSearchParams();
    for (const [name, value] of Object.entries({ elements: 'paths', ...fixed, ...filters })) {
      if (value !== undefined) parameters.set(name, Array.isArray(value) ? JSON.stringify(value) : String(value));
    }
    const separator = pool.includes('?') ? '&' : '?';
    const resource = await this.#send<AnyResource>('GET', `${pool}${separator}${parameters}`);
    const listing = (resource.data as Record<string, unknown>)[poolSheet] as PoolListing<string | AnyResource> | undefined;
    if (!listing) throw new ProtocolError(200, [], resource);
    return listing;
  }

  create<T extends ContentType>(pool: string, contentType: T, data: CreateBody<T>['data']): Promise<ChangeAnswer> {
    return this.#send<ChangeAnswer>('POST', pool, { body: { content_type: contentType, data } });
  }

  /** Changes the sheets given; a password or an email needs `currentPassword`. */
  update<T extends ContentType>(path: string, contentType: T, data: EditBody<T>['data'], options: { currentPassword?: string } = {}): Promise<ChangeAnswer> {
    return this.#send<ChangeAnswer>('PUT', path, { body: { content_type: contentType, data }, currentPassword: options.currentPassword });
  }

  remove(path: string, options: { currentPassword?: string } = {}): Promise<ChangeAnswer> {
    return this.#send<ChangeAnswer>('DELETE', path, { currentPassword: options.currentPassword });
  }

  /** What the caller may do at a path: the methods, with stubs of their bodies. */
  options(path: string): Promise<Operations['optionsResource']['response']> {
    return this.#send('OPTIONS', path);
  }

  metaApi(): Promise<Schemas['MetaApi']> {
    return this.#send('GET', '/meta_api');
  }

  /** The caller's own sessions. */
  sessions(): Promise<Operations['getSessionsOfUser']['response']['sessions']> {
    const session = this.session;
    if (!session) return Promise.reject(new NotLoggedInError(400, [{ location: 'header', name: userTokenHeader, description: 'Log in first', code: 'not_logged_in' }], undefined));
    return this.#send<Operations['getSessionsOfUser']['response']>('GET', `${session.userPath}sessions/`).then((answer) => answer.sessions);
  }

  async #logIn(answer: Promise<TokenAnswer>): Promise<Session> {
    const token = await answer;
    const session = { token: token.user_token, userPath: token.user_path, idleExpiresAt: token.idle_expires_at, expiresAt: token.expires_at };
    this.#store.save(session);
    return session;
  }

  #endSession(): void {
    const had = this.#store.load() !== undefined;
    this.#store.save(undefined);
    if (had) this.#onSessionEnd?.();
  }

  /** A URL the API answered is used as it is; a path is taken below the base URL. */
  #resolve(pathOrUrl: string): string {
    if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl;
    return `${this.#baseUrl}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
  }

  async #send<T>(method: string, target: string, options: { body?: unknown; currentPassword?: string | undefined } = {}): Promise<T> {
    const session = this.#store.load();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (session) headers[userTokenHeader] = session.token;
    if (options.currentPassword !== undefined) headers[userPasswordHeader] = options.currentPassword;
    let response: Response;
    try {
      response = await this.#fetch(this.#resolve(target), { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    } catch (cause) {
      throw Object.assign(new ProtocolError(0, [], undefined), { cause });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    if (!response.ok) {
      const error = toError(response.status, body, response.headers.get('Retry-After'));
      if (error instanceof InvalidTokenError) this.#endSession();
      throw error;
    }
    return body as T;
  }
}
