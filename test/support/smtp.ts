// A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what it receives, and can refuse or hold mails as a failing or hanging server would.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ReceivedMail } from './mailbox.ts';

/** accept: 250; refuse: a temporary 451 for every recipient; hold: takes the message and never answers. */
export type SmtpMode = 'accept' | 'refuse' | 'hold';

export interface SmtpServer {
  /** `smtp://user:password@127.0.0.1:<port>`, as SMTP_URL. */
  url: string;
  port: number;
  password: string;
  received: ReceivedMail[];
  /** Connections that authenticated with the right credentials. */
  logins: number;
  /** Messages taken in `hold` mode and never answered. */
  held: number;
  mode: SmtpMode;
  /** Resolves once `count` mails have been received, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpServer(options: { user?: string; password?: string; port?: number } = {}): Promise<SmtpServer> {
  const user = options.user ?? 'mailer';
  const password = options.password ?? `smtp secret ${Math.random().toString(36).slice(2)}`;
  const state = { mode: 'accept' as SmtpMode, logins: 0, held: 0 };
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    // No TLS on loopback; authentication over plain text is allowed for that reason only.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username !== user || auth.password !== password) return callback(new Error('Invalid username or password'));
      state.logins += 1;
      callback(null, { user });
    },
    onRcptTo(_address, _session, callback) {
      if (state.mode === 'refuse') return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        // Held: the client waits for an answer that never comes, as if the server hung after the data.
        if (state.mode === 'hold') {
          state.held += 1;
          return;
        }
        parseMail(Buffer.concat(chunks.map((chunk) => new Uint8Array(chunk))), 'smtp').then(
          (mail) => {
            received.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    port,
    password,
    received,
    get logins() {
      return state.logins;
    },
    get held() {
      return state.held;
    },
    get mode() {
      return state.mode;
    },
    set mode(mode: SmtpMode) {
      state.mode = mode;
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`${received.length} mails arrived within ${timeoutMs} ms, not ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
