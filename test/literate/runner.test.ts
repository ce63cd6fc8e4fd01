// Unit tests of the literate spec runner: the JSON-with-ellipsis matcher, the Markdown reader and failure reports.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatPattern, matchPattern, matchText, parsePattern, PatternSyntaxError, UnknownCaptureError, type Captures, type MatchResult } from './expect.ts';
import { parseSpec, SpecError } from './parse.ts';
import { runSpecFile } from './run.ts';
import { registrationBody } from '../support/test-app.ts';

const noCaptures: Captures = new Map();

function match(expected: string, actual: unknown, captures: Captures = noCaptures): MatchResult {
  return matchPattern(parsePattern(expected), actual, captures);
}

function assertMatches(expected: string, actual: unknown, captures: Captures = noCaptures): Captures {
  const result = match(expected, actual, captures);
  assert.ok(result.ok, result.ok ? '' : `${result.path}: ${result.reason}`);
  return result.captures;
}

function assertMismatch(expected: string, actual: unknown, path: string, reason?: RegExp): void {
  const result = match(expected, actual);
  assert.equal(result.ok, false, `${expected} should not match ${JSON.stringify(actual)}`);
  if (result.ok) return;
  assert.equal(result.path, path);
  if (reason) assert.match(result.reason, reason);
}

describe('literate/expect', () => {
  it('requires exactly the listed members of an object without `...`', () => {
    assertMatches('{"a": 1, "b": 2}', { b: 2, a: 1 });
    assertMismatch('{"a": 1}', { a: 1, b: 2 }, '$.b', /unexpected member/);
    assertMismatch('{"a": 1, "b": 2}', { a: 1 }, '$.b', /missing member/);
  });

  it('allows further members where an object lists `...`', () => {
    assertMatches('{"a": 1, ...}', { a: 1, b: 2, c: 3 });
    assertMatches('{..., "a": 1}', { a: 1, b: 2 });
    assertMatches('{...}', {});
    assertMismatch('{"a": 1, ...}', { b: 2 }, '$.a', /missing member/);
  });

  it('matches any number of array elements, none included, at a `...`', () => {
    assertMatches('["x", ...]', ['x']);
    assertMatches('["x", ...]', ['x', 'y', 'z']);
    assertMatches('[..., "z"]', ['x', 'y', 'z']);
    assertMatches('[..., "y", ...]', ['x', 'y', 'z']);
    assertMatches('[...]', []);
    assertMismatch('["x", ...]', ['y', 'x'], '$[0]');
    assertMismatch('[..., "z"]', ['z', 'y'], '$[1]');
    assertMismatch('[..., "q", ...]', ['x', 'y'], '$', /no run of elements matches "q"/);
    assertMismatch('["x", ..., "y"]', ['x'], '$', /at least 2 elements/);
  });

  it('matches arrays without `...` by length and position', () => {
    assertMatches('[1, "two", null]', [1, 'two', null]);
    assertMismatch('[1, 2]', [1, 2, 3], '$', /expected 2 elements, got 3/);
    assertMismatch('[1, 2]', [2, 1], '$[0]');
  });

  it('backtracks to find where a run between `...` fits, captures included', () => {
    const captures = assertMatches('[..., {"id": "{{=found}}", "ok": true}, ...]', [
      { id: 'a', ok: false },
      { id: 'b', ok: true },
      { id: 'c', ok: false },
    ]);
    assert.equal(captures.get('found'), 'b');
  });

  it('matches any value, but not a missing member, with a bare `...`', () => {
    assertMatches('{"data": ...}', { data: { deep: [1, 2] } });
    assertMatches('{"data": ...}', { data: null });
    assertMismatch('{"data": ...}', {}, '$.data', /missing member/);
  });

  it('matches any run of characters at a `...` inside a string', () => {
    assertMatches('"http://localhost:6541/principals/users/..."', 'http://localhost:6541/principals/users/0000000/');
    assertMatches('"a...b...c"', 'a-b-c');
    assertMatches('"..."', '');
    assertMismatch('"http://localhost:6541/..."', 'https://example.org/', '$');
    assertMismatch('"..."', 3, '$', /got 3/);
  });

  it('keeps `...` and brackets inside strings as text when parsing', () => {
    assert.deepEqual(parsePattern('{"a": "x...y", "b": "[...]"}'), {
      kind: 'object',
      open: false,
      members: [
        { key: 'a', value: { kind: 'string', text: 'x...y' } },
        { key: 'b', value: { kind: 'string', text: '[...]' } },
      ],
    });
  });

  it('compares numbers, booleans and null by value', () => {
    assertMatches('{"n": 1.0, "t": true, "z": null}', { n: 1, t: true, z: null });
    assertMismatch('{"n": 1}', { n: '1' }, '$.n', /expected 1, got "1"/);
    assertMismatch('{"z": null}', { z: false }, '$.z');
  });

  it('captures with `{{=name}}` and substitutes `{{name}}` later, even in the same body', () => {
    const captures = assertMatches('{"path": "{{=anna}}", "created": ["{{anna}}"]}', { path: '/u/1/', created: ['/u/1/'] });
    assert.equal(captures.get('anna'), '/u/1/');
    assertMatches('"{{anna}}sessions/..."', '/u/1/sessions/abc/', captures);
    assertMismatch('{"path": "{{=anna}}", "created": ["{{anna}}"]}', { path: '/u/1/', created: ['/u/2/'] }, '$.created[0]');
  });

  it('captures a value that is not a string as its JSON text', () => {
    const captures = assertMatches('{"count": "{{=count}}", "data": "{{=data}}"}', { count: 3, data: { a: [1] } });
    assert.equal(captures.get('count'), '3');
    assert.equal(captures.get('data'), '{"a":[1]}');
  });

  it('matches a bare `{{name}}` against a value whose JSON text was captured, such as a number', () => {
    const captures = assertMatches('{"seq": "{{=seq}}"}', { seq: 17 });
    assertMatches('{"seq": {{seq}}, "list": [{{seq}}]}', { seq: 17, list: [17] }, captures);
    const mismatch = match('{"seq": {{seq}}}', { seq: 18 }, captures);
    assert.ok(!mismatch.ok && mismatch.path === '$.seq' && /expected 17, got 18/.test(mismatch.reason), JSON.stringify(mismatch));
    assert.throws(() => match('{{nobody}}', 1), UnknownCaptureError);
  });

  it('takes a captured value literally, even when it contains `...`', () => {
    const captures: Captures = new Map([['dots', 'a...b']]);
    assert.equal(matchText('{{dots}}', 'a...b', captures).ok, true);
    assert.equal(matchText('{{dots}}', 'a-b', captures).ok, false);
  });

  it('refuses `{{name}}` that was never captured, naming it', () => {
    assert.throws(() => match('"{{nobody}}"', 'x'), (error: unknown) => error instanceof UnknownCaptureError && /\{\{nobody\}\}/.test(error.message));
  });

  it('reports the JSON path of the first mismatch', () => {
    const expected = '{"data": {"adhocracy_core.sheets.pool.IPool": {"count": 2, ...}, ...}}';
    const actual = { data: { 'adhocracy_core.sheets.pool.IPool': { count: 1, elements: [] } } };
    assertMismatch(expected, actual, '$.data["adhocracy_core.sheets.pool.IPool"].count', /expected 2, got 1/);
  });

  it('reports syntax errors with their line and column', () => {
    assert.throws(
      () => parsePattern('{"a": 1,\n "b" 2}'),
      (error: unknown) => error instanceof PatternSyntaxError && error.line === 2 && error.column === 6,
    );
    assert.throws(() => parsePattern('{"a": 1} x'), PatternSyntaxError);
    assert.throws(() => parsePattern('{"a": 1, "a": 2}'), /listed twice/);
  });

  it('forgives a trailing comma', () => {
    assertMatches('{"a": [1, 2,],}', { a: [1, 2] });
  });

  it('prints a pattern with `...` and known captures filled in', () => {
    const pattern = parsePattern('{"path": "{{anna}}", "list": [..., 1], ...}');
    assert.equal(formatPattern(pattern, new Map([['anna', '/u/1/']]), null), '{"path": "/u/1/", "list": [..., 1], ...}');
  });
});

describe('literate/parse', () => {
  it('reads requests with headers and body, their answers and clock steps, with their lines', () => {
    const markdown = [
      '# Title', // 1
      '', // 2
      '```http', // 3
      'POST /principals/users?x=1', // 4
      'As: anna', // 5
      '', // 6
      '{"a": 1}', // 7
      '```', // 8
      '```http-response', // 9
      '200 OK', // 10
      'Content-Type: application/json...', // 11
      '', // 12
      '{"b": ...}', // 13
      '```', // 14
      '```clock', // 15
      'advance 59 minutes 59 seconds', // 16
      'advance 2 days', // 17
      '```', // 18
    ].join('\n');
    const steps = parseSpec(markdown, 'x.md');
    assert.equal(steps.length, 3);
    const [request, first, second] = steps;
    assert.ok(request?.kind === 'request');
    assert.equal(request.line, 3);
    assert.equal(request.method, 'POST');
    assert.equal(request.target, '/principals/users?x=1');
    assert.deepEqual(request.headers, [{ name: 'As', value: 'anna', line: 5 }]);
    assert.equal(request.body, '{"a": 1}');
    assert.equal(request.response.line, 9);
    assert.equal(request.response.status, 200);
    assert.deepEqual(request.response.headers, [{ name: 'Content-Type', value: 'application/json...', line: 11 }]);
    assert.deepEqual(request.response.body, { kind: 'object', open: false, members: [{ key: 'b', value: { kind: 'anything' } }] });
    assert.deepEqual(first, { kind: 'clock', line: 16, milliseconds: (59 * 60 + 59) * 1000 });
    assert.deepEqual(second, { kind: 'clock', line: 17, milliseconds: 2 * 24 * 3600 * 1000 });
  });

  it('does not execute fences with other info strings, nor http blocks shown inside a longer fence', () => {
    const markdown = ['```json', '{"a": 1}', '```', '````markdown', '```http', 'GET /', '```', '````', '```sh', 'npm test', '```'].join('\n');
    assert.deepEqual(parseSpec(markdown, 'x.md'), []);
  });

  it('fails with file:line for a request block without a response block', () => {
    const markdown = ['Text', '', '```http', 'GET /', '```', '', '```http', 'GET /meta_api', '```', '```http-response', '200', '```'].join('\n');
    assert.throws(() => parseSpec(markdown, 'docs/x.md'), (error: unknown) => error instanceof SpecError && /^docs\/x\.md:3: .*no http-response block/.test(error.message));
    assert.throws(() => parseSpec('```http\nGET /\n```\n', 'docs/x.md'), /^SpecError: docs\/x\.md:1: /m);
  });

  it('fails with file:line for a response block without a request, and for broken lines', () => {
    assert.throws(() => parseSpec('a\n```http-response\n200\n```\n', 'y.md'), /y\.md:2: an http-response block must follow/);
    assert.throws(() => parseSpec('```http\nGET /\nno header\n```\n```http-response\n200\n```\n', 'y.md'), /y\.md:3: expected a header/);
    assert.throws(() => parseSpec('```http\nGET /\n```\n```http-response\n200\n\n{"a": }\n```\n', 'y.md'), /y\.md:7: expected a value/);
    assert.throws(() => parseSpec('```clock\nadvance 3 fortnights\n```\n', 'y.md'), /y\.md:2: cannot read/);
    assert.throws(() => parseSpec('text\n```http\nGET /\n', 'y.md'), /y\.md:2: the code block opened here is never closed/);
    assert.throws(() => parseSpec('```mail\nSubject: Hello\n```\n', 'y.md'), /y\.md:1: a mail block needs a `To:` line/);
    assert.throws(() => parseSpec('```clock\nsweep now\n```\n', 'y.md'), /y\.md:2: expected `advance .* or `sweep`/);
  });

  it('reads mail blocks and sweeps, with their lines', () => {
    const steps = parseSpec('```clock\nadvance 1 day\nsweep\n```\n\n```mail\nTo: a@example.org\nCount: 2\n\nHello...\n```\n', 'z.md');
    assert.deepEqual(steps, [
      { kind: 'clock', line: 2, milliseconds: 86_400_000 },
      { kind: 'clock', line: 3, milliseconds: 0, sweep: true },
      { kind: 'mail', line: 6, to: 'a@example.org', headers: [{ name: 'Count', value: '2', line: 8 }], body: { text: 'Hello...', line: 10 } },
    ]);
  });
});

describe('literate/parse websocket blocks', () => {
  it('reads OPEN, SEND (text or binary), RECEIVE with each expected message and its line, CLOSE and CLOSED', () => {
    const markdown = [
      '```websocket', // 1
      'OPEN tab', // 2
      '```', // 3
      '```websocket', // 4
      'SEND tab', // 5
      '{"action": "subscribe",', // 6
      ' "resource": "{{pool}}"}', // 7
      '```', // 8
      '```websocket', // 9
      'SEND tab binary', // 10
      'raw bytes', // 11
      '```', // 12
      '```websocket', // 13
      'RECEIVE tab', // 14
      '{"status": "ok", ...}', // 15
      '', // 16
      '{"event": "new_child",', // 17
      ' "seq": "{{=seq}}", ...}', // 18
      '```', // 19
      '```websocket', // 20
      'CLOSED tab 1009', // 21
      '```', // 22
      '```websocket', // 23
      'CLOSE tab', // 24
      '```', // 25
    ].join('\n');
    const steps = parseSpec(markdown, 'x.md');
    assert.deepEqual(
      steps.map((step) => (step.kind === 'websocket' ? [step.command, step.connection, step.line] : step.kind)),
      [
        ['OPEN', 'tab', 1],
        ['SEND', 'tab', 4],
        ['SEND', 'tab', 9],
        ['RECEIVE', 'tab', 13],
        ['CLOSED', 'tab', 20],
        ['CLOSE', 'tab', 23],
      ],
    );
    const [, send, binary, receive, closed] = steps;
    assert.ok(send?.kind === 'websocket' && binary?.kind === 'websocket' && receive?.kind === 'websocket' && closed?.kind === 'websocket');
    assert.equal(send.text, '{"action": "subscribe",\n "resource": "{{pool}}"}');
    assert.equal(send.binary, false);
    assert.equal(binary.binary, true);
    assert.deepEqual(
      receive.messages?.map((message) => message.line),
      [15, 17],
    );
    assert.deepEqual(receive.messages?.[0]?.pattern, { kind: 'object', open: true, members: [{ key: 'status', value: { kind: 'string', text: 'ok' } }] });
    assert.equal(closed.code, 1009);
  });

  it('fails with file:line for a websocket block it cannot read', () => {
    assert.throws(() => parseSpec('```websocket\nCONNECT tab\n```\n', 'w.md'), /w\.md:2: expected OPEN, SEND, RECEIVE, CLOSE or CLOSED/);
    assert.throws(() => parseSpec('```websocket\nOPEN\n```\n', 'w.md'), /w\.md:2: .*name/);
    assert.throws(() => parseSpec('```websocket\nSEND tab\n```\n', 'w.md'), /w\.md:1: SEND needs the message/);
    assert.throws(() => parseSpec('```websocket\nRECEIVE tab\n```\n', 'w.md'), /w\.md:1: RECEIVE needs the messages/);
    assert.throws(() => parseSpec('```websocket\nRECEIVE tab\n{"a": 1}\n{"b": }\n```\n', 'w.md'), /w\.md:4: expected a value/);
    assert.throws(() => parseSpec('```websocket\nCLOSED tab soon\n```\n', 'w.md'), /w\.md:2: .*close code/);
    assert.throws(() => parseSpec('```http\nGET /\n```\n```websocket\nOPEN tab\n```\n```http-response\n200\n```\n', 'w.md'), /w\.md:1: the request has no http-response block before the websocket block/);
  });
});

/** A spec's registration of Anna, capturing her URL as `anna`. */
const registerAnna = `
${'```'}http
POST /principals/users

{"content_type": "adhocracy_core.resources.principal.IUser",
 "data": {"adhocracy_core.sheets.principal.IUserBasic": {"name": "Anna Müller"},
          "adhocracy_core.sheets.principal.IUserExtended": {"email": "anna@example.org"},
          "adhocracy_core.sheets.principal.IPasswordAuthentication": {"password": "EckVocUbs3"}}}
${'```'}

${'```'}http-response
200

{"path": "{{=anna}}", ...}
${'```'}
`;

describe('literate/run', () => {
  let directory: string;

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'literate-'));
  });

  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('fails with the file and line of a broken expectation', async () => {
    const file = path.join(directory, 'broken.md');
    const spec = [
      '# A broken spec', // 1
      '', // 2
      '```http', // 3
      'GET /', // 4
      '```', // 5
      '', // 6
      '```http-response', // 7
      '200', // 8
      '', // 9
      '{"data": {"adhocracy_core.sheets.pool.IPool": {"count": 99, ...}, ...}, ...}', // 10
      '```', // 11
    ].join('\n');
    await writeFile(file, spec);
    await assert.rejects(runSpecFile(file), (error: unknown) => {
      assert.ok(error instanceof SpecError);
      assert.ok(error.message.startsWith(`${file}:7: `), error.message);
      assert.match(error.message, /at \$\.data\["adhocracy_core\.sheets\.pool\.IPool"\]\.count: expected 99, got \d+/);
      assert.match(error.message, /request \(.*broken\.md:3\):\n {4}GET \//);
      assert.match(error.message, /expected \(.*broken\.md:7\):\n {4}200\n\n {4}\{\n/);
      assert.match(error.message, /actual:\n {4}200\n\n {4}\{\n {6}"content_type": "adhocracy_core\.resources\.root\.IRootPool"/);
      return true;
    });
  });

  it('fails in one line naming a file that is missing, or not a file', async () => {
    const missing = path.join(directory, 'missing.md');
    await assert.rejects(runSpecFile(missing), (error: unknown) => error instanceof SpecError && error.message === `${missing}: no such file`);
    await assert.rejects(runSpecFile(directory), (error: unknown) => error instanceof SpecError && error.message === `${directory}: is a directory, not a spec file`);
  });

  it('fails at the request line when a capture is used before it is made', async () => {
    const file = path.join(directory, 'unknown-capture.md');
    await writeFile(file, 'Text\n\n```http\nGET {{anna}}\n```\n\n```http-response\n200\n```\n');
    await assert.rejects(runSpecFile(file), (error: unknown) => error instanceof SpecError && error.message.startsWith(`${file}:3: {{anna}} was never captured`));
  });

  it('runs the requests in order with captures, `As:` and the clock, and counts them', async () => {
    const file = path.join(directory, 'passing.md');
    const spec = `
${registerAnna}
\`\`\`http
POST /login_username

{"name": "Anna Müller", "password": "EckVocUbs3"}
\`\`\`

\`\`\`http-response
200

{"status": "success", "user_path": "{{anna}}", "user_token": "{{=anna_token}}", ...}
\`\`\`

\`\`\`clock
advance 3 hours 1 second
\`\`\`

\`\`\`http
GET {{anna}}
As: anna
\`\`\`

\`\`\`http-response
400

{"status": "error", "errors": [{"name": "X-User-Token", ...}]}
\`\`\`
`;
    await writeFile(file, spec);
    const result = await runSpecFile(file);
    assert.equal(result.requests, 3);
  });

  it('checks the mails to an address: their count, the newest one\'s headers, link and text, and says what it found when they differ', async () => {
    const file = path.join(directory, 'mail.md');
    const register = (name: string, email: string) =>
      `\`\`\`http\nPOST /principals/users\n\n${JSON.stringify(registrationBody(name, email))}\n\`\`\`\n\n\`\`\`http-response\n200\n\`\`\`\n`;
    const ask = '```http\nPOST /create_password_reset\n\n{"email": "anna@example.org"}\n```\n\n```http-response\n200\n```\n';
    const passing = `${register('Anna', 'anna@example.org')}\n${ask}\n${ask}\n\`\`\`mail\nTo: anna@example.org\nCount: 2\nSubject: Reset ...\nLink: http://localhost:6541/password_reset/...\nLink-Path: {{=path}}\n\nHello Anna,\n\n...\n\`\`\`\n\n\`\`\`mail\nTo: bert@example.org\nCount: 0\n\`\`\`\n`;
    await writeFile(file, passing);
    assert.equal((await runSpecFile(file)).requests, 3);

    await writeFile(file, `${register('Anna', 'anna@example.org')}\n${ask}\n\`\`\`mail\nTo: anna@example.org\nSubject: Activate your account\n\`\`\`\n`);
    await assert.rejects(runSpecFile(file), (error: unknown) => {
      assert.ok(error instanceof SpecError);
      assert.match(error.message, /mail\.md:\d+: Subject of the mail does not match: expected "Activate your account", got "Reset your password"/);
      assert.match(error.message, /the newest of 1 mails to anna@example\.org:\n {4}Subject: Reset your password\n {4}Link: http:\/\/localhost:6541\/password_reset\//);
      return true;
    });
  });

  it('opens connections, sends with captures and checks the messages in order, capturing from them', async () => {
    const file = path.join(directory, 'websocket.md');
    const spec = `
\`\`\`websocket
OPEN tab
\`\`\`

\`\`\`websocket
SEND tab
{"action": "subscribe", "resource": "/principals/users/"}
\`\`\`

\`\`\`websocket
RECEIVE tab
{"status": "ok", "action": "subscribe", "resource": "http://localhost:6541/principals/users/"}
\`\`\`

${registerAnna}
\`\`\`websocket
RECEIVE tab
{"event": "new_child", "resource": "http://localhost:6541/principals/users/", "child": "{{anna}}", "seq": "{{=seq}}"}
{"event": "modified", "resource": "http://localhost:6541/principals/users/", "seq": "..."}
\`\`\`

\`\`\`websocket
CLOSE tab
\`\`\`

\`\`\`websocket
OPEN again
\`\`\`

\`\`\`websocket
SEND again
{"action": "resume", "since": "{{seq}}", "resources": ["{{anna}}"]}
\`\`\`

\`\`\`websocket
RECEIVE again
{"status": "ok", "action": "resume", "resources": ["{{anna}}"]}
\`\`\`
`;
    await writeFile(file, spec);
    const result = await runSpecFile(file);
    assert.equal(result.requests, 3);
  });

  it('fails at the line of the message that does not match, showing what the connection received', async () => {
    const file = path.join(directory, 'websocket-broken.md');
    const spec = [
      '```websocket', // 1
      'OPEN tab', // 2
      '```', // 3
      '```websocket', // 4
      'SEND tab', // 5
      '{"action": "subscribe", "resource": "/"}', // 6
      '```', // 7
      '```websocket', // 8
      'RECEIVE tab', // 9
      '{"status": "redundant", ...}', // 10
      '```', // 11
    ].join('\n');
    await writeFile(file, spec);
    await assert.rejects(runSpecFile(file), (error: unknown) => {
      assert.ok(error instanceof SpecError);
      assert.ok(error.message.startsWith(`${file}:10: message 1 on tab does not match at $.status: expected "redundant", got "ok"`), error.message);
      assert.match(error.message, /received on tab \(.*websocket-broken\.md:8\):\n {4}\{"status":"ok","action":"subscribe","resource":"http:\/\/localhost:6541\/"\}/);
      return true;
    });
  });

  it('fails naming the connection when an expected message does not come, or one is used before it is opened', async () => {
    const silent = path.join(directory, 'websocket-silent.md');
    await writeFile(silent, '```websocket\nOPEN tab\n```\n```websocket\nRECEIVE tab\n{"event": ...}\n```\n');
    await assert.rejects(runSpecFile(silent, { messageTimeoutMs: 200 }), (error: unknown) => error instanceof SpecError && error.message.startsWith(`${silent}:6: message 1 on tab did not come within 200 ms`));
    const unopened = path.join(directory, 'websocket-unopened.md');
    await writeFile(unopened, '```websocket\nSEND tab\n{}\n```\n');
    await assert.rejects(runSpecFile(unopened), (error: unknown) => error instanceof SpecError && error.message.startsWith(`${unopened}:1: no connection named tab is open (open it with OPEN tab)`));
  });
});
