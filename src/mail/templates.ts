// Mail texts from the templates folder, in every language offered, text and HTML; checked complete at start-up.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const mailLanguages = ['en', 'de'] as const;
export type MailLanguage = (typeof mailLanguages)[number];
export const defaultLanguage: MailLanguage = 'en';

export const templatesDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');

/** What a mail says: its subject, and its body as plain text and as HTML. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailTemplates {
  /** Fills in `{{name}}` placeholders; values are escaped in the HTML part. A placeholder without a value is a mistake. */
  render(kind: string, language: MailLanguage, values: Readonly<Record<string, string>>): MailContent;
}

interface Template {
  subject: string;
  text: string;
  html: string;
}

/**
 * Reads `<kind>.<language>.txt` (a `Subject:` line, an empty line, the text) and `<kind>.<language>.html`
 * for every kind found, and refuses to start when a kind lacks a language or a format.
 */
export function loadMailTemplates(directory = templatesDirectory): MailTemplates {
  const files = readdirSync(directory).filter((file) => /^[a-z-]+\.[a-z]{2}\.(txt|html)$/.test(file));
  const kinds = new Set(files.map((file) => file.split('.')[0] as string));
  const templates = new Map<string, Template>();
  const missing: string[] = [];
  for (const kind of kinds) {
    for (const language of mailLanguages) {
      const text = readIfThere(directory, `${kind}.${language}.txt`);
      const html = readIfThere(directory, `${kind}.${language}.html`);
      if (text === undefined || html === undefined) {
        missing.push(`${kind}.${language}.${text === undefined ? 'txt' : 'html'}`);
        continue;
      }
      const match = /^Subject: (.+)\r?\n\r?\n([\s\S]*)$/.exec(text);
      if (!match) throw new Error(`${kind}.${language}.txt must start with a "Subject: ..." line and an empty line`);
      templates.set(`${kind}.${language}`, { subject: match[1] as string, text: match[2] as string, html });
    }
  }
  if (missing.length > 0) throw new Error(`mail templates missing in ${directory}: ${missing.join(', ')}`);

  return {
    render(kind, language, values) {
      const template = templates.get(`${kind}.${language}`);
      if (!template) throw new Error(`there is no mail template ${kind}`);
      return {
        subject: fill(template.subject, values, (value) => value.replace(/[\r\n]+/g, ' ')),
        text: fill(template.text, values, (value) => value),
        html: fill(template.html, values, escapeHtml),
      };
    },
  };
}

/** The best of the offered languages by an Accept-Language header's weights; English when none fits. */
export function chooseLanguage(acceptLanguage: string | undefined): MailLanguage {
  let best: { language: MailLanguage; weight: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',').slice(0, 50)) {
    const [range = '', ...parameters] = part.trim().split(';');
    const primary = range.trim().toLowerCase().split('-')[0];
    const language = mailLanguages.find((offered) => offered === primary);
    if (!language) continue;
    const quality = parameters.map((parameter) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
    const weight = quality === undefined ? 1 : Number(quality);
    if (weight > 0 && (!best || weight > best.weight)) best = { language, weight };
  }
  return best?.language ?? defaultLanguage;
}

export function isMailLanguage(value: unknown): value is MailLanguage {
  return typeof value === 'string' && (mailLanguages as readonly string[]).includes(value);
}

function readIfThere(directory: string, file: string): string | undefined {
  try {
    return readFileSync(path.join(directory, file), 'utf8');
  } catch {
    return undefined;
  }
}

function fill(template: string, values: Readonly<Record<string, string>>, escape: (value: string) => string): string {
  return template.replace(/\{\{([a-z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the mail template needs a value for {{${name}}}`);
    return escape(value);
  });
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
