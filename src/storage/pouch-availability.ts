// Whether the store answers: the HTTP adapter's connection failures become StorageUnavailableError, and each change between answering and not is reported once.
import type { Db } from './pouch-documents.ts';
import { StorageUnavailableError } from './storage.ts';

/**
 * What node reports when a connection cannot be made or breaks, as `code` (node-fetch passes it on so)
 * or as the code of the `cause` of node's own fetch's "fetch failed", beside undici's codes for a socket
 * that closed or timed out.
 */
const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
/** node-fetch's kinds of failure that mean no answer came: the network, or a timeout. */
const fetchFailureTypes = new Set(['system', 'request-timeout', 'body-timeout']);

/** A failure to reach the store, as opposed to an answer from it (a 404, a conflict, a refusal). */
export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { type, name } = error as { type?: unknown; name?: unknown };
  const code = codeOf(error);
  return (code !== undefined && connectionErrorCodes.has(code)) || (name === 'FetchError' && typeof type === 'string' && fetchFailureTypes.has(type));
}

/** The code of a failure, or of the failure node's fetch names as its cause (the first, for several addresses tried). */
function codeOf(error: object): string | undefined {
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  if (typeof cause !== 'object' || cause === null) return undefined;
  const { code: causeCode, errors } = cause as { code?: unknown; errors?: unknown };
  if (typeof causeCode === 'string') return causeCode;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  return typeof first === 'object' && first !== null && typeof (first as { code?: unknown }).code === 'string' ? (first as { code: string }).code : undefined;
}

/** The error's code (ECONNREFUSED), never its message, which may hold a URL. */
function describeFailure(error: unknown): string {
  const { type } = error as { type?: unknown };
  return codeOf(error as object) ?? (typeof type === 'string' ? type : 'no answer');
}

/** Told true when the store answers again after it did not, and false with the cause when it stops. */
export type AvailabilityListener = (answering: boolean, cause: string | undefined) => void;

export class Availability {
  private answering = true;
  private readonly listeners: AvailabilityListener[] = [];

  /** `where` names the store in messages: a path, or a URL without its credentials. */
  constructor(private readonly where: string) {}

  onChange(listener: AvailabilityListener): void {
    this.listeners.push(listener);
  }

  /** Notes that the store answered. */
  answered(): void {
    this.change(true, undefined);
  }

  /** The error to throw for a failed call: StorageUnavailableError when the store did not answer. */
  failed(error: unknown): unknown {
    if (!isConnectionFailure(error)) {
      this.answered();
      return error;
    }
    const cause = describeFailure(error);
    this.change(false, cause);
    return new StorageUnavailableError(`the database at ${this.where} does not answer (${cause})`, 'unreachable', { cause: error });
  }

  private change(answering: boolean, cause: string | undefined): void {
    if (this.answering === answering) return;
    this.answering = answering;
    for (const listener of this.listeners) listener(answering, cause);
  }
}

/** The calls that go to the server; `changes` is an event emitter and is watched by its follower. */
const watchedMethods = new Set<PropertyKey>(['get', 'put', 'post', 'remove', 'allDocs', 'bulkDocs', 'bulkGet', 'find', 'createIndex', 'info', 'query']);

/**
 * The database with each call to the server watched: its outcome tells whether the store answers, and a
 * failed connection rejects with StorageUnavailableError. The rest of the storage code is unaware of it.
 */
export function watchCalls(db: Db, availability: Availability): Db {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || !watchedMethods.has(property)) return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        const method = value as (...args: unknown[]) => Promise<unknown>;
        wrapper = (...args: unknown[]) =>
          method.apply(target, args).then(
            (result) => {
              availability.answered();
              return result;
            },
            (error: unknown) => {
              throw availability.failed(error);
            },
          );
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}
