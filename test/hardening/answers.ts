// What every answer must look like, whatever was asked: 2xx or 4xx, errors in the envelope, no secret inside.
import type { RawExchange } from './raw-http.ts';

const locations = new Set(['body', 'querystring', 'header', 'url', 'internal']);

/** The problem with an error body, or undefined when it is the envelope of API.md. */
export function envelopeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'the body is not a JSON object';
  const { status, errors } = body as { status?: unknown; errors?: unknown };
  if (status !== 'error') return 'status is not "error"';
  if (!Array.isArray(errors) || errors.length === 0) return 'errors is not a non-empty list';
  for (const error of errors as unknown[]) {
    const { location, name, description } = (error ?? {}) as Record<string, unknown>;
    if (typeof location !== 'string' || !locations.has(location)) return `invalid location ${JSON.stringify(location)}`;
    if (typeof name !== 'string') return 'an error has no name';
    if (typeof description !== 'string' || description === '') return 'an error has no description';
  }
  return undefined;
}

export interface AnswerRules {
  /** Strings no answer may contain: passwords, tokens other than the one a login hands out. */
  secrets: readonly string[];
  /** The request ended early on purpose, so the server may close without an answer. */
  mayGoUnanswered: boolean;
  method: string;
}

/** The problem with an exchange, or undefined when every answer keeps the rules. */
export function exchangeProblem(exchange: RawExchange, rules: AnswerRules): string | undefined {
  if (exchange.timedOut) return `no answer and the connection stayed open for ${Math.round(exchange.ms)} ms`;
  if (exchange.answers.length === 0) return rules.mayGoUnanswered || exchange.halfClosed ? undefined : `the server closed the connection without an answer (${exchange.leftover.length} bytes of something else)`;
  for (const answer of exchange.answers) {
    const isClientError = answer.status >= 400 && answer.status <= 499;
    // 304 answers a GET or HEAD whose If-None-Match (which fuzzing may send as `*`) holds the answer's tag.
    const isNotModified = answer.status === 304 && ['GET', 'HEAD'].includes(rules.method.toUpperCase());
    if (!isClientError && !isNotModified && (answer.status < 200 || answer.status > 299)) return `status ${answer.status}: ${answer.body.toString().slice(0, 300)}`;
    const text = answer.body.toString('utf8');
    if (/\$argon2/.test(text)) return `a password hash in an answer: ${text.slice(0, 300)}`;
    const leaked = rules.secrets.find((secret) => text.includes(secret));
    if (leaked !== undefined) return `a secret in an answer: ${text.slice(0, 300)}`;
    const hasBody = rules.method.toUpperCase() !== 'HEAD' && answer.status !== 204 && answer.status !== 304;
    if (!hasBody) {
      if (isNotModified && answer.body.length > 0) return `status 304 with a body: ${answer.body.toString().slice(0, 300)}`;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return `status ${answer.status} with a body that is not JSON: ${text.slice(0, 300)}`;
    }
    if (isClientError) {
      const problem = envelopeProblem(parsed);
      if (problem) return `status ${answer.status} outside the envelope (${problem}): ${text.slice(0, 300)}`;
    }
  }
  return undefined;
}

/** Status counts per endpoint, for the summary the suite prints. */
export class StatusTally {
  private readonly counts = new Map<string, Map<string, number>>();

  record(endpoint: string, exchange: RawExchange): void {
    const perEndpoint = this.counts.get(endpoint) ?? new Map<string, number>();
    const statuses = exchange.answers.length > 0 ? exchange.answers.map((answer) => String(answer.status)) : ['closed'];
    for (const status of statuses) perEndpoint.set(status, (perEndpoint.get(status) ?? 0) + 1);
    this.counts.set(endpoint, perEndpoint);
  }

  fiveHundreds(): number {
    let total = 0;
    for (const perEndpoint of this.counts.values()) for (const [status, count] of perEndpoint) if (status.startsWith('5')) total += count;
    return total;
  }

  summary(): string {
    return [...this.counts]
      .map(([endpoint, perEndpoint]) => {
        const total = [...perEndpoint.values()].reduce((sum, count) => sum + count, 0);
        const statuses = [...perEndpoint].sort(([a], [b]) => a.localeCompare(b)).map(([status, count]) => `${status}×${count}`).join(' ');
        return `${endpoint}: ${total} answers (${statuses})`;
      })
      .join('\n');
  }
}
