// Mail through a real SMTP server on 127.0.0.1: what arrives, retries with backoff, mails given up and kept, never two copies from processes sharing a CouchDB.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/log.ts';
import { startCouchServer, type CouchServer } from '../support/couch-server.ts';
import { linkPath } from '../support/mailbox.ts';
import { startSmtpServer, type SmtpServer } from '../support/smtp.ts';
import { registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';

describe('mail/outbox over SMTP', function () {
  this.timeout(120_000);
  let smtp: SmtpServer;
  let t: TestApp;
  let logged: string;
  beforeEach(async () => {
    smtp = await startSmtpServer();
    logged = '';
  });
  afterEach(async () => {
    await t?.close();
    await smtp.close();
  });

  const start = async (env: Record<string, string> = {}) => {
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Adhocracy <noreply@example.org>', FRONTEND_URL: 'https://frontend.example.org/app', MAIL_RETRY_SECONDS: '60', ...env },
      log: createLogger((line) => (logged += line)),
    });
  };

  it('sends text and HTML from MAIL_FROM, with links below FRONTEND_URL, in the language the account registered with', async () => {
    await start({ ACCOUNT_ACTIVATION: 'mail' });
    await t.http.post('/principals/users').set('Accept-Language', 'fr;q=1, de-CH;q=0.9, en;q=0.5').send(registrationBody('Anna', 'anna@example.org')).expect(200);
    await t.app.services.outbox.deliverDue();
    await smtp.waitFor(1);
    const [mail] = smtp.received;
    assert.deepEqual(mail?.to, ['anna@example.org']);
    assert.equal(mail?.from, '"Adhocracy" <noreply@example.org>');
    assert.equal(mail?.subject, 'Aktivieren Sie Ihr Konto');
    assert.equal(mail?.header('content-language'), 'de');
    assert.match(mail?.text ?? '', /^Hallo Anna,/);
    assert.match(mail?.html ?? '', /<a href="https:\/\/frontend\.example\.org\/app\/activate\/0000000\.[A-Za-z0-9_-]{43}">/);
    assert.ok(smtp.logins >= 1, 'the server saw no login with the credentials of SMTP_URL');
    await t.http.post('/activate_account').send({ path: linkPath(mail as NonNullable<typeof mail>).replace('/app', '') }).expect(200);
    assert.match(logged, /"event":"mail_sent"/);
    assert.ok(!logged.includes(smtp.password) && !logged.includes(encodeURIComponent(smtp.password)), 'the SMTP password is in the log');
  });

  it('retries a refused mail with backoff, sends it once the server takes it, and logs each failure without the credentials', async () => {
    await start();
    await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
    smtp.mode = 'refuse';
    await t.http.post('/create_password_reset').send({ email: 'anna@example.org' }).expect(200);
    await t.app.services.outbox.deliverDue();
    assert.match(logged, /"event":"mail_failed".*"attempts":1.*"retry_at":"2026-01-01T00:01:00.000Z"/);
    smtp.mode = 'accept';
    await t.app.services.outbox.deliverDue();
    assert.equal(smtp.received.length, 0, 'sent before its retry was due');
    t.clock.advance(60_000);
    await t.app.services.outbox.deliverDue();
    await smtp.waitFor(1);
    assert.equal(smtp.received[0]?.subject, 'Reset your password');
    assert.deepEqual(await t.app.services.storage.listJobs('mail'), []);
    assert.ok(!logged.includes(smtp.password), 'the SMTP password is in the log');
  });

  it('gives up after MAIL_MAX_ATTEMPTS, logs it, and keeps the mail', async () => {
    await start({ MAIL_MAX_ATTEMPTS: '2' });
    await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
    smtp.mode = 'refuse';
    await t.http.post('/create_password_reset').send({ email: 'anna@example.org' }).expect(200);
    await t.app.services.outbox.deliverDue();
    t.clock.advance(60_000);
    await t.app.services.outbox.deliverDue();
    assert.match(logged, /"event":"mail_given_up".*"attempts":2/);
    const kept = await t.app.services.storage.listJobs('mail');
    assert.deepEqual(kept.map((job) => [job.parked, job.payload]), [[true, { kind: 'password-reset', email: 'anna@example.org' }]]);
    smtp.mode = 'accept';
    t.clock.advance(24 * 3600 * 1000);
    await t.app.services.outbox.deliverDue();
    assert.equal(smtp.received.length, 0);
  });
});

describe('mail/outbox shared by two processes on one CouchDB (pouchdb-server)', function () {
  this.timeout(300_000);
  const rounds = Number(process.env.OUTBOX_RACE_ROUNDS ?? 3);
  const mailsPerRound = 20;
  let couch: CouchServer;
  let smtp: SmtpServer;
  before(async () => {
    couch = await startCouchServer();
    smtp = await startSmtpServer();
  });
  after(async () => {
    await smtp?.close();
    await couch?.stop();
  });

  it(`sends each of ${mailsPerRound} mails exactly once while both look at the queue at once, over ${rounds} rounds`, async () => {
    const env = { SMTP_URL: smtp.url, RESET_REQUESTS_PER_ADDRESS: '100000', MAIL_POLL_SECONDS: '3600' };
    for (let round = 0; round < rounds; round += 1) {
      const database = `outbox-${randomUUID()}`;
      const first = await startTestApp({ env, couchUrl: couch.url, couchDatabase: database });
      const second = await startTestApp({ env, couchUrl: couch.url, couchDatabase: database });
      try {
        const before = smtp.received.length;
        const emails = Array.from({ length: mailsPerRound }, (_, index) => `user${round}-${index}@example.org`);
        for (const [index, email] of emails.entries()) {
          await (index % 2 ? first : second).http.post('/principals/users').send(registrationBody(`User ${round} ${index}`, email)).expect(200);
        }
        // Stored by both, then taken by both at the same moment, again and again.
        await Promise.all(emails.map((email, index) => (index % 2 ? second : first).http.post('/create_password_reset').send({ email }).expect(200)));
        await Promise.all([first, second].flatMap((app) => [app.app.services.outbox.deliverDue(), app.app.services.outbox.deliverDue()]));
        await smtp.waitFor(before + mailsPerRound);
        const arrived = smtp.received.slice(before);
        assert.deepEqual(arrived.flatMap((mail) => mail.to).sort(), [...emails].sort());
        assert.equal(new Set(arrived.map((mail) => mail.messageId)).size, mailsPerRound);
        assert.deepEqual(await first.app.services.storage.listJobs('mail'), []);
      } finally {
        await first.close();
        await second.close();
      }
    }
  });
});
