// How a mail leaves: nodemailer over SMTP, or, without an SMTP server, the built message written as an .eml file to the outbox directory.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailContent, MailLanguage } from './templates.ts';

export interface OutgoingMail {
  to: string;
  content: MailContent;
  language: MailLanguage;
  /**
   * Stays the same when a mail is sent again after a failure or a crash, so that a receiver can tell a
   * second copy (one that reached the server just before the crash) from a new mail.
   */
  messageId: string;
  /** The Date header: the app's clock, which tests move. */
  date: Date;
}

export interface MailTransport {
  /** Sends one mail; resolves to where it went (a file name, or `smtp`); rejects when it could not. */
  send(mail: OutgoingMail, signal: AbortSignal): Promise<string>;
  close(): void;
}

/** Connection, greeting and socket timeouts: a server that stops answering fails the attempt, to be retried. */
const smtpTimeoutMs = 30_000;

export function createMailTransport(options: { smtpUrl: string | undefined; from: string; outboxDirectory: string }): MailTransport {
  const { smtpUrl, from, outboxDirectory } = options;
  if (smtpUrl) {
    const transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: smtpTimeoutMs,
      greetingTimeout: smtpTimeoutMs,
      socketTimeout: smtpTimeoutMs,
      // nodemailer logs nothing unless told; its debug output would carry the credentials.
      logger: false,
      debug: false,
    });
    return {
      async send(mail, signal) {
        await transport.sendMail({ ...message(mail, from), signal });
        return 'smtp';
      },
      close: () => transport.close(),
    };
  }
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let made: Promise<unknown> | undefined;
  return {
    async send(mail, signal) {
      const built = await builder.sendMail({ ...message(mail, from), signal });
      made ??= mkdir(outboxDirectory, { recursive: true });
      await made;
      // Named after the message id, and renamed into place whole: writing the same mail again replaces it.
      const file = `${mail.messageId.replace(/[^A-Za-z0-9.-]/g, '_')}.eml`;
      const partial = path.join(outboxDirectory, `.${file}.partial`);
      const bytes = built.message as Buffer;
      await writeFile(partial, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      await rename(partial, path.join(outboxDirectory, file));
      return file;
    },
    close: () => builder.close(),
  };
}

function message(mail: OutgoingMail, from: string) {
  return {
    from,
    to: mail.to,
    subject: mail.content.subject,
    text: mail.content.text,
    html: mail.content.html,
    messageId: `<${mail.messageId}>`,
    date: mail.date,
    headers: { 'Content-Language': mail.language, 'Auto-Submitted': 'auto-generated' },
  };
}
