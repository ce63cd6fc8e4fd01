// A raw HTTP/1.1 client on a socket, for what node's own client refuses to send: CR/LF in headers, lying lengths, invalid bytes.
import net from 'node:net';

/** Buffer and Uint8Array disagree in these type definitions, though every Buffer is one. */
export function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export interface RawAnswer {
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawExchange {
  /** Every complete answer the server sent, in order (more than one only for pipelined requests). */
  answers: RawAnswer[];
  /** Bytes the server sent that did not form a complete answer. */
  leftover: Buffer;
  /** Milliseconds from connecting until the server closed the connection (or we gave up). */
  ms: number;
  /** True when we gave up waiting before the server closed the connection. */
  timedOut: boolean;
  /** True when we ended our side first (asked to, or because the server kept waiting). */
  halfClosed: boolean;
}

export interface RawOptions {
  /** Half-close our side after writing, for requests that deliberately end early. */
  endAfterWrite?: boolean;
  /** Give up after this long without the server closing the connection. */
  timeoutMs?: number;
  /** End our side after this long without the server closing, as a client that has nothing more to send. */
  halfCloseAfterMs?: number;
  /** The request method, so that a HEAD answer is read without a body. */
  method?: string;
}

/** Writes `request` as it is and collects what comes back until the server closes the connection. */
export function sendRaw(port: number, request: Uint8Array | string, options: RawOptions = {}): Promise<RawExchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const chunks: Uint8Array[] = [];
    let settled = false;
    let halfClosed = false;
    const halfClose = () => {
      halfClosed = true;
      socket.end();
    };
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(patience);
      socket.destroy();
      resolve({ ...parseAnswers(Buffer.concat(chunks), options.method), ms: performance.now() - started, timedOut, halfClosed });
    };
    const timer = setTimeout(() => finish(true), options.timeoutMs ?? 10_000);
    const patience = options.halfCloseAfterMs === undefined ? undefined : setTimeout(halfClose, options.halfCloseAfterMs);
    socket.on('data', (chunk: Buffer) => chunks.push(bytesOf(chunk)));
    // A reset after the answer (the server closed while we were still sending) still leaves the answer readable.
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    socket.write(request, () => {
      if (options.endAfterWrite) halfClose();
    });
  });
}

/** Splits a byte stream into answers: status line, headers, then a body framed by Content-Length or chunks. */
export function parseAnswers(bytes: Buffer, method?: string): { answers: RawAnswer[]; leftover: Buffer } {
  const answers: RawAnswer[] = [];
  let rest = bytes;
  while (rest.length > 0) {
    const headerEnd = rest.indexOf('\r\n\r\n');
    if (headerEnd < 0) break;
    const [statusLine = '', ...headerLines] = rest.subarray(0, headerEnd).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (!status) break;
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let afterHeaders = rest.subarray(headerEnd + 4);
    let body: Buffer;
    const code = Number(status[1]);
    // An interim answer (100 Continue) has no body, and the real one follows.
    if (code < 200) {
      rest = afterHeaders;
      continue;
    }
    if (method === 'HEAD' || code === 204 || code === 304) {
      body = Buffer.alloc(0);
    } else if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      const decoded = decodeChunked(afterHeaders);
      if (!decoded) break;
      body = decoded.body;
      afterHeaders = decoded.rest;
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (afterHeaders.length < length) break;
      body = afterHeaders.subarray(0, length);
      afterHeaders = afterHeaders.subarray(length);
    } else {
      body = afterHeaders;
      afterHeaders = Buffer.alloc(0);
    }
    answers.push({ status: code, headers, body });
    rest = afterHeaders;
  }
  return { answers, leftover: rest };
}

function decodeChunked(bytes: Buffer): { body: Buffer; rest: Buffer } | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    offset = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = bytes.indexOf('\r\n', offset);
      if (trailerEnd < 0) return undefined;
      return { body: Buffer.concat(parts.map(bytesOf)), rest: bytes.subarray(trailerEnd + 2) };
    }
    if (bytes.length < offset + size + 2) return undefined;
    parts.push(bytes.subarray(offset, offset + size));
    offset += size + 2;
  }
}

export interface RawRequestParts {
  method: string;
  target: string;
  /** Name and value pairs written as given, so that a value may hold CR, LF or any byte. */
  headers: readonly (readonly [string, string | Buffer])[];
  body?: Buffer;
  /** Content-Length: computed from the body unless a number (possibly a lie) or `none` is given. */
  contentLength?: number | 'none';
}

/** Serializes a request, with `Connection: close` so that the server closes after answering it. */
export function buildRawRequest(parts: RawRequestParts): Uint8Array {
  const lines: Buffer[] = [Buffer.from(`${parts.method} ${parts.target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`, 'latin1')];
  for (const [name, value] of parts.headers) {
    lines.push(Buffer.from(`${name}: `, 'latin1'), typeof value === 'string' ? Buffer.from(value, 'latin1') : value, Buffer.from('\r\n'));
  }
  const body = parts.body ?? Buffer.alloc(0);
  const length = parts.contentLength ?? (parts.body === undefined ? 'none' : body.length);
  if (length !== 'none') lines.push(Buffer.from(`Content-Length: ${length}\r\n`));
  lines.push(Buffer.from('\r\n'), body);
  return bytesOf(Buffer.concat(lines.map(bytesOf)));
}
