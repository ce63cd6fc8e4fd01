// The real server killed between storing a mail and sending it, and while sending it: after a restart the mail arrives, once.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSmtpServer, type SmtpServer } from '../support/smtp.ts';
import { registrationBody } from '../support/test-app.ts';
import { freePort, removeDataDir, startServer, type ServerProcess } from './server-process.ts';

async function post(server: ServerProcess, target: string, body: unknown): Promise<number> {
  const response = await fetch(`${server.url}${target}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('hardening/mail through a crash', function () {
  this.timeout(120_000);
  let dataDir: string;
  let server: ServerProcess | undefined;
  let smtp: SmtpServer | undefined;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mail-crash-'));
  });
  afterEach(async () => {
    await server?.stop('SIGKILL');
    await smtp?.close();
    await removeDataDir(dataDir);
  });

  const env = (smtpUrl: string) => ({ DATA_DIR: dataDir, SMTP_URL: smtpUrl, MAIL_RETRY_SECONDS: '1', MAIL_POLL_SECONDS: '1', MAIL_LEASE_SECONDS: '2' });

  it('sends after a restart a mail that was stored, not sent, when the process was killed', async () => {
    // Nothing listens on the SMTP port yet: the first attempt fails and the mail waits in the store.
    const smtpPort = await freePort();
    const smtpUrl = `smtp://mailer:secret@127.0.0.1:${smtpPort}`;
    const port = await freePort();
    server = await startServer(port, env(smtpUrl));
    assert.equal(await post(server, '/principals/users', registrationBody('Anna', 'anna@example.org')), 200);
    assert.equal(await post(server, '/create_password_reset', { email: 'anna@example.org' }), 200);
    await server.stop('SIGKILL');

    smtp = await startSmtpServer({ port: smtpPort, user: 'mailer', password: 'secret' });
    server = await startServer(port, env(smtpUrl));
    await smtp.waitFor(1);
    // Time for a second copy to show up, were one to be sent.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.deepEqual(smtp.received.map((mail) => [mail.to, mail.subject]), [[['anna@example.org'], 'Reset your password']]);
    assert.ok(!server.output().includes('secret'), 'the SMTP password is in the log');
  });

  it('sends again, once, a mail whose sending was cut off by the kill', async () => {
    smtp = await startSmtpServer();
    smtp.mode = 'hold';
    const port = await freePort();
    server = await startServer(port, env(smtp.url));
    assert.equal(await post(server, '/principals/users', registrationBody('Anna', 'anna@example.org')), 200);
    assert.equal(await post(server, '/create_password_reset', { email: 'anna@example.org' }), 200);
    // The message went over the wire; the server never said it took it.
    await waitUntil(() => smtp?.held === 1, 'the message reaching the SMTP server');
    await server.stop('SIGKILL');

    smtp.mode = 'accept';
    server = await startServer(port, env(smtp.url));
    // Taken again once the killed process's lease has run out.
    await smtp.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(smtp.received.length, 1);
    assert.equal(smtp.received[0]?.subject, 'Reset your password');
  });
});
