// Serves a test app on a real port with the server settings of src/server.ts, WebSockets included, for raw sockets, live notifications and timing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientError } from '../../src/rest/error-handler.ts';
import type { TestApp } from '../support/test-app.ts';

export interface Listening {
  port: number;
  url: string;
  /** Where its WebSocket endpoint is. */
  wsUrl: string;
  close(): Promise<void>;
}

/** The same options and clientError listener as src/server.ts, so that raw requests meet what production has. */
export async function listenOn(t: TestApp): Promise<Listening> {
  const requestTimeout = t.app.services.config.requestTimeoutSeconds * 1000;
  const server = http.createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(20_000, requestTimeout),
      connectionsCheckingInterval: Math.min(1_000, requestTimeout / 2),
      keepAliveTimeout: 5_000,
    },
    t.app.express,
  );
  server.timeout = requestTimeout;
  server.on('clientError', answerClientError);
  t.app.acceptWebSockets(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/websocket`,
    async close() {
      // Upgraded connections are the server's too: it closes only once they are gone.
      await t.app.closeWebSockets();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
