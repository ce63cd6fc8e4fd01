// The local writer: puts that arrive while a batch is written leave together, each answered on its own; units all or nothing, with their counts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import type { Db } from '../../src/storage/pouch-documents.ts';
import { LocalCommitter } from '../../src/storage/pouch-writes.ts';

PouchDB.plugin(memoryAdapter);

describe('storage/local writer', () => {
  let db: Db;
  let batches: number[];
  beforeEach(async () => {
    db = new PouchDB(`group-commit-${randomUUID()}`, { adapter: 'memory' });
    // Set up first: a call made before then is queued and made again, which would count twice.
    await db.info();
    batches = [];
    // Watches the real database's calls; the writes still go to it.
    const bulkDocs = db.bulkDocs.bind(db);
    db.bulkDocs = ((docs: unknown[]) => {
      batches.push(docs.length);
      return bulkDocs(docs as never);
    }) as typeof db.bulkDocs;
  });
  afterEach(() => db.destroy());

  const counter = (id: string, value: number, rev?: string) => ({ _id: id, kind: 'counter' as const, value, ...(rev ? { _rev: rev } : {}) });

  it('writes the first put at once and the ones that arrive meanwhile as one batch', async () => {
    const { put } = new LocalCommitter(db);
    const written = await Promise.all(Array.from({ length: 10 }, (_, index) => put(counter(`counter:${index}`, index))));
    assert.deepEqual(batches, [1, 9]);
    for (const [index, { rev }] of written.entries()) {
      const stored = await db.get(`counter:${index}`);
      assert.equal(stored._rev, rev);
      assert.deepEqual({ kind: stored.kind, value: stored.kind === 'counter' ? stored.value : undefined }, { kind: 'counter', value: index });
    }
  });

  it('fails only the writer whose document conflicts, with the status a put would have', async () => {
    const { put } = new LocalCommitter(db);
    const { rev } = await put(counter('counter:a', 1));
    const outcomes = await Promise.allSettled([
      put(counter('counter:b', 1)),
      put(counter('counter:a', 2, rev)),
      put(counter('counter:a', 3, rev)),
      put(counter('counter:c', 1)),
    ]);
    // The second put of counter:a waits for the next batch: two writes of one document in one bulkDocs
    // leave PouchDB's revision tree listing the document as its own conflict.
    assert.deepEqual(batches, [1, 1, 2, 1]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    assert.equal((outcomes[2] as PromiseRejectedResult).reason.status, 409);
    const stored = await db.get('counter:a', { conflicts: true });
    assert.equal(stored.kind === 'counter' && stored.value, 2);
    assert.equal(stored._conflicts, undefined);
  });

  it('keeps writing after a batch failed as a whole, which fails each of its writers', async () => {
    const { put } = new LocalCommitter(db);
    const first = put(counter('counter:a', 1));
    // An id PouchDB refuses outright makes the whole bulkDocs call fail.
    const refused = put({ _id: '_bad', kind: 'counter', value: 0 });
    const alongside = put(counter('counter:b', 1));
    await first;
    await assert.rejects(refused);
    await assert.rejects(alongside);
    await put(counter('counter:c', 1));
    assert.equal((await db.get('counter:c')).kind, 'counter');
  });

  const resource = (path: string) => ({ _id: `/|${path}`, kind: 'resource' as const, path: `/${path}/`, parent: '/', depth: 1, content_type: 'example.IThing', hidden: false, restricted: false, data: {} });
  const added = (type = 'example.IThing') => ({ pool: '/', type, hidden: false, restricted: false, delta: 1 });

  it('writes a unit with the counts and counters it changes in one batch, and keeps them in memory', async () => {
    const committer = new LocalCommitter(db);
    await Promise.all(['a', 'b', 'c'].map((name, index) => committer.write({ docs: [resource(name)], counts: [added()], counters: [{ name: '/', value: index }] })));
    assert.deepEqual(batches, [3, 4]);
    assert.deepEqual(await committer.childCounts('/'), { 'example.IThing': { visible: 3, hidden: 0, restricted: 0 } });
    const stored = await db.get('counts:/');
    assert.deepEqual(stored.kind === 'counts' && stored.byType, { 'example.IThing': { visible: 3, hidden: 0, restricted: 0 } });
    assert.equal((await db.get('counter:/')).kind === 'counter' && ((await db.get('counter:/')) as { value: number }).value, 2);
    // A new writer on the same store starts from what was stored.
    const next = new LocalCommitter(db);
    assert.equal(await next.nextValue('/'), 3);
    assert.deepEqual(await next.childCounts('/'), { 'example.IThing': { visible: 3, hidden: 0, restricted: 0 } });
  });

  it('refuses a unit that would conflict before the batch, so that its counts are not changed', async () => {
    const committer = new LocalCommitter(db);
    await committer.write({ docs: [resource('a')], counts: [added()] });
    const outcomes = await Promise.allSettled([
      committer.write({ docs: [resource('a')], counts: [added()] }),
      committer.write({ docs: [resource('b')], counts: [added()] }),
      committer.write({ docs: [resource('b')], counts: [added()] }),
    ]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status), ['rejected', 'fulfilled', 'rejected']);
    assert.equal((outcomes[0] as PromiseRejectedResult).reason.status, 409);
    assert.deepEqual(await committer.childCounts('/'), { 'example.IThing': { visible: 2, hidden: 0, restricted: 0 } });
    const stored = await db.get('counts:/');
    assert.deepEqual(stored.kind === 'counts' && stored.byType, { 'example.IThing': { visible: 2, hidden: 0, restricted: 0 } });
  });
});
