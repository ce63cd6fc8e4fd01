// Request ids and one JSON log line per request: method, path, status, time, who asked (never a secret), and an error's code.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../log.ts';
import { requestIdHeader } from '../headers.ts';

const acceptableRequestId = /^[A-Za-z0-9._-]{1,64}$/;

export function createRequestLog(log: Logger, now: () => number = () => performance.now()): RequestHandler {
  return (request, response, next) => {
    const given = request.get(requestIdHeader);
    const requestId = given !== undefined && acceptableRequestId.test(given) ? given : randomUUID();
    response.setHeader(requestIdHeader, requestId);
    const started = now();
    response.on('finish', () => {
      log.info('request', {
        request_id: requestId,
        method: request.method,
        path: request.path,
        status: response.statusCode,
        ms: Math.round((now() - started) * 10) / 10,
        account: response.locals.account as string | undefined,
        code: response.locals.errorCode as string | undefined,
        service: response.locals.service as string | undefined,
      });
    });
    next();
  };
}
