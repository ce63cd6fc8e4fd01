// fast-check generators of bad requests: mutated and random JSON, raw bytes, content types, headers, framing, query strings.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import type { RawRequestParts } from './raw-http.ts';

/** JSON as written on the wire, so that it can hold what JSON.stringify never writes: duplicate keys, 1e400. */
export type JsonTree =
  | { kind: 'raw'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'array'; items: JsonTree[] }
  | { kind: 'object'; entries: [string, JsonTree][] };

export function toTree(value: unknown): JsonTree {
  if (typeof value === 'string') return { kind: 'string', value };
  if (Array.isArray(value)) return { kind: 'array', items: value.map(toTree) };
  if (typeof value === 'object' && value !== null) return { kind: 'object', entries: Object.entries(value).map(([key, item]) => [key, toTree(item)]) };
  return { kind: 'raw', text: JSON.stringify(value) ?? 'null' };
}

/** Serializes without recursion, so that a deeply nested tree cannot overflow the stack. */
export function writeTree(root: JsonTree): string {
  const out: string[] = [];
  const stack: (JsonTree | string)[] = [root];
  while (stack.length > 0) {
    const next = stack.pop() as JsonTree | string;
    if (typeof next === 'string') {
      out.push(next);
    } else if (next.kind === 'raw') {
      out.push(next.text);
    } else if (next.kind === 'string') {
      // JSON.stringify escapes lone surrogates (\ud800), which is how they arrive in valid UTF-8.
      out.push(JSON.stringify(next.value));
    } else if (next.kind === 'array') {
      const parts: (JsonTree | string)[] = ['['];
      next.items.forEach((item, index) => parts.push(...(index > 0 ? [','] : []), item));
      parts.push(']');
      stack.push(...parts.reverse());
    } else {
      const parts: (JsonTree | string)[] = ['{'];
      next.entries.forEach(([key, item], index) => parts.push(...(index > 0 ? [','] : []), `${JSON.stringify(key)}:`, item));
      parts.push('}');
      stack.push(...parts.reverse());
    }
  }
  return out.join('');
}

const specialStrings = [
  '', ' ', '  ', '@', 'a@b', 'a\tb', 'a\nb', 'a\r\nb', '\u0000', 'a\u0000b', '\u202eevil', '\u200b', '\ufeff', 'Ｎａｍｅ', 'ß', 'İ', 'ﬁ',
  'Anna', 'ANNA', 'anna', 'Ａｎｎａ', 'Anna\u0301', 'a\u0308', 'ä', '../..', '%00', '%2e%2e', '/', '|', '__proto__', 'constructor',
  'prototype', '_id', '"', '\\', '\\u0000', '<script>alert(1)</script>', '${process.env}', '{{x}}', 'NaN', 'null', 'undefined',
  'true', '0', '-1', 'A'.repeat(100), 'A'.repeat(101), 'a'.repeat(254), 'x'.repeat(1025), 'meta_api', 'sessions', 'login_username',
  '😀', '👩‍👩‍👧', '\ud800', '\udfff', 'a\ud83d', '\ude00b', 'Europe/Berlin', 'UTC', 'admin', 'moderator', 'emperor',
  'ro\u200bot', '\u202eroot', 'r\u043e\u043et', 'R\u041e\u041eT', 'ro\u0000ot', 'ro\u001bot', 'root\uff20example.org', 'root\ufe6bexample.org',
  'ro\u2066ot', 'ro\u00adot', 'ro\u3164ot', 'ro\ufe0fot', '\u{1d42b}\u{1d428}\u{1d428}\u{1d42d}', 'carrnen', 'carmen',
];

/** Characters that are not seen, or that reorder what follows: zero-width, bidi, fillers, variation selectors, controls. */
const invisibleCharacters = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u202e', '\u2066', '\u200f', '\u061c', '\u00ad', '\u034f', '\u3164', '\u115f', '\ufe0f', '\u180e', '\u0000', '\u001b', '\u007f', '\u0085'];

/** For each character, the characters that Unicode's confusables.txt maps to it: Cyrillic о for o, and so on. */
const twinsOf = new Map<string, string[]>();
for (const [source, prototype] of Object.entries(createRequire(import.meta.url)('unhomoglyph/data.json') as Record<string, string>)) {
  twinsOf.set(prototype, [...(twinsOf.get(prototype) ?? []), source]);
}

/** `name` with some characters swapped for look-alikes, in any case, sometimes with an invisible character inside. */
export function lookAlike(name: string): fc.Arbitrary<string> {
  const characters = [...name].map((character) => {
    const twins = [...new Set([character, character.toUpperCase(), ...(twinsOf.get(character) ?? []), ...(twinsOf.get(character.toUpperCase()) ?? [])])];
    return fc.oneof({ weight: 3, arbitrary: fc.constant(character) }, { weight: 1, arbitrary: fc.constantFrom(...twins) });
  });
  const invisible = fc.option(fc.tuple(fc.nat(name.length), fc.constantFrom(...invisibleCharacters)), { freq: 3 });
  return fc.tuple(fc.tuple(...characters), invisible).map(([chosen, inserted]) => {
    if (inserted) chosen.splice(inserted[0], 0, inserted[1]);
    return chosen.join('');
  });
}

/** Strings that break assumptions: control and format characters, lone surrogates, confusables, very long ones. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...specialStrings) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 300_000 }).map((length) => 'x'.repeat(length)) },
);

export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '__proto__', 'constructor', 'prototype', 'constructor.prototype', '_id', '_rev', '_deleted', '_attachments', '_conflicts',
      '__defineGetter__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'data', 'content_type', 'name', 'email',
      'password', 'title', 'roles', 'hidden', '', ' ', 'a.b', '\ud800',
    ),
  },
  { weight: 2, arbitrary: nastyString.filter((key) => key.length < 200) },
);

const numberTokens = ['0', '-0', '1', '-1', '1e400', '-1e400', '1e-400', '9007199254740993', '123456789012345678901234567890', '1.5', '2e308', '0.0000001', '1E2', '-0.0'];

const leaf: fc.Arbitrary<JsonTree> = fc.oneof(
  { weight: 5, arbitrary: nastyString.map((value): JsonTree => ({ kind: 'string', value })) },
  { weight: 2, arbitrary: fc.constantFrom(...numberTokens, 'null', 'true', 'false').map((text): JsonTree => ({ kind: 'raw', text })) },
  { weight: 1, arbitrary: fc.double().map((number): JsonTree => ({ kind: 'raw', text: Number.isFinite(number) ? String(number) : '1e999' })) },
  // Huge arrays and deep nesting, written directly: building them as trees would be slow for nothing.
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 200_000 }).map((length): JsonTree => ({ kind: 'raw', text: `[${'0,'.repeat(length)}0]` })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 20, max: 20_000 }), fc.boolean())
      .map(([depth, objects]): JsonTree => ({ kind: 'raw', text: objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}` })),
  },
);

/** Any JSON value, with nasty strings, keys and numbers at every level. */
export const nastyTree: fc.Arbitrary<JsonTree> = fc.letrec<{ tree: JsonTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(tie('tree'), { maxLength: 4 }).map((items): JsonTree => ({ kind: 'array', items })) },
    { weight: 2, arbitrary: fc.array(fc.tuple(nastyKey, tie('tree')), { maxLength: 4 }).map((entries): JsonTree => ({ kind: 'object', entries })) },
  ),
})).tree;

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: JsonTree }
  | { op: 'add'; at: number; key: string; value: JsonTree }
  | { op: 'duplicate'; at: number; value: JsonTree }
  | { op: 'nest'; at: number; depth: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: nastyTree }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: nastyKey, value: nastyTree }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), value: nastyTree }),
  fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 60 }) }),
);

/** The containers of a tree, each with a way to reach its children; mutations pick one by index. */
function containersOf(root: JsonTree): (JsonTree & { kind: 'array' | 'object' })[] {
  const found: (JsonTree & { kind: 'array' | 'object' })[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as JsonTree;
    if (node.kind === 'array') {
      found.push(node);
      stack.push(...node.items);
    } else if (node.kind === 'object') {
      found.push(node);
      stack.push(...node.entries.map(([, value]) => value));
    }
  }
  return found;
}

function applyMutation(root: JsonTree, change: Mutation): JsonTree {
  const containers = containersOf(root);
  if (containers.length === 0) return change.op === 'replace' ? change.value : root;
  const target = containers[change.at % containers.length] as JsonTree & { kind: 'array' | 'object' };
  const slots = target.kind === 'array' ? target.items.length : target.entries.length;
  const slot = slots === 0 ? 0 : Math.floor(change.at / containers.length) % slots;
  const nest = (value: JsonTree, depth: number): JsonTree => {
    let wrapped = value;
    for (let level = 0; level < depth; level += 1) wrapped = level % 2 ? { kind: 'array', items: [wrapped] } : { kind: 'object', entries: [['a', wrapped]] };
    return wrapped;
  };
  if (target.kind === 'array') {
    if (change.op === 'delete') target.items.splice(slot, 1);
    else if (change.op === 'replace' && slots > 0) target.items[slot] = change.value;
    else if (change.op === 'nest' && slots > 0) target.items[slot] = nest(target.items[slot] as JsonTree, change.depth);
    else if (change.op !== 'nest') target.items.push(change.value);
    return root;
  }
  const entry = target.entries[slot];
  if (change.op === 'delete') target.entries.splice(slot, 1);
  else if (change.op === 'replace' && entry) entry[1] = change.value;
  else if (change.op === 'add') target.entries.push([change.key, change.value]);
  else if (change.op === 'duplicate' && entry) target.entries.push([entry[0], change.value]);
  else if (change.op === 'nest' && entry) entry[1] = nest(entry[1], change.depth);
  return root;
}

/** A valid body with up to three random changes: many requests stay close enough to be checked deeply. */
export function mutated(template: fc.Arbitrary<unknown>): fc.Arbitrary<JsonTree> {
  const changes = fc.oneof({ weight: 2, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) });
  return fc
    .tuple(template, changes)
    .map(([value, changes]) => changes.reduce(applyMutation, toTree(structuredClone(value))));
}

const invalidUtf8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xc3], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xfe, 0xff]];

type ByteChange =
  | { op: 'none' }
  | { op: 'invalid-utf8'; at: number; bytes: number[] }
  | { op: 'truncate'; at: number }
  | { op: 'bom' }
  | { op: 'append'; bytes: Uint8Array }
  | { op: 'flip'; at: number; byte: number };

const byteChange: fc.Arbitrary<ByteChange> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ op: 'none' as const }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('invalid-utf8' as const), at: fc.nat(), bytes: fc.constantFrom(...invalidUtf8) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'bom' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('append' as const), bytes: fc.uint8Array({ maxLength: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }) },
);

function applyByteChange(text: string, change: ByteChange): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  switch (change.op) {
    case 'none':
      return bytes;
    case 'invalid-utf8': {
      // Inside a string when there is one, where a lenient decoder would quietly turn it into U+FFFD.
      const quote = bytes.indexOf('"', change.at % Math.max(1, bytes.length));
      const at = quote >= 0 ? quote + 1 : change.at % (bytes.length + 1);
      return Buffer.from([...bytes.subarray(0, at), ...change.bytes, ...bytes.subarray(at)]);
    }
    case 'truncate':
      return bytes.subarray(0, change.at % Math.max(1, bytes.length));
    case 'bom':
      return Buffer.from([0xef, 0xbb, 0xbf, ...bytes]);
    case 'append':
      return Buffer.from([...bytes, ...change.bytes]);
    case 'flip': {
      const copy = Buffer.from(bytes);
      if (copy.length > 0) copy[change.at % copy.length] = change.byte;
      return copy;
    }
  }
}

/** Body bytes: a tree written out, sometimes damaged on the byte level, sometimes random bytes altogether. */
export function bodyBytes(tree: fc.Arbitrary<JsonTree>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.tuple(tree, byteChange).map(([value, change]) => applyByteChange(writeTree(value), change)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }).map((text) => Buffer.from(text, 'utf8')) },
  );
}

/** Header values that node's client would refuse to send: CR, LF, NUL, bytes beyond ASCII, oversized. */
export const nastyHeaderValue: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((text) => Buffer.from(text, 'latin1')) },
  { weight: 2, arbitrary: fc.constantFrom('a\r\nInjected: yes', 'a\nb', 'a\rb', 'a\u0000b', ' ', '', 'a\r\n\r\nGET / HTTP/1.1', '\t') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map((text) => Buffer.from(text, 'utf8')) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((length) => 'x'.repeat(length)) },
);

const nastyHeaderName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('X-Request-Id', 'User-Agent', 'Accept', 'Origin', 'X-Forwarded-For', 'Cookie', 'Accept-Charset', 'Range', 'If-None-Match', 'Authorization', 'X-User-Password', 'Content-Type', 'Content-Length', 'Transfer-Encoding', 'Host'),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }),
);

export const headerNoise: fc.Arbitrary<[string, string | Buffer][]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<[string, string | Buffer][]>([]) },
  { weight: 1, arbitrary: fc.array(fc.tuple(nastyHeaderName, nastyHeaderValue), { minLength: 1, maxLength: 3 }) },
);

export const contentTypes: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  { weight: 20, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8', 'application/json; charset=UTF8', 'application/json;charset=latin1', 'application/json; charset=utf-16',
      'application/json; charset="utf-8"', 'application/vnd.api+json', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x', '', 'application/json, text/plain', 'application/jsonx', '*/*', 'application/*', 'json',
    ),
  },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: nastyHeaderValue },
);

const contentEncodings = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip') },
);

export type Framing = 'length' | 'chunked' | 'bad-chunks' | 'no-length' | 'short-length' | 'long-length' | 'length-and-chunked';

const framings: fc.Arbitrary<Framing> = fc.oneof(
  { weight: 20, arbitrary: fc.constant('length' as const) },
  { weight: 2, arbitrary: fc.constant('chunked' as const) },
  { weight: 1, arbitrary: fc.constantFrom('bad-chunks' as const, 'no-length' as const, 'short-length' as const, 'long-length' as const, 'length-and-chunked' as const) },
);

export interface GeneratedRequest extends RawRequestParts {
  /** The request ends early on purpose: the server may close without an answer. */
  endsEarly: boolean;
  framing: Framing;
}

/** A request carrying `body`, with generated content type, encoding, extra headers and framing. */
export function bodyRequest(options: {
  method: fc.Arbitrary<string>;
  target: fc.Arbitrary<string>;
  body: fc.Arbitrary<Buffer>;
  headers: fc.Arbitrary<[string, string | Buffer][]>;
}): fc.Arbitrary<GeneratedRequest> {
  return fc
    .record({
      method: options.method,
      target: options.target,
      body: options.body,
      headers: options.headers,
      contentType: contentTypes,
      encoding: contentEncodings,
      noise: headerNoise,
      framing: framings,
    })
    .map(({ method, target, body, headers, contentType, encoding, noise, framing }): GeneratedRequest => {
      const all: [string, string | Buffer][] = [...headers];
      if (contentType !== undefined) all.push(['Content-Type', contentType]);
      if (encoding !== undefined) all.push(['Content-Encoding', encoding]);
      all.push(...noise);
      return frame({ method, target, headers: all, body, endsEarly: false, framing });
    });
}

function frame(request: GeneratedRequest): GeneratedRequest {
  const body = request.body ?? Buffer.alloc(0);
  const chunked = (bytes: Buffer) => {
    const size = Math.max(1, Math.ceil(bytes.length / 3));
    const parts: Buffer[] = [];
    for (let offset = 0; offset < bytes.length; offset += size) {
      const part = bytes.subarray(offset, offset + size);
      parts.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    return Buffer.concat(parts.map((part) => new Uint8Array(part.buffer, part.byteOffset, part.byteLength)));
  };
  switch (request.framing) {
    case 'length':
      return request;
    case 'chunked':
      return { ...request, headers: [...request.headers, ['Transfer-Encoding', 'chunked']], body: chunked(body), contentLength: 'none' };
    case 'bad-chunks':
      return { ...request, headers: [...request.headers, ['Transfer-Encoding', 'chunked']], body: Buffer.from(`zz\r\n${body.toString('latin1')}\r\n0\r\n\r\n`, 'latin1'), contentLength: 'none' };
    case 'no-length':
      return { ...request, contentLength: 'none' };
    case 'short-length':
      return { ...request, contentLength: Math.floor(body.length / 2) };
    case 'long-length':
      return { ...request, contentLength: body.length + 10, endsEarly: true };
    case 'length-and-chunked':
      return { ...request, headers: [...request.headers, ['Transfer-Encoding', 'chunked']], body: chunked(body) };
  }
}

/** Query strings: known parameters with bad values, unknown ones, broken percent-encoding, repetition, sheer length. */
export function queryString(parameterNames: readonly string[]): fc.Arbitrary<string> {
  const name = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...parameterNames) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a[b]', 'limit[]', '', 'user_token', 'X-User-Token') },
    { weight: 1, arbitrary: nastyString.filter((text) => text.length < 100) },
  );
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('paths', 'content', 'omit', 'all', '1', '2', '0', '-1', '100', '10001', 'true', 'false', '1e400', '9007199254740993', '0x10', ' 1', '1.5', 'NaN') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '["gt","x"]', '["any",["a","b"]]', '["any",1]', '["notany",[]]', '["eq"]', '["lt",1,2]', '[', '{}', '["__proto__",1]', '["gt",{"a":1}]',
        `["any",[${'"a",'.repeat(200)}"a"]]`, 'adhocracy_core.resources.pool.IBasicPool', 'adhocracy_core.sheets.title.ITitle', 'adhocracy_core.sheets.title.ITitle:title',
      ),
    },
    { weight: 2, arbitrary: nastyString.filter((text) => text.length < 3000) },
  );
  const rawPiece = fc.constantFrom('%', '%zz', '%ff', '%c3%28', '%00', '%e2%82', '+', '&&', '==', '%2526', '#frag', ';', '%0d%0a');
  const pair = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(name, value).map(([key, item]) => `${encodeQuery(key)}=${encodeQuery(item)}`) },
    { weight: 1, arbitrary: fc.tuple(name, rawPiece).map(([key, piece]) => `${encodeQuery(key)}=${piece}`) },
    { weight: 1, arbitrary: name.map((key) => encodeQuery(key)) },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(pair, { maxLength: 4 }).map((pairs) => (pairs.length > 0 ? `?${pairs.join('&')}` : '')) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((length) => `?elements=${'a'.repeat(length)}`) },
  );
}

/** Percent-encodes like a browser, except that lone surrogates (which encodeURIComponent refuses) become raw %ED bytes. */
function encodeQuery(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((char) => (/\p{Surrogate}/u.test(char) ? '%ED%A0%80' : encodeURIComponent(char))).join('');
  }
}

/** Paths: the known ones, and segments that are empty, dotted, percent-encoded, raw bytes or very long. */
export function pathTarget(knownPaths: readonly string[]): fc.Arbitrary<string> {
  const segment = fc.oneof(
    fc.constantFrom('..', '.', '', '%2e%2e', '%2f', '%00', 'meta_api', 'sessions', 'login_username', '0000000', 'x'.repeat(300), '%ff', '%c3%28', ';x', '*'),
    fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((text) => encodeURIComponent(text)),
    fc.string({ unit: 'grapheme', maxLength: 6 }).map((text) => encodeQuery(text)),
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...knownPaths) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...knownPaths), fc.array(segment, { minLength: 1, maxLength: 3 })).map(([base, segments]) => `${base}${segments.join('/')}`) },
    { weight: 1, arbitrary: fc.constantFrom('*', '//', '/./', 'http://evil.example/', '/%', '/\u00e4', '/a b') },
  );
}

// No DELETE: it would remove the pools the other cases aim at.
export const methods = fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'TRACE', 'PROPFIND', 'get', 'G3T');
