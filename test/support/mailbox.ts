// Reading the mails an app sent: the .eml files of its outbox directory, or messages an SMTP server received, parsed with mailparser.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';

export interface ReceivedMail {
  /** Where it was read from: the file name, or `smtp`. */
  source: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Every header, lower-case names, as mailparser reads them (structured ones as their text). */
  header(name: string): string | undefined;
}

export async function parseMail(raw: Buffer | string, source: string): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw);
  const addresses = (field: AddressObject | AddressObject[] | undefined) =>
    (Array.isArray(field) ? field : field ? [field] : []).flatMap((object) => object.value.map((entry) => entry.address ?? ''));
  return {
    source,
    to: addresses(parsed.to),
    from: parsed.from?.text ?? '',
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    messageId: parsed.messageId ?? '',
    header(name) {
      const value: unknown = parsed.headers.get(name.toLowerCase());
      if (value === undefined) return undefined;
      if (value instanceof Date) return value.toISOString();
      if (typeof value === 'object' && value !== null && 'text' in value) return String((value as { text: unknown }).text);
      if (typeof value === 'object' && value !== null && 'value' in value) return String((value as { value: unknown }).value);
      return String(value);
    },
  };
}

/** Every mail in an outbox directory, oldest first (the files are named after their jobs, which sort by when they were stored). */
export async function readOutbox(directory: string): Promise<ReceivedMail[]> {
  let files: string[];
  try {
    files = (await readdir(directory)).filter((file) => file.endsWith('.eml') && !file.startsWith('.')).sort();
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(files.map(async (file) => parseMail(await readFile(path.join(directory, file)), file)));
}

export function mailsTo(mails: readonly ReceivedMail[], address: string): ReceivedMail[] {
  return mails.filter((mail) => mail.to.some((to) => to.toLowerCase() === address.toLowerCase()));
}

/** The first link in a mail's text. */
export function firstLink(mail: ReceivedMail): string | undefined {
  return /https?:\/\/[^\s<>"]+/.exec(mail.text)?.[0];
}

/** The path of the first link, as the frontend posts it back: `/activate/<key>`. */
export function linkPath(mail: ReceivedMail): string {
  const link = firstLink(mail);
  if (!link) throw new Error(`the mail "${mail.subject}" has no link`);
  return new URL(link).pathname;
}
