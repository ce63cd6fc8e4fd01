// Executes a literate spec file against a fresh test app: each request in order, each answer checked.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Response } from 'supertest';
import { userTokenHeader } from '../../src/headers.ts';
import { listenOn } from '../hardening/listen.ts';
import type { Exchange } from '../support/contract.ts';
import { firstLink, mailsTo, readOutbox } from '../support/mailbox.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { formatPattern, matchPattern, matchText, substitute, substituteInJson, type Captures, type MatchResult } from './expect.ts';
import { parseSpec, SpecError, type MailStep, type Method, type RequestStep, type ResponseExpectation } from './parse.ts';
import { SpecSockets } from './websocket.ts';

export interface SpecResult {
  file: string;
  requests: number;
}

/** What was actually sent, after substitution; kept for the failure message. */
interface SentRequest {
  method: Method;
  target: string;
  headers: Array<[string, string]>;
  body: string | undefined;
}

/** The pseudo-header `As: NAME`, sent as the user token captured under NAME_token. */
const actAsHeader = 'as';

export interface RunOptions {
  /** Runs the spec against a database on this CouchDB-compatible server instead of in memory. */
  couchUrl?: string;
  /** How long a websocket RECEIVE waits for each message. */
  messageTimeoutMs?: number;
  /**
   * Called with every exchange whose answer matched the spec, and the app; what it returns is wrong with
   * the exchange, and fails the spec at the response's line (docs.test.ts holds each against /openapi.json).
   */
  onExchange?: (exchange: Exchange, test: TestApp) => Promise<string[]>;
}

/** Requests and WebSocket frames sent are counted as requests. */
export async function runSpecFile(file: string, options: RunOptions = {}): Promise<SpecResult> {
  const shownFile = showFileName(file);
  const steps = parseSpec(await readSpecText(file, shownFile), shownFile);
  const env = Object.assign({}, ...steps.flatMap((step) => (step.kind === 'server' ? [step.env] : []))) as Record<string, string>;
  const test = await startTestApp({ env, ...(options.couchUrl ? { couchUrl: options.couchUrl } : {}) });
  // WebSockets need a real port; specs without them do without one.
  const server = steps.some((step) => step.kind === 'websocket') ? await listenOn(test) : undefined;
  const sockets = server && new SpecSockets(server.wsUrl, shownFile, options.messageTimeoutMs ?? 5_000);
  let captures: Captures = new Map();
  let requests = 0;
  try {
    for (const step of steps) {
      if (step.kind === 'server') continue;
      if (step.kind === 'clock') {
        test.clock.advance(step.milliseconds);
        if (step.sweep) await test.app.sweep();
        continue;
      }
      if (step.kind === 'mail') {
        captures = await checkMail(test, step, captures, shownFile);
        continue;
      }
      if (step.kind === 'websocket') {
        captures = await (sockets as SpecSockets).run(step, captures);
        if (step.command === 'SEND') requests++;
        continue;
      }
      captures = await runRequest(test, step, captures, shownFile, options.onExchange);
      requests++;
    }
  } finally {
    await sockets?.closeAll();
    await server?.close();
    await test.close();
  }
  return { file: shownFile, requests };
}

/** Relative to the working directory when below it, as editors and terminals make such paths clickable. */
/** A file that cannot be read is one line naming it, like every other mistake, rather than a stack. */
async function readSpecText(file: string, shownFile: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a spec file' : `cannot be read (${code ?? String(error)})`;
    throw new SpecError(shownFile, 0, reason);
  }
}

function showFileName(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(file) : relative;
}

async function runRequest(test: TestApp, step: RequestStep, captures: Captures, file: string, onExchange: RunOptions['onExchange']): Promise<Captures> {
  const sent = inSpecContext(file, step.line, () => prepareRequest(step, captures));
  let request = callAgent(test, sent.method, sent.target).ok(() => true);
  for (const [name, value] of sent.headers) request = request.set(name, value);
  if (sent.body !== undefined) request = request.send(sent.body);
  const response = await request;
  const context = { file, sent, requestLine: step.line };
  const matched = checkResponse(step.response, response, captures, context);
  const problems = onExchange ? await onExchange(toExchange(sent, response), test) : [];
  if (problems.length > 0) {
    const summary = `the exchange breaks the OpenAPI document:\n${problems.map((problem) => `  ${problem}`).join('\n')}`;
    throw new SpecError(file, step.response.line, `${summary}\n\n${describeExchange(step.response, response, readBody(response), matched, context)}`);
  }
  return matched;
}

/** The request as sent and the answer, parsed, for checks beyond the spec's own expectations. */
function toExchange(sent: SentRequest, response: Response): Exchange {
  const url = new URL(sent.target, 'http://localhost');
  const requestBody = sent.body === undefined ? undefined : parseJson(sent.body);
  return {
    method: sent.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    ...(requestBody === undefined ? {} : { requestBody }),
    status: response.status,
    responseBody: readBody(response),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function callAgent(test: TestApp, method: Method, target: string) {
  switch (method) {
    case 'GET':
      return test.http.get(target);
    case 'HEAD':
      return test.http.head(target);
    case 'POST':
      return test.http.post(target);
    case 'PUT':
      return test.http.put(target);
    case 'PATCH':
      return test.http.patch(target);
    case 'DELETE':
      return test.http.delete(target);
    case 'OPTIONS':
      return test.http.options(target);
  }
}

function prepareRequest(step: RequestStep, captures: Captures): SentRequest {
  const headers = step.headers.map(({ name, value }): [string, string] => {
    if (name.toLowerCase() !== actAsHeader) return [name, substitute(value, captures)];
    const token = captures.get(`${value}_token`);
    if (token === undefined) {
      throw new Error(`\`As: ${value}\` needs a capture named ${value}_token; capture it from the login answer with "user_token": "{{=${value}_token}}"`);
    }
    return [userTokenHeader, token];
  });
  const hasContentType = headers.some(([name]) => name.toLowerCase() === 'content-type');
  if (step.body !== undefined && !hasContentType) headers.push(['Content-Type', 'application/json']);
  const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const body = step.body === undefined ? undefined : /json/i.test(contentType) ? substituteInJson(step.body, captures) : substitute(step.body, captures);
  return { method: step.method, target: toRequestTarget(substitute(step.target, captures)), headers, body };
}

/** A captured resource URL (`{{anna}}`) can stand for the path: the agent wants only path and query. */
function toRequestTarget(target: string): string {
  if (!/^https?:\/\//i.test(target)) return target;
  const url = new URL(target);
  return url.pathname + url.search;
}

/** Sends what is due, then reads the outbox: the mails to the step's address, checked against its lines. */
async function checkMail(test: TestApp, step: MailStep, captures: Captures, file: string): Promise<Captures> {
  await test.app.services.outbox.deliverDue();
  const to = inSpecContext(file, step.line, () => substitute(step.to, captures));
  const mails = mailsTo(await readOutbox(path.resolve(test.app.services.config.dataDir, 'outbox')), to);
  const newest = mails.at(-1);
  const shown = () =>
    newest
      ? `the newest of ${mails.length} mails to ${to}:\n    Subject: ${newest.subject}\n    Link: ${firstLink(newest) ?? '(none)'}\n\n${newest.text.replace(/^/gm, '    ')}`
      : `no mail to ${to}`;
  const fail = (line: number, summary: string): never => {
    throw new SpecError(file, line, `${summary}\n\n${shown()}`);
  };
  let current = captures;
  for (const header of step.headers) {
    const name = header.name.toLowerCase();
    let actual: string | undefined;
    if (name === 'count') actual = String(mails.length);
    else if (!newest) fail(header.line, `expected a mail to ${to}, there is none`);
    else if (name === 'subject') actual = newest.subject;
    else if (name === 'link') actual = firstLink(newest);
    else if (name === 'link-path') actual = firstLink(newest) === undefined ? undefined : new URL(firstLink(newest) as string).pathname;
    else actual = newest.header(name);
    if (actual === undefined) fail(header.line, `the mail has no ${header.name}`);
    const result: MatchResult = inSpecContext(file, header.line, () => matchText(header.value, actual as string, current));
    if (!result.ok) fail(header.line, `${header.name} of the mail does not match: ${result.reason}`);
    current = (result as MatchResult & { ok: true }).captures;
  }
  if (step.body) {
    if (!newest) fail(step.body.line, `expected a mail to ${to}, there is none`);
    const body = step.body;
    const result: MatchResult = inSpecContext(file, body.line, () => matchText(body.text, (newest as NonNullable<typeof newest>).text.trim(), current));
    if (!result.ok) fail(body.line, 'the text of the mail does not match');
    current = (result as MatchResult & { ok: true }).captures;
  }
  return current;
}

interface FailureContext {
  file: string;
  sent: SentRequest;
  requestLine: number;
}

function checkResponse(expected: ResponseExpectation, response: Response, captures: Captures, context: FailureContext): Captures {
  const actualBody = readBody(response);
  function fail(line: number, summary: string): never {
    throw new SpecError(context.file, line, `${summary}\n\n${describeExchange(expected, response, actualBody, captures, context)}`);
  }

  if (response.status !== expected.status) fail(expected.line, `expected status ${expected.status}, got ${response.status}`);

  let current = captures;
  for (const header of expected.headers) {
    const actual = readHeader(response, header.name);
    if (actual === undefined) fail(header.line, `expected a ${header.name} header, the response has none`);
    const result: MatchResult = inSpecContext(context.file, header.line, () => matchText(header.value, actual, current));
    if (!result.ok) fail(header.line, `header ${header.name} does not match: ${result.reason}`);
    current = result.captures;
  }

  if (expected.body !== undefined) {
    const pattern = expected.body;
    const result: MatchResult = inSpecContext(context.file, expected.line, () => matchPattern(pattern, actualBody, current));
    if (!result.ok) fail(expected.line, `response body does not match at ${result.path}: ${result.reason}`);
    current = result.captures;
  }
  return current;
}

/** JSON when it parses, else the text as one string, so that any answer can be matched and shown. */
function readBody(response: Response): unknown {
  const text: string = response.text ?? '';
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function readHeader(response: Response, name: string): string | undefined {
  const value: unknown = response.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** A spec mistake found while running (an unknown capture, `As:` without a token) is reported at its line. */
function inSpecContext<T>(file: string, line: number, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof Error && !(error instanceof SpecError)) {
      throw new SpecError(file, line, error.message);
    }
    throw error;
  }
}

function describeExchange(expected: ResponseExpectation, response: Response, actualBody: unknown, captures: Captures, context: FailureContext): string {
  const { sent } = context;
  const request = [`${sent.method} ${sent.target}`, ...sent.headers.map(([name, value]) => `${name}: ${value}`)];
  if (sent.body !== undefined) request.push('', sent.body);

  const expectedLines = [String(expected.status), ...expected.headers.map((header) => `${header.name}: ${header.value}`)];
  if (expected.body !== undefined) expectedLines.push('', formatPattern(expected.body, captures));

  const actualLines = [String(response.status), ...expected.headers.map((header) => `${header.name}: ${readHeader(response, header.name) ?? '(none)'}`)];
  if (actualBody !== undefined) actualLines.push('', typeof actualBody === 'string' ? actualBody : JSON.stringify(actualBody, null, 2));

  return [
    `request (${context.file}:${context.requestLine}):`,
    indent(request),
    '',
    `expected (${context.file}:${expected.line}):`,
    indent(expectedLines),
    '',
    'actual:',
    indent(actualLines),
  ].join('\n');
}

function indent(lines: string[]): string {
  return lines
    .join('\n')
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
    .join('\n');
}
