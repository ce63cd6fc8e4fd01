// The HTTP server around the app, with the timeouts and the answer to unparsable requests that every way of running it shares.
import http from 'node:http';
import type { RequestListener } from 'node:http';
import { answerClientError } from './rest/error-handler.ts';

/** `handler` may be given later (with server.on('request')), once the port it listens on is known. */
export function createHttpServer(requestTimeoutSeconds: number, handler?: RequestListener): http.Server {
  const requestTimeout = requestTimeoutSeconds * 1000;
  const options: http.ServerOptions = {
    // A client that sends its request slowly cannot hold a connection for ever. Node checks these
    // timeouts only every connectionsCheckingInterval (30 s by default), so check more often.
    requestTimeout,
    headersTimeout: Math.min(20_000, requestTimeout),
    connectionsCheckingInterval: Math.min(1_000, requestTimeout / 2),
    keepAliveTimeout: 5_000,
  };
  const server = handler ? http.createServer(options, handler) : http.createServer(options);
  // Those timeouts start with the first byte of a request; a connection that sends nothing, or stops
  // in between, is closed after the same time without activity.
  server.timeout = requestTimeout;
  // What node's parser refuses gets the error envelope too.
  server.on('clientError', answerClientError);
  return server;
}
