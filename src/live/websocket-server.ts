// /websocket on an http server: the handshake with its refusals (path, token in the URL, origin, connections per address), heartbeats, and closing everything at shutdown.
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ErrorDetail } from '../errors.ts';
import type { LivePolicy } from '../config.ts';
import { Connection } from './connection.ts';

export const websocketPath = '/websocket';
/** How long connections get to answer the closing handshake at shutdown before they are cut. */
const closeGraceMs = 1_000;

export interface WebSocketEndpointOptions {
  policy: LivePolicy;
  /** The largest frame a client may send; a larger one closes the connection with 1009. */
  maxPayloadBytes: number;
  corsOrigins: '*' | readonly string[];
  opened(connection: Connection): void;
  received(connection: Connection, text: string | undefined): void;
  closed(connection: Connection): void;
}

export interface WebSocketEndpoint {
  /** Answers the WebSocket handshakes that reach an http server. */
  accept(server: Server): void;
  /** Closes every connection with 1001; resolves once they are closed. */
  closeAll(): Promise<void>;
}

/** Refuses a handshake with an HTTP answer in the error envelope, and closes the socket. */
function refuse(socket: Duplex, status: number, detail: ErrorDetail): void {
  const body = JSON.stringify({ status: 'error', errors: [detail] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A text frame as ws hands it over (a Buffer, unless told otherwise), as a string. */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data as unknown as readonly Uint8Array[]).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

export function createWebSocketEndpoint(options: WebSocketEndpointOptions): WebSocketEndpoint {
  const { policy } = options;
  // ws checks that text frames are UTF-8, and closes with 1007 where they are not.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, perMessageDeflate: false, clientTracking: false });
  const sockets = new Map<WebSocket, { connection: Connection; alive: boolean }>();
  const perAddress = new Map<string, number>();
  const servers: { server: Server; listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void }[] = [];

  function handshake(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = new URL(request.url ?? '/', 'http://localhost');
    if (target.pathname !== websocketPath) {
      refuse(socket, 404, { location: 'url', name: 'path', description: `WebSockets are served at ${websocketPath} only`, code: 'not_found' });
      return;
    }
    if (target.search !== '') {
      refuse(socket, 400, { location: 'querystring', name: target.searchParams.keys().next().value ?? '', description: 'Send no query: a token goes in an authenticate message, never in the URL', code: 'invalid' });
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && options.corsOrigins !== '*' && !options.corsOrigins.includes(origin)) {
      refuse(socket, 403, { location: 'header', name: 'Origin', description: 'This origin may not connect', code: 'forbidden' });
      return;
    }
    const address = request.socket.remoteAddress ?? 'unknown';
    const open = perAddress.get(address) ?? 0;
    if (open >= policy.maxConnectionsPerAddress) {
      refuse(socket, 429, { location: 'internal', name: 'address', description: `At most ${policy.maxConnectionsPerAddress} connections from one address`, code: 'too_many_connections' });
      return;
    }
    // Counted from the handshake on, so that handshakes under way count too.
    perAddress.set(address, open + 1);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
    wss.handleUpgrade(request, socket, head, (ws) => start(ws, address));
  }

  function start(ws: WebSocket, address: string): void {
    const connection = new Connection(
      {
        send: (text) => ws.send(text),
        close: (code, reason) => ws.close(code, reason),
        get bufferedAmount() {
          return ws.bufferedAmount;
        },
        pause: () => ws.pause(),
        resume: () => ws.resume(),
      },
      address,
      policy.maxBufferedBytes,
    );
    sockets.set(ws, { connection, alive: true });
    options.opened(connection);
    ws.on('message', (data, isBinary) => options.received(connection, isBinary ? undefined : textOf(data)));
    ws.on('pong', () => {
      const entry = sockets.get(ws);
      if (entry) entry.alive = true;
    });
    // ws reports protocol errors of the client (a frame too large, bad UTF-8) and then closes.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      sockets.delete(ws);
      connection.ended();
      options.closed(connection);
    });
  }

  // A peer that has not answered the last ping by the next one is gone, whatever TCP believes.
  const heartbeat = setInterval(() => {
    for (const [ws, entry] of sockets) {
      if (!entry.alive) {
        ws.terminate();
        continue;
      }
      entry.alive = false;
      ws.ping();
    }
  }, policy.heartbeatSeconds * 1000);
  heartbeat.unref();

  return {
    accept(server) {
      server.on('upgrade', handshake);
      servers.push({ server, listener: handshake });
    },
    async closeAll() {
      clearInterval(heartbeat);
      for (const { server, listener } of servers.splice(0)) server.off('upgrade', listener);
      const open = [...sockets.keys()];
      const closed = Promise.all(open.map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve())))));
      for (const ws of open) ws.close(1001, 'The server is shutting down');
      const cut = setTimeout(() => open.forEach((ws) => ws.terminate()), closeGraceMs);
      await closed;
      clearTimeout(cut);
    },
  };
}
