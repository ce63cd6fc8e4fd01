// Serves a test app on a real port with the server settings of src/server.ts, WebSockets included, for raw sockets, live notifications and timing.
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../src/http-server.ts';
import type { TestApp } from '../support/test-app.ts';

export interface Listening {
  port: number;
  url: string;
  /** Where its WebSocket endpoint is. */
  wsUrl: string;
  close(): Promise<void>;
}

/** The same server as src/server.ts makes, so that raw requests meet what production has. */
export async function listenOn(t: TestApp): Promise<Listening> {
  const server = createHttpServer(t.app.services.config.requestTimeoutSeconds, t.app.express);
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
