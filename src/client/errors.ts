// What the client throws when the API answers an error: AdhocracyError, subclassed per error code in generated.ts.

/** One entry of the error envelope: where, what, why, and a stable code. */
export interface ErrorDetail {
  location: 'body' | 'querystring' | 'header' | 'url' | 'internal';
  name: string;
  description: string;
  code?: string;
}

/** An answer of the API other than success, with every error it listed; `instanceof` a subclass tells the code of the first. */
export class AdhocracyError extends Error {
  override name = 'AdhocracyError';
  constructor(
    readonly status: number,
    readonly errors: readonly ErrorDetail[],
    /** The whole answer, for the members some errors add (`reason` of a 410, a batch's `responses`). */
    readonly body: unknown,
    /** Seconds to wait before trying again, from Retry-After (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(errors.length > 0 ? errors.map((error) => `${error.location} ${error.name}: ${error.description}`).join('; ') : `HTTP ${status}`);
  }

  /** The code of the first error: what most callers decide on. */
  get code(): string | undefined {
    return this.errors[0]?.code;
  }
}

/** An answer that is not the API's JSON at all (a proxy's error page), or no answer. */
export class ProtocolError extends AdhocracyError {
  override name = 'ProtocolError';
}
