// Resuming after a drop: every event carries its sequence, a connection that comes back gets what it missed, or is told to resync; a slow consumer is cut off and resumes.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LiveClient, Message } from '../support/live-client.ts';
import { startLiveApp, url, type LiveApp } from '../support/live-app.ts';
import { ids } from '../support/test-app.ts';

const withoutSeq = (messages: Message[]) => messages.map(({ seq: _seq, ...rest }) => rest);
/** The feed position of an event's `seq` (`<position>/<index>`). */
const feedPositionOf = (seq: unknown) => Number(String(seq).split('/')[0]);
const childEvents = (pool: string, child: string) => [
  { event: 'new_child', resource: url(pool), child: url(child) },
  { event: 'modified', resource: url(pool) },
  { event: 'changed_descendants', resource: url(pool) },
];

describe('live/resume', () => {
  let live: LiveApp;
  const opened: LiveApp[] = [];
  const createPool = (app: LiveApp, parent: string, name: string) =>
    app.t.http.post(parent).set('X-User-Token', app.adminToken).send({ content_type: ids.basicPool, data: { [ids.name]: { name } } }).expect(200);
  async function start(options: Parameters<typeof startLiveApp>[0] = {}): Promise<LiveApp> {
    const app = await startLiveApp(options);
    opened.push(app);
    return app;
  }
  async function subscribed(app: LiveApp, ...resources: string[]): Promise<LiveClient> {
    const client = await app.connect();
    for (const resource of resources) client.send({ action: 'subscribe', resource });
    await client.take(resources.length);
    return client;
  }
  afterEach(async () => {
    for (const app of opened.splice(0)) await app.close();
  });

  it('gives a connection that comes back what it missed of the resources it names, then confirms, then goes on live', async () => {
    live = await start();
    await createPool(live, '/', 'p');
    const first = await subscribed(live, '/p/');
    await createPool(live, '/p/', 'a');
    const seen = await first.take(3);
    const since = seen[2]?.seq;
    assert.match(String(since), /^\d+\/\d+$/, `a position: ${JSON.stringify(seen)}`);
    await first.close();
    await createPool(live, '/p/', 'b');
    await createPool(live, '/', 'elsewhere');
    await createPool(live, '/p/', 'c');
    const again = await live.connect();
    again.send({ action: 'resume', since, resources: ['/p/', url('/elsewhere/')] });
    const replayed = await again.take(7);
    assert.deepEqual(withoutSeq(replayed), [
      ...childEvents('/p/', '/p/b/'),
      ...childEvents('/p/', '/p/c/'),
      { status: 'ok', action: 'resume', resources: [url('/p/'), url('/elsewhere/')] },
    ]);
    assert.ok(feedPositionOf(replayed[0]?.seq) > feedPositionOf(since) && feedPositionOf(replayed[3]?.seq) > feedPositionOf(replayed[0]?.seq));
    await createPool(live, '/p/', 'd');
    assert.deepEqual(withoutSeq(await again.take(3)), childEvents('/p/', '/p/d/'));
  });

  it('tells a connection that missed more than the window holds to resync, and subscribes it all the same', async () => {
    live = await start({ env: { WS_RESUME_WINDOW: '2' } });
    await createPool(live, '/', 'p');
    const first = await subscribed(live, '/p/');
    await createPool(live, '/p/', 'a');
    const since = (await first.take(3))[2]?.seq;
    await first.close();
    for (const name of ['b', 'c', 'd']) await createPool(live, '/p/', name);
    const again = await live.connect();
    again.send({ action: 'resume', since, resources: ['/p/'] });
    const [resync, confirmation] = await again.take(2);
    assert.equal(resync?.event, 'resync_required');
    assert.ok(feedPositionOf(resync?.seq) > feedPositionOf(since));
    assert.deepEqual(confirmation, { status: 'ok', action: 'resume', resources: [url('/p/')] });
    await createPool(live, '/p/', 'e');
    assert.deepEqual(withoutSeq(await again.take(3)), childEvents('/p/', '/p/e/'));
    // A sequence the server never gave cannot be vouched for either.
    const lost = await live.connect();
    lost.send({ action: 'resume', since: 'not a sequence', resources: [] });
    assert.deepEqual(
      (await lost.take(2)).map((message) => message.event ?? message.status),
      ['resync_required', 'ok'],
    );
  });

  it('gives a connection that dropped in the middle of a transaction’s events the rest of them', async () => {
    live = await start();
    await createPool(live, '/', 'p');
    const first = await subscribed(live, '/p/');
    await createPool(live, '/p/', 'a');
    const [newChild] = await first.take(3);
    await first.close();
    const again = await live.connect();
    again.send({ action: 'resume', since: newChild?.seq, resources: ['/p/'] });
    assert.deepEqual(withoutSeq(await again.take(3)), [...childEvents('/p/', '/p/a/').slice(1), { status: 'ok', action: 'resume', resources: [url('/p/')] }]);
  });

  it('tells of what was removed while the connection was away, and leaves it out of the subscriptions', async () => {
    live = await start();
    await createPool(live, '/', 'p');
    await createPool(live, '/p/', 'c');
    await createPool(live, '/p/', 'gone');
    const first = await subscribed(live, '/p/', '/p/c/');
    await live.t.http.put('/p/c/').set('X-User-Token', live.adminToken).send({ data: { [ids.metadata]: { hidden: false } } }).expect(200);
    const since = (await first.take(3))[2]?.seq;
    await first.close();
    await live.t.http.put('/p/c/').set('X-User-Token', live.adminToken).send({ data: { [ids.metadata]: { hidden: true } } }).expect(200);
    await live.t.http.delete('/p/gone/').set('X-User-Token', live.adminToken).expect(200);
    const again = await live.connect();
    again.send({ action: 'resume', since, resources: ['/p/', '/p/c/', '/p/gone/', '/never/'] });
    assert.deepEqual(withoutSeq(await again.take(10)), [
      { event: 'removed', resource: url('/p/c/') },
      { event: 'removed_child', resource: url('/p/'), child: url('/p/c/') },
      { event: 'modified', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
      { event: 'removed', resource: url('/p/gone/') },
      { event: 'removed_child', resource: url('/p/'), child: url('/p/gone/') },
      { event: 'modified', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
      { event: 'removed', resource: url('/never/') },
      { status: 'ok', action: 'resume', resources: [url('/p/')] },
    ]);
  });

  it('resumes from the store’s changes feed after the server restarted on the same data directory', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'live-resume-'));
    try {
      const before = await startLiveApp({ directory });
      await createPool(before, '/', 'p');
      const first = await subscribed(before, '/p/');
      await createPool(before, '/p/', 'a');
      const since = (await first.take(3))[2]?.seq;
      await first.close();
      await createPool(before, '/p/', 'b');
      await before.close();
      const after = await start({ directory });
      await createPool(after, '/p/', 'c');
      const again = await after.connect();
      again.send({ action: 'resume', since, resources: ['/p/'] });
      assert.deepEqual(withoutSeq(await again.take(7)), [
        ...childEvents('/p/', '/p/b/'),
        ...childEvents('/p/', '/p/c/'),
        { status: 'ok', action: 'resume', resources: [url('/p/')] },
      ]);
    } finally {
      for (const app of opened.splice(0)) await app.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('closes a consumer that does not keep up with 1013 once its buffer passes the bound, and lets it resume', async function () {
    this.timeout(60_000);
    // Long URLs make every event large, so that the socket buffers of the system fill quickly.
    const publicUrl = `http://localhost:6541/${'x'.repeat(4000)}`;
    live = await start({ env: { PUBLIC_URL: publicUrl, WS_MAX_BUFFERED_BYTES: '65536', BATCH_MAX_REQUESTS: '100' } });
    await createPool(live, '/', 'p');
    const slow = await subscribed(live, '/p/');
    // A consumer that keeps up tells when the server has sent everything: events leave after the writes
    // that cause them, and the slow one must stay paused until then, however fast the writes were.
    const probe = await subscribed(live, '/p/');
    const socket = (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    for (let round = 0; round < 12; round++) {
      const batch = Array.from({ length: 100 }, (_, index) => ({
        method: 'POST',
        path: '/p/',
        body: { content_type: ids.basicPool, data: { [ids.name]: { name: `r${round}-${index}` } } },
      }));
      await live.t.http.post('/batch').set('X-User-Token', live.adminToken).send(batch).expect(200);
    }
    while (!JSON.stringify(await probe.next()).includes('/p/r11-99/')) {
      // The probe reads on until the event of the last child created.
    }
    socket.resume();
    const { code } = await slow.closed;
    assert.equal(code, 1013);
    const received = slow.pending();
    assert.ok(received.length < 12 * 102, `cut off before everything was sent: ${received.length} messages`);
    const last = received.at(-1) as Message;
    const again = await live.connect();
    again.send({ action: 'resume', since: last.seq, resources: ['/p/'] });
    const answer = await again.next();
    assert.ok(answer.event === 'resync_required' || answer.event === 'new_child' || answer.event === 'changed_descendants', JSON.stringify(answer).slice(0, 200));
  });
});
