// A test app listening on a free port of 127.0.0.1, with PUBLIC_URL its own address, for clients that speak real HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.ts';

export interface ListeningApp {
  test: TestApp;
  baseUrl: string;
  close(): Promise<void>;
}

async function findFreePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startListeningApp(options: TestAppOptions = {}): Promise<ListeningApp> {
  // The answers carry PUBLIC_URL, so it must be known before the app starts: a port free a moment ago.
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const test = await startTestApp({ ...options, env: { ...options.env, PUBLIC_URL: baseUrl } });
  const server: Server = createServer(test.app.express);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    test,
    baseUrl,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await test.close();
    },
  };
}
