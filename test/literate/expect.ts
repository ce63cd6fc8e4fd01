// The expected-answer language of literate specs: JSON with `...` wildcards and {{name}} captures, and its matcher.

/** An expected value as written in a spec; strings keep their `...` and `{{...}}` until they are matched. */
export type Pattern =
  | { kind: 'anything' }
  | { kind: 'string'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  /** An `anything` item stands for zero or more elements at its position. */
  | { kind: 'array'; items: Pattern[] }
  /** `open` when the object listed `...` among its members: further members are then allowed. */
  | { kind: 'object'; members: PatternMember[]; open: boolean }
  /** A bare `{{name}}`: the captured value as JSON, for values that are not strings (a number, a list). */
  | { kind: 'captured'; name: string };

export interface PatternMember {
  key: string;
  value: Pattern;
}

/** Values captured so far in a spec file, by name; always strings, as they are substituted into text. */
export type Captures = ReadonlyMap<string, string>;

export type MatchResult = { ok: true; captures: Captures } | { ok: false; path: string; reason: string };

/** A syntax error in an expected body; `line` and `column` count from 1 within the parsed text. */
export class PatternSyntaxError extends Error {
  override name = 'PatternSyntaxError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Thrown for `{{name}}` when nothing was captured under that name: a mistake in the spec, not in the API. */
export class UnknownCaptureError extends Error {
  override name = 'UnknownCaptureError';
  constructor(
    readonly captureName: string,
    known: Captures,
  ) {
    const names = [...known.keys()];
    super(`{{${captureName}}} was never captured (captured so far: ${names.length > 0 ? names.join(', ') : 'nothing'})`);
  }
}

const ellipsis = '...';
const substitutionPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const capturePattern = /^\{\{=\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** Replaces every `{{name}}` by its captured value; `escape` lets callers quote the value for where it lands. */
export function substitute(text: string, captures: Captures, escape: (value: string) => string = (value) => value): string {
  return text.replace(substitutionPattern, (_, name: string) => {
    const value = captures.get(name);
    if (value === undefined) throw new UnknownCaptureError(name, captures);
    return escape(value);
  });
}

/** Inside JSON strings a captured value is escaped as a JSON string's content; outside it goes in as written. */
export function substituteInJson(text: string, captures: Captures): string {
  let result = '';
  let start = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\\' && inString) {
      index++;
    } else if (char === '"') {
      const piece = text.slice(start, index);
      result += inString ? substitute(piece, captures, (value) => JSON.stringify(value).slice(1, -1)) : substitute(piece, captures);
      result += char;
      start = index + 1;
      inString = !inString;
    }
  }
  return result + substitute(text.slice(start), captures);
}

/** The name in a `{{=name}}` string, which matches anything and remembers it. */
export function readCaptureName(text: string): string | undefined {
  return capturePattern.exec(text)?.[1];
}

/**
 * Matches one string against an expected text: `{{=name}}` captures, `...` matches any run of characters,
 * `{{name}}` is the captured value taken literally (a `...` inside a captured value is no wildcard).
 */
export function matchText(expected: string, actual: string, captures: Captures): MatchResult {
  const captureName = readCaptureName(expected);
  if (captureName !== undefined) return { ok: true, captures: withCapture(captures, captureName, actual) };
  const parts = expected.split(ellipsis).map((part) => substitute(part, captures));
  const matches =
    parts.length === 1
      ? parts[0] === actual
      : new RegExp(`^${parts.map(escapeRegExp).join('[\\s\\S]*')}$`).test(actual);
  return matches ? { ok: true, captures } : { ok: false, path: '$', reason: `expected ${describeText(expected)}, got ${describeValue(actual)}` };
}

/** Matches a parsed JSON value against a pattern; captures made earlier in the pattern count later in it. */
export function matchPattern(pattern: Pattern, actual: unknown, captures: Captures): MatchResult {
  const result = matchAt(pattern, actual, captures, []);
  return result.ok ? result : { ok: false, path: formatPath(result.path), reason: result.reason };
}

type InnerResult = { ok: true; captures: Captures } | { ok: false; path: PathSegment[]; reason: string };
type PathSegment = string | number;

function matchAt(pattern: Pattern, actual: unknown, captures: Captures, path: PathSegment[]): InnerResult {
  const fail = (reason: string): InnerResult => ({ ok: false, path, reason });
  const mismatch = (): InnerResult => fail(`expected ${describePattern(pattern, captures)}, got ${describeValue(actual)}`);
  switch (pattern.kind) {
    case 'anything':
      return { ok: true, captures };
    case 'string': {
      const captureName = readCaptureName(pattern.text);
      if (captureName !== undefined) {
        const text = typeof actual === 'string' ? actual : JSON.stringify(actual);
        return { ok: true, captures: withCapture(captures, captureName, text) };
      }
      if (typeof actual !== 'string') return mismatch();
      const result = matchText(pattern.text, actual, captures);
      return result.ok ? result : fail(result.reason);
    }
    case 'number':
    case 'boolean':
      return actual === pattern.value ? { ok: true, captures } : mismatch();
    case 'null':
      return actual === null ? { ok: true, captures } : mismatch();
    case 'array':
      return Array.isArray(actual) ? matchArray(pattern.items, actual, captures, path) : mismatch();
    case 'object':
      return isPlainObject(actual) ? matchObject(pattern, actual, captures, path) : mismatch();
    case 'captured': {
      const value = captures.get(pattern.name);
      if (value === undefined) throw new UnknownCaptureError(pattern.name, captures);
      const text = typeof actual === 'string' ? actual : JSON.stringify(actual);
      return text === value ? { ok: true, captures } : mismatch();
    }
  }
}

function matchObject(pattern: Pattern & { kind: 'object' }, actual: Record<string, unknown>, captures: Captures, path: PathSegment[]): InnerResult {
  let current = captures;
  const listed = new Set<string>();
  for (const member of pattern.members) {
    const key = substitute(member.key, current);
    listed.add(key);
    if (!Object.hasOwn(actual, key)) return { ok: false, path: [...path, key], reason: 'missing member' };
    const result = matchAt(member.value, actual[key], current, [...path, key]);
    if (!result.ok) return result;
    current = result.captures;
  }
  if (!pattern.open) {
    const extra = Object.keys(actual).find((key) => !listed.has(key));
    if (extra !== undefined) {
      return { ok: false, path: [...path, extra], reason: `unexpected member ${describeValue(actual[extra])} (add \`...\` to the object to allow further members)` };
    }
  }
  return { ok: true, captures: current };
}

/**
 * Fixed elements before the first `...` and after the last are matched by position, so that their mismatches
 * can be reported precisely; the runs between wildcards are searched for, leftmost first, with backtracking.
 */
function matchArray(items: Pattern[], actual: unknown[], captures: Captures, path: PathSegment[]): InnerResult {
  const segments = splitAtWildcards(items);
  const head = segments[0] ?? [];
  if (segments.length === 1) {
    if (actual.length !== head.length) {
      return { ok: false, path, reason: `expected ${countElements(head.length)}, got ${actual.length} (add \`...\` to the array to allow more or fewer)` };
    }
    return matchRun(head, actual, 0, captures, path);
  }
  const tail = segments[segments.length - 1] ?? [];
  const middles = segments.slice(1, -1);
  const needed = head.length + tail.length + middles.reduce((sum, run) => sum + run.length, 0);
  if (actual.length < needed) return { ok: false, path, reason: `expected at least ${countElements(needed)}, got ${actual.length}` };

  const headResult = matchRun(head, actual, 0, captures, path);
  if (!headResult.ok) return headResult;
  const middleResult = searchRuns(middles, actual, head.length, actual.length - tail.length, headResult.captures, path);
  if (!middleResult.ok) return middleResult;
  return matchRun(tail, actual, actual.length - tail.length, middleResult.captures, path);
}

function countElements(count: number): string {
  return count === 1 ? '1 element' : `${count} elements`;
}

function splitAtWildcards(items: Pattern[]): Pattern[][] {
  const segments: Pattern[][] = [[]];
  for (const item of items) {
    if (item.kind === 'anything') segments.push([]);
    else segments[segments.length - 1]?.push(item);
  }
  return segments;
}

function matchRun(run: Pattern[], actual: unknown[], start: number, captures: Captures, path: PathSegment[]): InnerResult {
  let current = captures;
  for (const [offset, item] of run.entries()) {
    const result = matchAt(item, actual[start + offset], current, [...path, start + offset]);
    if (!result.ok) return result;
    current = result.captures;
  }
  return { ok: true, captures: current };
}

/** Places each run somewhere in actual[from, to), in order and without overlap. */
function searchRuns(runs: Pattern[][], actual: unknown[], from: number, to: number, captures: Captures, path: PathSegment[]): InnerResult {
  const [run, ...rest] = runs;
  if (run === undefined) return { ok: true, captures };
  for (let start = from; start + run.length <= to; start++) {
    const placed = matchRun(run, actual, start, captures, path);
    if (!placed.ok) continue;
    const after = searchRuns(rest, actual, start + run.length, to, placed.captures, path);
    if (after.ok) return after;
  }
  const shown = run.map((item) => describePattern(item, captures)).join(', ');
  return { ok: false, path, reason: `no run of elements matches ${shown} (between the \`...\` of the expected array)` };
}

function withCapture(captures: Captures, name: string, value: string): Captures {
  return new Map(captures).set(name, value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.data["adhocracy_core.sheets.pool.IPool"].count`: dotted where the key allows, bracketed where not. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return identifier.test(segment) ? `${text}.${segment}` : `${text}[${JSON.stringify(segment)}]`;
  }, '$');
}

const shortLength = 120;

function shorten(text: string): string {
  return text.length > shortLength ? `${text.slice(0, shortLength - 1)}…` : text;
}

function describeValue(value: unknown): string {
  return value === undefined ? 'nothing' : shorten(JSON.stringify(value));
}

function describeText(text: string): string {
  return shorten(JSON.stringify(text));
}

function describePattern(pattern: Pattern, captures: Captures): string {
  return shorten(formatPattern(pattern, captures, null));
}

/**
 * Pretty-prints a pattern the way JSON.stringify would, with `...` bare and known captures filled in,
 * so that a failure shows the expectation next to the answer in the same layout. `indent` null: one line.
 */
export function formatPattern(pattern: Pattern, captures: Captures = new Map(), indent: string | null = '  '): string {
  const fill = (text: string): string => text.replace(substitutionPattern, (whole, name: string) => captures.get(name) ?? whole);
  const format = (node: Pattern, depth: number): string => {
    const inner = indent === null ? '' : `\n${indent.repeat(depth + 1)}`;
    const outer = indent === null ? '' : `\n${indent.repeat(depth)}`;
    const separator = indent === null ? ', ' : ',';
    switch (node.kind) {
      case 'anything':
        return ellipsis;
      case 'string':
        return JSON.stringify(fill(node.text));
      case 'number':
      case 'boolean':
        return JSON.stringify(node.value);
      case 'null':
        return 'null';
      case 'array':
        if (node.items.length === 0) return '[]';
        return `[${node.items.map((item) => inner + format(item, depth + 1)).join(separator)}${outer}]`;
      case 'object': {
        const members = node.members.map(({ key, value }) => `${inner}${JSON.stringify(fill(key))}: ${format(value, depth + 1)}`);
        if (node.open) members.push(inner + ellipsis);
        return members.length === 0 ? '{}' : `{${members.join(separator)}${outer}}`;
      }
      case 'captured':
        return captures.get(node.name) ?? `{{${node.name}}}`;
    }
  };
  return format(pattern, 0);
}

/** Parses JSON extended with `...`; a hand-written descent, so that `...` inside strings stays text. */
export function parsePattern(text: string): Pattern {
  return new PatternParser(text).readDocument();
}

/** Parses one value after another (the messages of a WebSocket, in order), each with the line it starts on, from 1. */
export function parsePatternSequence(text: string): { pattern: Pattern; line: number }[] {
  return new PatternParser(text).readSequence();
}

class PatternParser {
  private position = 0;

  constructor(private readonly text: string) {}

  readDocument(): Pattern {
    const value = this.readValue();
    this.skipSpace();
    if (this.position < this.text.length) this.fail('unexpected text after the value');
    return value;
  }

  readSequence(): { pattern: Pattern; line: number }[] {
    const values: { pattern: Pattern; line: number }[] = [];
    for (this.skipSpace(); this.position < this.text.length; this.skipSpace()) {
      const line = this.text.slice(0, this.position).split('\n').length;
      values.push({ pattern: this.readValue(), line });
    }
    return values;
  }

  private readValue(): Pattern {
    this.skipSpace();
    const char = this.text[this.position];
    const captured = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/y;
    captured.lastIndex = this.position;
    const reference = captured.exec(this.text);
    if (reference) {
      this.position += reference[0].length;
      return { kind: 'captured', name: reference[1] as string };
    }
    if (char === '{') return this.readObject();
    if (char === '[') return this.readArray();
    if (char === '"') return { kind: 'string', text: this.readString() };
    if (this.text.startsWith(ellipsis, this.position)) {
      this.position += ellipsis.length;
      return { kind: 'anything' };
    }
    for (const [word, pattern] of literals) {
      if (this.text.startsWith(word, this.position)) {
        this.position += word.length;
        return pattern;
      }
    }
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = this.position;
    const match = number.exec(this.text);
    if (match) {
      this.position += match[0].length;
      return { kind: 'number', value: Number(match[0]) };
    }
    return this.fail(char === undefined ? 'expected a value, found the end' : `expected a value, found ${JSON.stringify(char)}`);
  }

  private readObject(): Pattern {
    this.position++;
    const members: PatternMember[] = [];
    let open = false;
    for (;;) {
      this.skipSpace();
      if (this.consume('}')) return { kind: 'object', members, open };
      if (this.text.startsWith(ellipsis, this.position)) {
        this.position += ellipsis.length;
        open = true;
      } else {
        if (this.text[this.position] !== '"') this.fail('expected a member name in double quotes, `...` or `}`');
        const keyPosition = this.position;
        const key = this.readString();
        if (members.some((member) => member.key === key)) this.fail(`member ${JSON.stringify(key)} is listed twice`, keyPosition);
        this.skipSpace();
        if (!this.consume(':')) this.fail('expected `:` after the member name');
        members.push({ key, value: this.readValue() });
      }
      this.skipSpace();
      // A trailing comma is forgiven: specs are edited by hand, and the intent is clear.
      if (!this.consume(',') && this.text[this.position] !== '}') this.fail('expected `,` or `}`');
    }
  }

  private readArray(): Pattern {
    this.position++;
    const items: Pattern[] = [];
    for (;;) {
      this.skipSpace();
      if (this.consume(']')) return { kind: 'array', items };
      items.push(this.readValue());
      this.skipSpace();
      if (!this.consume(',') && this.text[this.position] !== ']') this.fail('expected `,` or `]`');
    }
  }

  private readString(): string {
    const string = /"(?:[^"\\\n]|\\.)*"/y;
    string.lastIndex = this.position;
    const match = string.exec(this.text);
    if (!match) return this.fail('unterminated string');
    try {
      // JSON.parse decodes the escapes exactly as JSON defines them.
      const value = JSON.parse(match[0]) as string;
      this.position += match[0].length;
      return value;
    } catch {
      return this.fail('invalid string (bad escape or control character)');
    }
  }

  private consume(char: string): boolean {
    if (this.text[this.position] !== char) return false;
    this.position++;
    return true;
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.position] ?? '')) this.position++;
  }

  private fail(message: string, at = this.position): never {
    const before = this.text.slice(0, at).split('\n');
    throw new PatternSyntaxError(message, before.length, (before[before.length - 1]?.length ?? 0) + 1);
  }
}

const literals: ReadonlyArray<[string, Pattern]> = [
  ['true', { kind: 'boolean', value: true }],
  ['false', { kind: 'boolean', value: false }],
  ['null', { kind: 'null' }],
];
