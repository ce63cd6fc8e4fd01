// The one place errors become responses: the envelope of API.md, and no internals for anything unexpected.
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, Response } from 'express';
import { ApiError, type ErrorDetail } from '../errors.ts';
import { forbidStoring } from './caching.ts';
import { describeError, type Logger } from '../log.ts';
import { StorageUnavailableError } from '../storage/storage.ts';
import { requestIdHeader } from '../headers.ts';

export function sendError(response: Response, error: ApiError): void {
  forbidStoring(response);
  // The request's log line names what went wrong by its stable code.
  response.locals.errorCode = error.errors[0]?.code;
  response.status(error.status).set(error.headers).json({ status: 'error', errors: error.errors, ...error.extra });
}

/** Errors of express and of middleware (http-errors) that blame the request keep their 4xx status. */
function fromHttpError(error: { status?: unknown; statusCode?: unknown }): ApiError | undefined {
  const status = error.status ?? error.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  return new ApiError(status, [{ location: 'url', name: 'request', description: 'The request could not be read', code: 'bad_request' }]);
}

const storageUnavailable = new ApiError(
  503,
  [{ location: 'internal', name: 'storage', description: 'The database is not available; try again later', code: 'storage_unavailable' }],
  {},
  { 'Retry-After': '5' },
);

export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) return next(error);
    // An answer given before the body was read (a 404, a 413 on a declared length) ends the connection,
    // so that the server does not go on reading, and discarding, whatever the client still sends.
    if (!request.complete) response.set('Connection', 'close');
    if (error instanceof ApiError) return sendError(response, error);
    const fromHttp = typeof error === 'object' && error !== null ? fromHttpError(error) : undefined;
    if (fromHttp) return sendError(response, fromHttp);
    // The storage reports an outage once when it starts and once when it ends, not with every request.
    if (error instanceof StorageUnavailableError) return sendError(response, storageUnavailable);
    const requestId = response.getHeader(requestIdHeader);
    log.error('internal_error', { request_id: requestId, method: request.method, path: request.path, ...describeError(error) });
    sendError(response, new ApiError(500, [{ location: 'internal', name: 'server', description: 'Internal server error', code: 'internal' }]));
  };
}

/** What node's HTTP parser reports, as the status and the envelope entry of the answer. */
function describeClientError(code: string | undefined): { status: number; reason: string; detail: ErrorDetail } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        detail: { location: 'header', name: 'headers', description: 'The request line and headers are too large', code: 'headers_too_large' },
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        detail: { location: 'internal', name: 'request', description: 'The request did not arrive in time', code: 'timeout' },
      };
    case 'HPE_INVALID_URL':
      return { status: 400, reason: 'Bad Request', detail: { location: 'url', name: 'path', description: 'The request target is not valid', code: 'malformed_request' } };
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_INVALID_EOF_STATE':
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 400, reason: 'Bad Request', detail: { location: 'body', name: 'body', description: 'The body is not framed correctly', code: 'malformed_request' } };
    default:
      return {
        status: 400,
        reason: 'Bad Request',
        detail: { location: 'header', name: 'request', description: 'The request line or headers are not valid HTTP/1.1', code: 'malformed_request' },
      };
  }
}

/**
 * The server's `clientError` listener: what node's HTTP parser refuses (CR or LF inside a header value,
 * oversized headers, bad framing, a request that took too long) is answered in the envelope too, instead
 * of node's bare `400 Bad Request`. Like node's own handler, it writes nothing once an answer has begun.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // `_httpMessage` is the response in progress on this socket, if any; node's default handler checks it too.
  const inProgress = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code !== 'ECONNRESET' && socket.writable && !inProgress?.headersSent) {
    const { status, reason, detail } = describeClientError(error.code);
    const body = JSON.stringify({ status: 'error', errors: [detail] });
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
