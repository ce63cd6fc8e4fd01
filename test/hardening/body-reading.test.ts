// Request bodies: refused over the limit before they are read, strict UTF-8 and Unicode, no duplicate keys, no compression.
import assert from 'node:assert/strict';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { findDuplicateKey } from '../../src/rest/json-body.ts';
import { startTestInstance, type TestInstance } from '../../src/testing.ts';
import { ids, registrationBody } from '../support/test-app.ts';
import { envelopeProblem } from './answers.ts';
import { buildRawRequest, bytesOf, parseAnswers, sendRaw, type RawAnswer } from './raw-http.ts';
import { assertFaster } from '../support/timing.ts';

const limit = 4096;

describe('hardening/request bodies', function () {
  this.timeout(30_000);
  // Raw sockets meet the server as a real one is set up: a throwaway instance, listening on a port of its own.
  let instance: TestInstance;
  let port: number;
  /** The users there are before any test: the instance's admin. */
  let initialUsers: number;

  before(async () => {
    instance = await startTestInstance({ env: { BODY_LIMIT_BYTES: String(limit) } });
    port = Number(new URL(instance.url).port);
    initialUsers = await usersCount();
  });
  after(async () => {
    await instance.stop();
  });

  async function usersCount(): Promise<number> {
    const answer = await fetch(`${instance.url}/principals/users/`);
    assert.equal(answer.status, 200);
    return ((await answer.json()) as { data: Record<string, { count: number }> }).data[ids.pool]?.count as number;
  }

  async function register(body: Buffer, headers: [string, string][] = [['Content-Type', 'application/json']]): Promise<RawAnswer> {
    const exchange = await sendRaw(port, buildRawRequest({ method: 'POST', target: '/principals/users', headers, body }));
    assert.equal(exchange.answers.length, 1, `expected one answer, got ${exchange.answers.length}`);
    return exchange.answers[0] as RawAnswer;
  }

  function assertError(answer: RawAnswer, status: number, code: string): void {
    const body = JSON.parse(answer.body.toString()) as { errors: { code: string }[] };
    assert.equal(answer.status, status, answer.body.toString());
    assert.equal(envelopeProblem(body), undefined);
    assert.equal(body.errors[0]?.code, code, answer.body.toString());
  }

  it('answers 413 to a declared length over the limit at once, without waiting for the body', async () => {
    const exchange = await sendRaw(
      port,
      buildRawRequest({ method: 'POST', target: '/principals/users', headers: [['Content-Type', 'application/json']], body: Buffer.from('{"a":'), contentLength: 1_000_000_000 }),
      { timeoutMs: 5_000 },
    );
    assert.equal(exchange.timedOut, false, 'the server waited for a gigabyte that never came');
    assert.equal(exchange.answers[0]?.status, 413);
    assert.equal(exchange.answers[0]?.headers.connection, 'close');
    assertFaster(exchange.ms, 2_000, 'answering 413 to a declared length over the limit');
  });

  it('answers 413 to a streamed body that never ends as soon as it passes the limit, and stops reading', async () => {
    const socket = net.connect({ port: port, host: '127.0.0.1' });
    const received: Uint8Array[] = [];
    let sent = 0;
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => received.push(bytesOf(chunk)));
    socket.on('error', () => undefined);
    socket.write('POST /principals/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = `400\r\n${' '.repeat(0x400)}\r\n`;
    // Keeps sending 1 kB chunks for as long as the server lets it, up to 5 s.
    const sender = setInterval(() => {
      if (socket.destroyed) return;
      socket.write(chunk);
      sent += 0x400;
    }, 1);
    const started = Date.now();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    clearInterval(sender);
    socket.destroy();
    const [answer] = parseAnswers(Buffer.concat(received)).answers;
    assert.equal(answer?.status, 413, 'no 413 while the body was still coming');
    assertFaster(Date.now() - started, 4_000, 'closing a connection streaming past the limit');
    // Socket buffers let a client get some way past the limit; a server reading everything would take all 5 s.
    assert.ok(sent < 2_000_000, `the client sent ${sent} bytes before the server closed`);
  });

  it('answers 413 to a chunked body over the limit and stores nothing', async () => {
    const before = await usersCount();
    const body = Buffer.from(JSON.stringify(registrationBody('Anna', `${'a'.repeat(limit)}@example.org`)));
    const exchange = await sendRaw(
      port,
      buildRawRequest({ method: 'POST', target: '/principals/users', headers: [['Content-Type', 'application/json'], ['Transfer-Encoding', 'chunked']], body: Buffer.concat([bytesOf(Buffer.from(`${body.length.toString(16)}\r\n`)), bytesOf(body), bytesOf(Buffer.from('\r\n0\r\n\r\n'))]), contentLength: 'none' }),
    );
    assertError(exchange.answers[0] as RawAnswer, 413, 'too_large');
    assert.equal(await usersCount(), before);
  });

  it('refuses invalid UTF-8 instead of replacing it, so that what is stored is what was sent', async () => {
    const valid = Buffer.from(JSON.stringify(registrationBody('Anna', 'anna@example.org')));
    const at = valid.indexOf('Anna') + 4;
    for (const bytes of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xc3]]) {
      const body = Buffer.concat([bytesOf(valid.subarray(0, at)), new Uint8Array(bytes), bytesOf(valid.subarray(at))]);
      assertError(await register(body), 400, 'invalid_utf8');
    }
    assert.equal(await usersCount(), initialUsers);
  });

  it('refuses strings and keys with lone surrogates, which the store would not keep as sent', async () => {
    const name = JSON.stringify(registrationBody('Anna\ud800', 'anna@example.org'));
    assert.match(name, /\\ud800/);
    assertError(await register(Buffer.from(name)), 400, 'invalid_unicode');
    const key = JSON.stringify(registrationBody('Anna', 'anna@example.org')).replace('"name"', '"\\udc00"');
    assertError(await register(Buffer.from(key)), 400, 'invalid_unicode');
    assert.equal(await usersCount(), initialUsers);
  });

  it('refuses a key that appears twice in one object, which parsers read differently', async () => {
    const twice = JSON.stringify(registrationBody('Anna', 'anna@example.org')).replace('"name":"Anna"', '"name":"Anna","name":"Ann@"');
    const answer = await register(Buffer.from(twice));
    assertError(answer, 400, 'duplicate_key');
    assert.deepEqual(JSON.parse(answer.body.toString()).errors[0], {
      location: 'body',
      name: `data.${ids.userBasic}.name`,
      description: '"name" appears twice in one object',
      code: 'duplicate_key',
    });
    // Escapes that spell the same key are the same key.
    const escaped = JSON.stringify(registrationBody('Anna', 'anna@example.org')).replace('"name":"Anna"', '"name":"Anna","n\\u0061me":"Bert"');
    assertError(await register(Buffer.from(escaped)), 400, 'duplicate_key');
    assert.equal(await usersCount(), initialUsers);
  });

  it('refuses compressed bodies and charsets other than UTF-8 with 415', async () => {
    const body = Buffer.from(JSON.stringify(registrationBody('Anna', 'anna@example.org')));
    const compressed = gzipSync(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    const answer = await register(Buffer.from(compressed), [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']]);
    assertError(answer, 415, 'unsupported_encoding');
    assertError(await register(body, [['Content-Type', 'application/json; charset=latin1']]), 415, 'unsupported_charset');
    assertError(await register(body, [['Content-Type', 'text/plain']]), 415, 'unsupported_media_type');
    assert.equal(await usersCount(), initialUsers);
  });

  it('accepts UTF-8 with and without a charset, and a byte order mark', async () => {
    const body = (name: string) => Buffer.from(JSON.stringify(registrationBody(name, `${name.toLowerCase()}@example.org`)));
    assert.equal((await register(body('Anna'), [['Content-Type', 'application/json; charset=UTF-8']])).status, 200);
    assert.equal((await register(Buffer.concat([new Uint8Array([0xef, 0xbb, 0xbf]), bytesOf(body('Bert'))]))).status, 200);
  });

  it('answers CR or LF inside a header value in the envelope, not with a bare 400', async () => {
    for (const value of ['a\r\nb', 'a\nb', 'a\rb', 'a\u0000b']) {
      const exchange = await sendRaw(port, buildRawRequest({ method: 'GET', target: '/', headers: [['X-Request-Id', value]] }));
      const answer = exchange.answers[0] as RawAnswer;
      assert.equal(answer.status, 400, JSON.stringify(value));
      assert.equal(envelopeProblem(JSON.parse(answer.body.toString())), undefined);
    }
  });
});

describe('rest/json-body findDuplicateKey', () => {
  it('agrees with JSON.parse: no duplicate in what JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.equal(findDuplicateKey(JSON.stringify(value)), undefined);
      }),
      { numRuns: 500 },
    );
  });

  it('finds a key repeated at any depth, and only in the same object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.nat(), fc.jsonValue(), (object, pick, extra) => {
        const keys = Object.keys(object);
        const key = keys[pick % keys.length] as string;
        const text = JSON.stringify(object);
        const repeated = `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(extra)}}`;
        assert.deepEqual(findDuplicateKey(`[1,{"x":${repeated}}]`), { key, path: `1.x.${key}` });
        assert.equal(findDuplicateKey(`[${text},${text}]`), undefined);
      }),
      { numRuns: 500 },
    );
  });
});
