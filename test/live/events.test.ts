// Which events a write causes, to whom and in which order: Adhocracy 3's modified, removed, new_child, removed_child, modified_child, changed_descendants and new_version.
import assert from 'node:assert/strict';
import type { LiveClient, Message } from '../support/live-client.ts';
import { startLiveApp, url, type LiveApp } from '../support/live-app.ts';
import { ids } from '../support/test-app.ts';

const documentType = 'adhocracy_core.resources.document.IDocument';
const documentVersionType = 'adhocracy_core.resources.document.IDocumentVersion';
const versionable = 'adhocracy_core.sheets.versions.IVersionable';

/** Events without their sequence, which the resume tests look at. */
const withoutSeq = (messages: Message[]) => messages.map(({ seq: _seq, ...rest }) => rest);

describe('live/events', () => {
  let live: LiveApp;
  let client: LiveClient;
  const as = (request: ReturnType<LiveApp['t']['http']['post']>) => request.set('X-User-Token', live.adminToken);
  const createPool = (parent: string, name: string) => as(live.t.http.post(parent)).send({ content_type: ids.basicPool, data: { [ids.name]: { name } } }).expect(200);
  async function subscribe(...resources: string[]) {
    for (const resource of resources) client.send({ action: 'subscribe', resource });
    const answers = await client.take(resources.length);
    assert.ok(answers.every((answer) => answer.status === 'ok'), JSON.stringify(answers));
  }

  beforeEach(async () => {
    live = await startLiveApp();
    await createPool('/', 'p');
    client = await live.connect();
  });
  afterEach(async () => {
    await live.close();
  });

  it('tells a pool’s subscribers of a new child, and its pool’s of the changed pool, with changed_descendants last', async () => {
    await subscribe('/', '/p/');
    await createPool('/p/', 'c');
    const events = await client.take(5);
    assert.deepEqual(withoutSeq(events), [
      { event: 'new_child', resource: url('/p/'), child: url('/p/c/') },
      { event: 'modified', resource: url('/p/') },
      { event: 'modified_child', resource: url('/'), child: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/') },
    ]);
    // One transaction: one position in the feed, and each event its own place after it.
    const places = events.map((event) => String(event.seq).split('/'));
    assert.ok(places.every(([feed]) => feed === places[0]?.[0] && /^\d+$/.test(feed ?? '')), JSON.stringify(places));
    const indices = places.map(([, index]) => Number(index));
    assert.ok(indices.every((index, position) => position === 0 || index > (indices[position - 1] as number)), JSON.stringify(places));
  });

  it('sends changed_descendants once per transaction and pool, however many descendants changed', async () => {
    await subscribe('/');
    // One item with its first version and two service pools: four new resources below the root.
    await as(live.t.http.post('/p/')).send({ content_type: documentType, data: {} }).expect(200);
    await createPool('/p/', 'after');
    const events = withoutSeq(await client.take(4));
    assert.deepEqual(events, [
      { event: 'modified_child', resource: url('/'), child: url('/p/') },
      { event: 'changed_descendants', resource: url('/') },
      { event: 'modified_child', resource: url('/'), child: url('/p/') },
      { event: 'changed_descendants', resource: url('/') },
    ]);
    await as(live.t.http.post('/batch'))
      .send([1, 2, 3].map((index) => ({ method: 'POST', path: '/p/', body: { content_type: ids.basicPool, data: { [ids.name]: { name: `b${index}` } } } })))
      .expect(200);
    assert.deepEqual(withoutSeq(await client.take(2)), [
      { event: 'modified_child', resource: url('/'), child: url('/p/') },
      { event: 'changed_descendants', resource: url('/') },
    ]);
  });

  it('tells of a change to the resource’s subscribers as modified, and to its pool’s as modified_child', async () => {
    await createPool('/p/', 'c');
    await subscribe('/p/', '/p/c/');
    await as(live.t.http.put('/p/c/')).send({ data: { [ids.metadata]: { hidden: false } } }).expect(200);
    assert.deepEqual(withoutSeq(await client.take(3)), [
      { event: 'modified', resource: url('/p/c/') },
      { event: 'modified_child', resource: url('/p/'), child: url('/p/c/') },
      { event: 'changed_descendants', resource: url('/p/') },
    ]);
  });

  it('tells of hiding as removed and removed_child, ends the subscriptions to what was hidden, and shows it again as new_child', async () => {
    await createPool('/p/', 'c');
    await subscribe('/p/', '/p/c/');
    await as(live.t.http.put('/p/c/')).send({ data: { [ids.metadata]: { hidden: true } } }).expect(200);
    assert.deepEqual(withoutSeq(await client.take(4)), [
      { event: 'removed', resource: url('/p/c/') },
      { event: 'removed_child', resource: url('/p/'), child: url('/p/c/') },
      { event: 'modified', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
    ]);
    await as(live.t.http.put('/p/c/')).send({ data: { [ids.metadata]: { hidden: false } } }).expect(200);
    assert.deepEqual(withoutSeq(await client.take(3)), [
      { event: 'new_child', resource: url('/p/'), child: url('/p/c/') },
      { event: 'modified', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
    ]);
    // Unsubscribed by the removal: the subscription is gone, and nothing more comes of it.
    client.send({ action: 'unsubscribe', resource: '/p/c/' });
    assert.deepEqual(await client.next(), { status: 'redundant', action: 'unsubscribe', resource: url('/p/c/') });
  });

  it('tells an item’s subscribers of a new version, and a version’s of the successor that refers to it', async () => {
    const created = await as(live.t.http.post('/p/')).send({ content_type: documentType, data: {} }).expect(200);
    const item = new URL(created.body.path as string).pathname;
    const first = new URL(created.body.first_version_path as string).pathname;
    await subscribe(item, first);
    await as(live.t.http.post(item)).send({ content_type: documentVersionType, data: { [versionable]: { follows: [url(first)] } } }).expect(200);
    const events = withoutSeq(await client.take(4));
    assert.deepEqual(events, [
      { event: 'new_version', resource: url(item), version: url(`${item}VERSION_0000001/`) },
      { event: 'modified', resource: url(item) },
      { event: 'modified', resource: url(first) },
      { event: 'modified_child', resource: url(item), child: url(first) },
    ]);
    assert.deepEqual(withoutSeq([await client.next()]), [{ event: 'changed_descendants', resource: url(item) }]);
  });

  it('tells of a removal for good as removed to the subscribers of everything removed, and removed_child to the pool’s', async () => {
    await createPool('/p/', 'c');
    await createPool('/p/c/', 'd');
    await subscribe('/p/', '/p/c/', '/p/c/d/');
    await as(live.t.http.delete('/p/c/')).expect(200);
    const events = withoutSeq(await client.take(5));
    assert.deepEqual(events, [
      { event: 'removed', resource: url('/p/c/') },
      { event: 'removed_child', resource: url('/p/'), child: url('/p/c/') },
      { event: 'modified', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
      { event: 'removed', resource: url('/p/c/d/') },
    ]);
  });
});
