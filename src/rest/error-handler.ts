// The one place errors become responses: the envelope of API.md, and no internals for anything unexpected.
import type { ErrorRequestHandler, Response } from 'express';
import { ApiError, type ErrorDetail } from '../errors.ts';
import { describeError, type Logger } from '../log.ts';
import { StorageUnavailableError } from '../storage/storage.ts';

export function sendError(response: Response, error: ApiError): void {
  response.status(error.status).set(error.headers).json({ status: 'error', errors: error.errors, ...error.extra });
}

/** body-parser's errors carry a `type`; each becomes a client error naming the body. */
function fromBodyParser(error: { type?: unknown; status?: unknown; limit?: unknown; message?: unknown }): ApiError | undefined {
  const detail = (description: string, code: string): ErrorDetail => ({ location: 'body', name: 'body', description, code });
  switch (error.type) {
    case 'entity.too.large':
      return new ApiError(413, [detail(`The body is larger than ${String(error.limit)} bytes`, 'too_large')]);
    case 'entity.parse.failed':
      return new ApiError(400, [detail(`The body is not valid JSON: ${String(error.message)}`, 'malformed_json')]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, [{ location: 'header', name: 'Content-Type', description: 'The body must be UTF-8 JSON', code: 'unsupported_charset' }]);
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ApiError(400, [detail('The body was incomplete', 'incomplete_body')]);
    default:
      if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
        return new ApiError(error.status, [detail('The body could not be read', 'unreadable_body')]);
      }
      return undefined;
  }
}

export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) return next(error);
    if (error instanceof ApiError) return sendError(response, error);
    const fromParser = typeof error === 'object' && error !== null ? fromBodyParser(error) : undefined;
    if (fromParser) return sendError(response, fromParser);
    const requestId = response.getHeader('X-Request-Id');
    if (error instanceof StorageUnavailableError) {
      log.error('storage_unavailable', { request_id: requestId, ...describeError(error) });
      return sendError(response, new ApiError(503, [{ location: 'internal', name: 'storage', description: 'The database is not available', code: 'unavailable' }], {}, { 'Retry-After': '5' }));
    }
    log.error('internal_error', { request_id: requestId, method: request.method, path: request.path, ...describeError(error) });
    sendError(response, new ApiError(500, [{ location: 'internal', name: 'server', description: 'Internal server error', code: 'internal' }]));
  };
}
