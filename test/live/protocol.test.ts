// The WebSocket protocol itself: confirmations, every error, the order of answers, authentication and the limits on connections.
import assert from 'node:assert/strict';
import { connect } from '../support/live-client.ts';
import { startLiveApp, url, type LiveApp } from '../support/live-app.ts';
import { ids, registerAndLogIn } from '../support/test-app.ts';

describe('live/protocol', () => {
  let live: LiveApp;
  afterEach(async () => {
    await live?.close();
  });

  it('confirms subscribing and unsubscribing with ok, and a repeat with redundant, naming the resource by its URL', async () => {
    live = await startLiveApp();
    const client = await live.connect();
    client.send({ action: 'subscribe', resource: '/principals/users/' });
    client.send({ action: 'subscribe', resource: 'http://localhost:6541/principals/users' });
    client.send({ action: 'unsubscribe', resource: '/principals/users/' });
    client.send({ action: 'unsubscribe', resource: '/principals/users/' });
    assert.deepEqual(await client.take(4), [
      { status: 'ok', action: 'subscribe', resource: url('/principals/users/') },
      { status: 'redundant', action: 'subscribe', resource: url('/principals/users/') },
      { status: 'ok', action: 'unsubscribe', resource: url('/principals/users/') },
      { status: 'redundant', action: 'unsubscribe', resource: url('/principals/users/') },
    ]);
  });

  it('answers every malformed frame with the protocol’s error, and goes on answering', async () => {
    live = await startLiveApp();
    const client = await live.connect();
    client.sendRaw(Buffer.from('{"action": "subscribe", "resource": "/"}'), { binary: true });
    client.sendRaw('{"action": "subscribe",');
    client.sendRaw('[1, 2]');
    client.sendRaw('{}');
    client.sendRaw('{"action": 7, "resource": "/"}');
    client.sendRaw('{"action": "subscribe"}');
    client.sendRaw('{"action": "subscribe", "resource": ["/"]}');
    client.sendRaw('{"action": "dance", "resource": "/"}');
    client.sendRaw('{"action": "subscribe", "resource": "/nowhere/"}');
    client.sendRaw('{"action": "subscribe", "resource": "/a/../"}');
    client.sendRaw('{"action": "subscribe", "resource": "http://elsewhere.example/"}');
    client.sendRaw('{"action": "authenticate"}');
    client.sendRaw('{"action": "resume", "since": true, "resources": []}');
    client.sendRaw('{"action": "resume", "since": 0, "resources": "/"}');
    client.sendRaw('{"action": "subscribe", "resource": "/"}');
    const answers = await client.take(15);
    assert.deepEqual(
      answers.map((answer) => [answer.error ?? answer.status, answer.details]),
      [
        ['malformed_message', 'message is binary'],
        ['malformed_message', answers[1]?.details],
        ['invalid_json', 'the message must be a JSON object'],
        ['invalid_json', 'action: Required'],
        ['invalid_json', 'action: must be a string'],
        ['invalid_json', 'resource: Required'],
        ['invalid_json', 'resource: must be a string'],
        ['unknown_action', 'dance'],
        ['unknown_resource', '/nowhere/'],
        ['unknown_resource', '/a/../'],
        ['unknown_resource', 'http://elsewhere.example/'],
        ['invalid_json', 'token: Required'],
        ['invalid_json', 'since: must be a number or a string'],
        ['invalid_json', 'resources: must be a list of strings'],
        ['ok', undefined],
      ],
    );
    assert.match(String(answers[1]?.details), /JSON/);
  });

  it('answers in the order the requests arrived, errors and all', async () => {
    live = await startLiveApp();
    const client = await live.connect();
    const requests = Array.from({ length: 60 }, (_, index) =>
      index % 3 === 0 ? { action: 'subscribe', resource: `/missing-${index}/` } : index % 3 === 1 ? { action: 'subscribe', resource: '/' } : 'not json',
    );
    for (const request of requests) (typeof request === 'string' ? client.sendRaw(request) : client.send(request));
    const answers = await client.take(60);
    answers.forEach((answer, index) => {
      if (index % 3 === 0) assert.deepEqual(answer, { error: 'unknown_resource', details: `/missing-${index}/` });
      else if (index % 3 === 1) assert.equal(answer.status, index === 1 ? 'ok' : 'redundant');
      else assert.equal(answer.error, 'malformed_message');
    });
  });

  it('takes no subscription to what the caller may not see, as if it did not exist', async () => {
    live = await startLiveApp();
    const { t, adminToken } = live;
    await t.http.post('/').set('X-User-Token', adminToken).send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'secret' } } }).expect(200);
    await t.http.put('/secret/').set('X-User-Token', adminToken).send({ data: { 'adhocracy_core.sheets.acl.IAcl': { acl: { view: ['admin'] } } } }).expect(200);
    await t.http.post('/').set('X-User-Token', adminToken).send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'gone' } } }).expect(200);
    await t.http.put('/gone/').set('X-User-Token', adminToken).send({ data: { [ids.metadata]: { hidden: true } } }).expect(200);
    const anonymous = await live.connect();
    for (const resource of ['/secret/', '/gone/', '/gone/below/']) anonymous.send({ action: 'subscribe', resource });
    assert.deepEqual(await anonymous.take(3), [
      { error: 'unknown_resource', details: '/secret/' },
      { error: 'unknown_resource', details: '/gone/' },
      { error: 'unknown_resource', details: '/gone/below/' },
    ]);
    const admin = await live.connect(adminToken);
    admin.send({ action: 'subscribe', resource: '/secret/' });
    admin.send({ action: 'subscribe', resource: '/gone/' });
    assert.deepEqual(
      (await admin.take(2)).map((answer) => answer.status),
      ['ok', 'ok'],
    );
  });

  it('refuses a subscription beyond WS_MAX_SUBSCRIPTIONS, and takes one again after an unsubscribe', async () => {
    live = await startLiveApp({ env: { WS_MAX_SUBSCRIPTIONS: '2' } });
    const client = await live.connect();
    for (const resource of ['/', '/principals/', '/principals/users/']) client.send({ action: 'subscribe', resource });
    client.send({ action: 'unsubscribe', resource: '/' });
    client.send({ action: 'subscribe', resource: '/principals/users/' });
    assert.deepEqual(await client.take(5), [
      { status: 'ok', action: 'subscribe', resource: url('/') },
      { status: 'ok', action: 'subscribe', resource: url('/principals/') },
      { error: 'too_many_subscriptions', details: 'at most 2 subscriptions per connection' },
      { status: 'ok', action: 'unsubscribe', resource: url('/') },
      { status: 'ok', action: 'subscribe', resource: url('/principals/users/') },
    ]);
  });

  it('authenticates by message: ok with the user, redundant again, and an invalid token changes nothing', async () => {
    live = await startLiveApp();
    const anna = await registerAndLogIn(live.t.http, 'Anna');
    const client = await live.connect();
    client.send({ action: 'authenticate', token: anna.token });
    client.send({ action: 'authenticate', token: anna.token });
    client.send({ action: 'authenticate', token: `${anna.token}x` });
    client.send({ action: 'authenticate', token: '' });
    assert.deepEqual(await client.take(4), [
      { status: 'ok', action: 'authenticate', resource: anna.path },
      { status: 'redundant', action: 'authenticate', resource: anna.path },
      { error: 'invalid_token', details: 'Invalid user token' },
      { error: 'invalid_token', details: 'Invalid user token' },
    ]);
  });

  it('opens only at /websocket, never with a token in the URL, and at most WS_MAX_CONNECTIONS_PER_ADDRESS from one address', async () => {
    live = await startLiveApp({ env: { WS_MAX_CONNECTIONS_PER_ADDRESS: '2' } });
    const base = live.server.wsUrl;
    await assert.rejects(connect(base.replace('/websocket', '/elsewhere')), (error: { status?: number }) => error.status === 404);
    await assert.rejects(connect(`${base}?token=abc`), (error: { status?: number; body?: string }) => error.status === 400 && /authenticate/.test(error.body ?? ''));
    const first = await live.connect();
    await live.connect();
    await assert.rejects(connect(base), (error: { status?: number; body?: string }) => error.status === 429 && /too_many_connections/.test(error.body ?? ''));
    await first.close();
    const again = await connect(base);
    again.send({ action: 'subscribe', resource: '/' });
    assert.equal((await again.next()).status, 'ok');
    await again.close();
  });

  it('refuses an origin that CORS_ORIGINS does not list, and closes on a frame too large or not UTF-8', async () => {
    live = await startLiveApp({ env: { CORS_ORIGINS: 'https://app.example.org', BODY_LIMIT_BYTES: '2048' } });
    await assert.rejects(connect(live.server.wsUrl, { headers: { Origin: 'https://evil.example' } }), (error: { status?: number }) => error.status === 403);
    const allowed = await connect(live.server.wsUrl, { headers: { Origin: 'https://app.example.org' } });
    allowed.send({ action: 'subscribe', resource: '/', padding: 'x'.repeat(3000) });
    assert.equal((await allowed.closed).code, 1009);
    const garbled = await live.connect();
    garbled.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    assert.equal((await garbled.closed).code, 1007);
  });

  it('closes a connection that stops answering pings', async function () {
    this.timeout(20_000);
    live = await startLiveApp({ env: { WS_HEARTBEAT_SECONDS: '1' } });
    const silent = await live.connect(undefined, { autoPong: false });
    const lively = await live.connect();
    const { code } = await silent.closed;
    assert.equal(code, 1006, 'the server drops it without a closing handshake');
    lively.send({ action: 'subscribe', resource: '/' });
    assert.equal((await lively.next()).status, 'ok');
  });

  it('closes every connection with 1001 when the app closes', async () => {
    live = await startLiveApp();
    const client = await live.connect();
    await live.t.app.closeWebSockets();
    assert.deepEqual(await client.closed, { code: 1001, reason: 'The server is shutting down' });
  });
});
