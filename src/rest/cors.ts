// CORS: any configured origin may call the API; auth is a header, so no credentials are involved.
import type { RequestHandler } from 'express';
import { cachingModeHeader, requestIdHeader, retryAfterHeader, userPasswordHeader, userTokenHeader } from '../headers.ts';

const allowedMethods = 'GET, HEAD, OPTIONS, POST, PUT, DELETE';
const allowedHeaders = ['Content-Type', userTokenHeader, userPasswordHeader, requestIdHeader, 'If-None-Match'].join(', ');
// Beyond the headers a browser always lets scripts read: the request id for reports, the tag to revalidate
// with and its caching mode, and when to retry a 503.
const exposedHeaders = [requestIdHeader, 'ETag', cachingModeHeader, retryAfterHeader].join(', ');

export function createCors(origins: '*' | readonly string[]): RequestHandler {
  return (request, response, next) => {
    const origin = request.headers.origin;
    if (origin === undefined) return next();
    const allowed = origins === '*' || origins.includes(origin);
    if (allowed) {
      response.set('Access-Control-Allow-Origin', origins === '*' ? '*' : origin);
      response.set('Access-Control-Expose-Headers', exposedHeaders);
    }
    response.vary('Origin');
    const isPreflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!isPreflight) return next();
    if (allowed) {
      response.set('Access-Control-Allow-Methods', allowedMethods);
      response.set('Access-Control-Allow-Headers', allowedHeaders);
      response.set('Access-Control-Max-Age', '600');
    }
    response.status(204).end();
  };
}
