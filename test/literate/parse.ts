// Reads a literate spec (Markdown) into the steps to execute, each with the line it came from.
import { parsePattern, PatternSyntaxError, type Pattern } from './expect.ts';

export interface Header {
  name: string;
  value: string;
  line: number;
}

export interface ResponseExpectation {
  /** The line of the `http-response` block's opening fence. */
  line: number;
  status: number;
  headers: Header[];
  /** Undefined when the block gives no body: the body is then not checked. */
  body: Pattern | undefined;
}

export interface RequestStep {
  kind: 'request';
  /** The line of the `http` block's opening fence. */
  line: number;
  method: Method;
  /** The path with its query string, `{{name}}` not yet substituted. */
  target: string;
  headers: Header[];
  /** Sent as written, after substitution. */
  body: string | undefined;
  response: ResponseExpectation;
}

export interface ClockStep {
  kind: 'clock';
  line: number;
  milliseconds: number;
  /** `sweep`: run at this point what the server runs every SESSION_SWEEP_SECONDS. */
  sweep?: boolean;
}

/** Settings of the app a spec runs against, as environment variables of the server; before any request. */
export interface ServerStep {
  kind: 'server';
  line: number;
  env: Record<string, string>;
}

/**
 * What the mails sent so far to one address must be: `To` names the address, `Count` how many there
 * are, every other header the newest one's (with `Link` and `Link-Path` for its first link), and the
 * body, if given, its text.
 */
export interface MailStep {
  kind: 'mail';
  line: number;
  to: string;
  headers: Header[];
  /** The text part as expected, with `...`; undefined when not checked. */
  body: { text: string; line: number } | undefined;
}

export type Step = RequestStep | ClockStep | ServerStep | MailStep;

export const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type Method = (typeof methods)[number];

/** Any mistake in a spec file or failure of one; the message starts with `file:line:` like a compiler's. */
export class SpecError extends Error {
  override name = 'SpecError';
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    // A JavaScript stack says nothing about a spec: the file and line in the message are the location.
    this.stack = `${this.name}: ${this.message}`;
  }
}

export interface Fence {
  info: string;
  /** 1-based line of the opening fence; content line i is at line + 1 + i. */
  line: number;
  content: string[];
}

const openingFence = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;

/** Fenced blocks as CommonMark reads them: a fence closes only with the same character, at least as long. */
export function readFences(markdown: string, file: string): Fence[] {
  const lines = markdown.split(/\r?\n/);
  const fences: Fence[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = openingFence.exec(lines[index] ?? '');
    if (!opening) continue;
    const indent = opening[1]?.length ?? 0;
    const marker = opening[2] ?? '```';
    const closing = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    const start = index;
    const content: string[] = [];
    for (index++; index < lines.length && !closing.test(lines[index] ?? ''); index++) {
      // Content of a fence indented inside a list loses that indentation, as in CommonMark.
      content.push((lines[index] ?? '').replace(new RegExp(`^ {0,${indent}}`), ''));
    }
    if (index >= lines.length) throw new SpecError(file, start + 1, `the code block opened here is never closed (close it with ${marker})`);
    fences.push({ info: opening[3] ?? '', line: start + 1, content });
  }
  return fences;
}

/** Pairs each `http` block with the one `http-response` block after it; other fences are illustration. */
export function parseSpec(markdown: string, file: string): Step[] {
  const steps: Step[] = [];
  let pending: Fence | undefined;
  const requirePendingAnswered = (next: Fence) => {
    if (pending) {
      throw new SpecError(file, pending.line, `the request has no http-response block before the ${next.info} block at line ${next.line}`);
    }
  };
  for (const fence of readFences(markdown, file)) {
    switch (fence.info) {
      case 'http':
        requirePendingAnswered(fence);
        pending = fence;
        break;
      case 'http-response':
        if (!pending) throw new SpecError(file, fence.line, 'an http-response block must follow an http request block (one response per request)');
        steps.push({ ...parseRequest(pending, file), response: parseResponse(fence, file) });
        pending = undefined;
        break;
      case 'clock':
        requirePendingAnswered(fence);
        steps.push(...parseClock(fence, file));
        break;
      case 'mail':
        requirePendingAnswered(fence);
        steps.push(parseMail(fence, file));
        break;
      case 'server':
        if (steps.some((step) => step.kind !== 'server') || pending) {
          throw new SpecError(file, fence.line, 'a server block must come before the first request or clock block');
        }
        steps.push(parseServer(fence, file));
        break;
    }
  }
  if (pending) throw new SpecError(file, pending.line, 'the request has no http-response block after it');
  return steps;
}

const requestLine = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/[\d.]+)?\s*$/;
const headerLine = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*?)\s*$/;

function parseRequest(fence: Fence, file: string): Omit<RequestStep, 'response'> {
  const [first, ...rest] = fence.content;
  const match = requestLine.exec(first?.trim() ?? '');
  if (!match) throw new SpecError(file, fence.line + 1, `expected a request line like \`GET /path\`, found ${JSON.stringify(first ?? '')}`);
  const method = methods.find((known) => known === match[1]);
  if (!method) throw new SpecError(file, fence.line + 1, `unknown method ${match[1]} (known: ${methods.join(', ')})`);
  const { headers, body } = splitHeadersAndBody(rest, fence.line + 2, file);
  return { kind: 'request', line: fence.line, method, target: match[2] ?? '', headers, body: body?.text };
}

const statusLine = /^(\d{3})(?:\s+\S.*)?$/;

function parseResponse(fence: Fence, file: string): ResponseExpectation {
  const [first, ...rest] = fence.content;
  const match = statusLine.exec(first?.trim() ?? '');
  if (!match) throw new SpecError(file, fence.line + 1, `expected a status code like \`200\`, found ${JSON.stringify(first ?? '')}`);
  const { headers, body } = splitHeadersAndBody(rest, fence.line + 2, file);
  let pattern: Pattern | undefined;
  if (body) {
    try {
      pattern = parsePattern(body.text);
    } catch (error) {
      if (!(error instanceof PatternSyntaxError)) throw error;
      throw new SpecError(file, body.line + error.line - 1, `${error.message} (column ${error.column} of the expected body)`);
    }
  }
  return { line: fence.line, status: Number(match[1]), headers, body: pattern };
}

/** Header lines up to the first empty line; the rest, trimmed of blank edges, is the body. */
function splitHeadersAndBody(lines: string[], firstLine: number, file: string): { headers: Header[]; body: { text: string; line: number } | undefined } {
  const headers: Header[] = [];
  let index = 0;
  for (; index < lines.length; index++) {
    const text = lines[index] ?? '';
    if (text.trim() === '') break;
    const header = headerLine.exec(text);
    if (!header) {
      throw new SpecError(file, firstLine + index, `expected a header \`Name: value\` or an empty line before the body, found ${JSON.stringify(text)}`);
    }
    headers.push({ name: header[1] ?? '', value: header[2] ?? '', line: firstLine + index });
  }
  const bodyLines = lines.slice(index + 1);
  const start = bodyLines.findIndex((line) => line.trim() !== '');
  if (start === -1) return { headers, body: undefined };
  const end = bodyLines.length - [...bodyLines].reverse().findIndex((line) => line.trim() !== '');
  return { headers, body: { text: bodyLines.slice(start, end).join('\n'), line: firstLine + index + 1 + start } };
}

function parseMail(fence: Fence, file: string): MailStep {
  const { headers, body } = splitHeadersAndBody(fence.content, fence.line + 1, file);
  const to = headers.find((header) => header.name.toLowerCase() === 'to');
  if (!to) throw new SpecError(file, fence.line, 'a mail block needs a `To:` line naming the address whose mails it checks');
  return { kind: 'mail', line: fence.line, to: to.value, headers: headers.filter((header) => header !== to), body };
}

const millisecondsPer: Readonly<Record<string, number>> = {
  millisecond: 1,
  second: 1000,
  minute: 60 * 1000,
  hour: 60 * 60 * 1000,
  day: 24 * 60 * 60 * 1000,
  week: 7 * 24 * 60 * 60 * 1000,
};

/** `advance 3 hours`, `advance 59 minutes 59 seconds`: one step per line. */
function parseServer(fence: Fence, file: string): ServerStep {
  const env: Record<string, string> = {};
  for (const [index, text] of fence.content.entries()) {
    if (text.trim() === '') continue;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(text.trim());
    if (!match) throw new SpecError(file, fence.line + 1 + index, `expected a setting like \`ADMIN_NAME=admin\`, found ${JSON.stringify(text.trim())}`);
    env[match[1] as string] = match[2] as string;
  }
  return { kind: 'server', line: fence.line, env };
}

function parseClock(fence: Fence, file: string): ClockStep[] {
  const steps: ClockStep[] = [];
  for (const [index, text] of fence.content.entries()) {
    const line = fence.line + 1 + index;
    if (text.trim() === '') continue;
    if (text.trim() === 'sweep') {
      steps.push({ kind: 'clock', line, milliseconds: 0, sweep: true });
      continue;
    }
    const [verb, ...words] = text.trim().split(/[\s,]+/).filter((word) => word !== 'and');
    if (verb !== 'advance' || words.length === 0 || words.length % 2 !== 0) {
      throw new SpecError(file, line, `expected \`advance <number> <unit> [<number> <unit> ...]\` or \`sweep\`, found ${JSON.stringify(text.trim())}`);
    }
    let milliseconds = 0;
    for (let word = 0; word < words.length; word += 2) {
      const amount = words[word] ?? '';
      const unit = (words[word + 1] ?? '').replace(/s$/, '');
      const factor = millisecondsPer[unit];
      if (!/^\d+$/.test(amount) || factor === undefined) {
        throw new SpecError(file, line, `cannot read ${JSON.stringify(`${amount} ${words[word + 1]}`)} (units: ${Object.keys(millisecondsPer).join(', ')})`);
      }
      milliseconds += Number(amount) * factor;
    }
    steps.push({ kind: 'clock', line, milliseconds });
  }
  return steps;
}
