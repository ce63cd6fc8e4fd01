// Requests from a chosen loopback address (127.0.0.2, 127.0.0.3, ...), so that tests can tell clients apart by address as the server does.
import http from 'node:http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { status?: string; errors?: { location: string; name: string; description: string; code?: string }[]; [member: string]: unknown };
}

/** Sends a JSON request to a listening server from `address`; the server sees it as the client's address. */
export function requestFrom(
  url: string,
  address: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const target = new URL(path, url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        localAddress: address,
        agent: false,
        headers: { ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }), ...options.headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text ? JSON.parse(text) : {} });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** A client at one address: login by name, and any request. */
export function clientAt(url: string, address: string) {
  return {
    address,
    logIn: (name: string, password: string) => requestFrom(url, address, 'POST', '/login_username', { body: { name, password } }),
    send: (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => requestFrom(url, address, method, path, options),
  };
}
