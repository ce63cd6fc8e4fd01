// Live change notifications over WebSocket (docs/websockets.md): the hub that follows the store's changes, the endpoint, and the clock that ends expired sessions.
import type { Server } from 'node:http';
import type { Config } from '../config.ts';
import { Hub, type HubDeps } from './hub.ts';
import { receive } from './requests.ts';
import { createWebSocketEndpoint } from './websocket-server.ts';

/** How often the sessions of connections are looked at for expiry (each is asked again only once its time is up). */
const expiryCheckMs = 1_000;

export interface Live {
  accept(server: Server): void;
  /** Closes every connection with 1001. */
  closeConnections(): Promise<void>;
  /** Closes the connections and stops following the store. */
  close(): Promise<void>;
}

export function createLive(deps: Omit<HubDeps, 'policy'> & { config: Config }): Live {
  const { config } = deps;
  const hub = new Hub({ ...deps, policy: config.live });
  const endpoint = createWebSocketEndpoint({
    policy: config.live,
    maxPayloadBytes: config.bodyLimitBytes,
    corsOrigins: config.corsOrigins,
    opened: (connection) => hub.add(connection),
    received: (connection, text) => receive(hub, connection, text),
    closed: (connection) => hub.remove(connection),
  });
  const expiry = setInterval(() => {
    const now = deps.clock.now();
    for (const connection of hub.connections) {
      if (connection.session && connection.session.expiresAt <= now) connection.enqueue(() => hub.checkSession(connection));
    }
  }, expiryCheckMs);
  expiry.unref();
  let closing: Promise<void> | undefined;
  return {
    accept: (server) => endpoint.accept(server),
    closeConnections: () => endpoint.closeAll(),
    close() {
      closing ??= (async () => {
        clearInterval(expiry);
        await endpoint.closeAll();
        await hub.settled();
      })();
      return closing;
    },
  };
}
