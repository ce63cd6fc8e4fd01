// A test app served on a real port for WebSocket tests, with an admin logged in and helpers to open connections to it.
import { listenOn, type Listening } from '../hardening/listen.ts';
import { connect, type LiveClient } from './live-client.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.ts';

export interface LiveApp {
  t: TestApp;
  server: Listening;
  adminToken: string;
  adminPath: string;
  /** Opens a connection to /websocket; with a token, authenticates it first and takes the answer. */
  connect(token?: string, options?: Parameters<typeof connect>[1]): Promise<LiveClient>;
  close(): Promise<void>;
}

export const admin = { name: 'admin', email: 'admin@example.org', password: 'admin password' };

export async function startLiveApp(options: TestAppOptions = {}): Promise<LiveApp> {
  const t = await startTestApp({ ...options, env: { ADMIN_NAME: admin.name, ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, ...options.env } });
  const server = await listenOn(t);
  const login = await t.http.post('/login_username').send({ name: admin.name, password: admin.password }).expect(200);
  const opened: LiveClient[] = [];
  return {
    t,
    server,
    adminToken: login.body.user_token as string,
    adminPath: new URL(login.body.user_path as string).pathname,
    async connect(token, connectOptions) {
      const client = await connect(server.wsUrl, connectOptions);
      opened.push(client);
      if (token !== undefined) {
        client.send({ action: 'authenticate', token });
        const answer = await client.next();
        if (answer.status !== 'ok') throw new Error(`authentication failed: ${JSON.stringify(answer)}`);
      }
      return client;
    },
    async close() {
      await Promise.all(opened.map((client) => client.close().catch(() => undefined)));
      await server.close();
      await t.close();
    },
  };
}

export const url = (path: string) => `http://localhost:6541${path}`;
