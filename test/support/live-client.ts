// A WebSocket client for tests of /websocket: messages queue up as they arrive and are taken one at a time, each wait bounded.
import { once } from 'node:events';
import WebSocket from 'ws';

export type Message = Record<string, unknown>;

export interface LiveClient {
  socket: WebSocket;
  /** Sends a value as one JSON text frame. */
  send(message: unknown): void;
  /** Sends a frame exactly as given. */
  sendRaw(data: string | Buffer, options?: { binary?: boolean }): void;
  /** The next message not taken yet, parsed. */
  next(timeoutMs?: number): Promise<Message>;
  /** The next `count` messages. */
  take(count: number, timeoutMs?: number): Promise<Message[]>;
  /** Messages that arrived and were not taken yet. */
  pending(): Message[];
  /** Resolves with the close code and reason once the connection is closed. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Opens a connection; rejects with the HTTP status when the server refuses the handshake. */
export async function connect(url: string, options: { headers?: Record<string, string>; autoPong?: boolean } = {}): Promise<LiveClient> {
  const socket = new WebSocket(url, { headers: options.headers ?? {}, autoPong: options.autoPong ?? true });
  const queue: Message[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data, isBinary) => {
    queue.push(isBinary ? { binary: true } : (JSON.parse(data.toString()) as Message));
    waiters.splice(0).forEach((wake) => wake());
  });
  const closed = once(socket, 'close').then(([code, reason]) => ({ code: code as number, reason: String(reason) }));
  closed.then(() => waiters.splice(0).forEach((wake) => wake()));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => reject(Object.assign(new Error(`refused with ${response.statusCode}: ${body}`), { status: response.statusCode, body })));
    });
    socket.once('error', reject);
  });
  let isClosed = false;
  void closed.then(() => (isClosed = true));

  async function next(timeoutMs = 10_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0) {
      if (isClosed) throw new Error('the connection closed before the next message came');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message came within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return queue.shift() as Message;
  }

  return {
    socket,
    send: (message) => socket.send(JSON.stringify(message)),
    sendRaw: (data, sendOptions) => socket.send(data, { binary: sendOptions?.binary ?? false }),
    next,
    async take(count, timeoutMs) {
      const messages: Message[] = [];
      for (let index = 0; index < count; index++) messages.push(await next(timeoutMs));
      return messages;
    },
    pending: () => [...queue],
    closed,
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
}
