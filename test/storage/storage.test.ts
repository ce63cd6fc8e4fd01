// The Storage contract, run against every adapter: memory, LevelDB on disk, and CouchDB over HTTP (express-pouchdb).
import assert from 'node:assert/strict';
import { openPouchStorage } from '../../src/storage/pouchdb.ts';
import { AlreadyExistsError, RevisionConflictError, ScanBudget, ScanLimitError, type QueuedJob, type ResourceRecord, type Storage } from '../../src/storage/storage.ts';
import { storageBackends } from '../support/backends.ts';

/** One server for every test of the HTTP adapter, each with a database of its own. */
const { backends, stop } = storageBackends('contract');
after(stop);

const resource = (path: string, contentType = 'example.IThing'): ResourceRecord => ({ path, contentType, data: { 'example.ISheet': { value: path } } });

for (const backend of backends) {
  describe(`storage/pouchdb on ${backend.name}`, () => {
    let storage: Storage;
    let cleanUp: () => Promise<void>;
    beforeEach(async () => {
      const opened = await backend.open();
      cleanUp = opened.cleanUp;
      storage = await openPouchStorage(opened.location, { indexKeys: ['example.ISheet:value'] });
      await storage.insertResource(resource('/', 'example.IRoot'));
    });
    afterEach(async () => {
      await storage.close();
      await cleanUp();
    });

    it('reads back what it stored, with a revision', async () => {
      const stored = await storage.insertResource(resource('/a/'));
      assert.ok(stored.revision);
      const read = await storage.readResource('/a/');
      assert.deepEqual(read?.data, resource('/a/').data);
      assert.equal(await storage.readResource('/b/'), undefined);
    });

    it('refuses to insert a path twice', async () => {
      await storage.insertResource(resource('/a/'));
      await assert.rejects(storage.insertResource(resource('/a/')), AlreadyExistsError);
    });

    it('refuses to replace a record read at an old revision', async () => {
      const first = await storage.insertResource(resource('/a/'));
      await storage.replaceResource({ ...first, data: { x: { y: 1 } } });
      await assert.rejects(storage.replaceResource({ ...first, data: { x: { y: 2 } } }), RevisionConflictError);
    });

    it('refuses to replace a record at the revision it had before it was removed', async () => {
      const first = await storage.insertResource(resource('/a/'));
      await storage.removeTree('/a/');
      await assert.rejects(storage.replaceResource({ ...first, data: { x: { y: 1 } } }), RevisionConflictError);
      assert.equal(await storage.readResource('/a/'), undefined);
    });

    it('lets one of several concurrent replacements at one revision win, and lands concurrent writes to other records', async () => {
      const contested = await storage.insertResource(resource('/a/'));
      const others = await Promise.all(['b', 'c', 'd'].map((name) => storage.insertResource(resource(`/${name}/`))));
      const outcomes = await Promise.allSettled([
        ...[1, 2, 3].map((y) => storage.replaceResource({ ...contested, data: { x: { y } } })),
        ...others.map((other) => storage.replaceResource({ ...other, data: { x: { y: 0 } } })),
      ]);
      const onContested = outcomes.slice(0, 3);
      const winner = onContested.findIndex((outcome) => outcome.status === 'fulfilled');
      assert.equal(onContested.filter((outcome) => outcome.status === 'fulfilled').length, 1);
      for (const outcome of onContested) if (outcome.status === 'rejected') assert.ok(outcome.reason instanceof RevisionConflictError, String(outcome.reason));
      assert.deepEqual((await storage.readResource('/a/'))?.data, { x: { y: winner + 1 } });
      assert.deepEqual(outcomes.slice(3).map((outcome) => outcome.status), ['fulfilled', 'fulfilled', 'fulfilled']);
      for (const other of others) assert.deepEqual((await storage.readResource(other.path))?.data, { x: { y: 0 } });
    });

    it('gives each resource of a transaction its own new revision, so that each can be changed next', async () => {
      // PouchDB's server may answer a bulk write's results out of order: each must still reach its own document.
      for (let round = 0; round < 10; round += 1) {
        const written = await storage.commit({ inserts: Array.from({ length: 20 }, (_, index) => ({ record: resource(`/r${round}-${index}/`) })) });
        const changed = await Promise.all(written.map((record) => storage.replaceResource({ ...record, data: { x: { y: round } } })));
        for (const record of changed) assert.deepEqual((await storage.readResource(record.path))?.data, { x: { y: round } });
      }
    });

    it('lists direct children only, in name order, in pages', async () => {
      for (const name of ['c', 'a', 'b']) await storage.insertResource(resource(`/pool/${name}/`));
      await storage.insertResource(resource('/pool/a/grandchild/'));
      await storage.insertResource(resource('/poolside/'));
      const children = { parent: '/pool/', depth: 1, includeHidden: false, filters: [], offset: 0 } as const;
      const all = await storage.queryChildren(children);
      assert.deepEqual(all.map((child) => child.path), ['/pool/a/', '/pool/b/', '/pool/c/']);
      const page = await storage.queryChildren({ ...children, limit: 1, offset: 1 });
      assert.deepEqual(page.map((child) => child.path), ['/pool/b/']);
    });

    it('reads a sorted, filtered page from the index of a key', async () => {
      await Promise.all(['b', 'a', 'c', 'd'].map((name) => storage.insertResource({ ...resource(`/${name}/`), index: { 'example.ISheet:value': name } })));
      const page = await storage.queryChildren({
        parent: '/',
        depth: 1,
        includeHidden: false,
        filters: [{ key: 'example.ISheet:value', comparator: 'noteq', value: 'c' }],
        sort: { key: 'example.ISheet:value', reverse: true },
        offset: 0,
        limit: 2,
      });
      assert.deepEqual(page.map((record) => record.path), ['/d/', '/b/']);
    });

    it('keeps the tags of a version, moved by a replace, and finds versions by them', async () => {
      await storage.insertResource({ ...resource('/item/'), index: {} });
      const first = await storage.insertResource({ ...resource('/item/v0/'), tags: ['FIRST', 'LAST'], index: { 'tag:FIRST': true, 'tag:LAST': true } });
      assert.deepEqual((await storage.readResource('/item/v0/'))?.tags, ['FIRST', 'LAST']);
      await storage.commit({ inserts: [{ record: { ...resource('/item/v1/'), tags: ['LAST'], index: { 'tag:LAST': true } } }], replaces: [{ ...first, tags: ['FIRST'], index: { 'tag:FIRST': true } }] });
      assert.deepEqual((await storage.readResource('/item/v0/'))?.tags, ['FIRST']);
      const tagged = (tag: string) => storage.queryChildren({ parent: '/item/', depth: 1, includeHidden: false, filters: [{ key: `tag:${tag}`, comparator: 'eq', value: true }], offset: 0 });
      assert.deepEqual((await tagged('LAST')).map((record) => record.path), ['/item/v1/']);
      assert.deepEqual((await tagged('FIRST')).map((record) => record.path), ['/item/v0/']);
    });

    it('pages in the same order as it lists, also where one name begins another and below the children', async () => {
      for (const path of ['/pool/a/', '/pool/a-b/', '/pool/a.c/', '/pool/b/', '/pool/a/x/', '/pool/a-b/y/']) await storage.insertResource(resource(path));
      for (const depth of [1, 'all'] as const) {
        const query = { parent: '/pool/', depth, includeHidden: false, filters: [], offset: 0 };
        const all = (await storage.queryChildren(query)).map((record) => record.path);
        const pages = [];
        for (let offset = 0; offset < all.length; offset++) pages.push(...(await storage.queryChildren({ ...query, offset, limit: 1 })).map((record) => record.path));
        assert.deepEqual(pages, all, `depth ${depth}`);
      }
      const children = await storage.queryChildren({ parent: '/pool/', depth: 1, includeHidden: false, filters: [], offset: 0 });
      assert.deepEqual(children.map((record) => record.path), ['/pool/a/', '/pool/a-b/', '/pool/a.c/', '/pool/b/']);
      const deep = await storage.queryChildren({ parent: '/pool/', depth: 'all', includeHidden: false, filters: [], offset: 0 });
      assert.deepEqual(deep.map((record) => record.path), ['/pool/a/', '/pool/a/x/', '/pool/a-b/', '/pool/a-b/y/', '/pool/a.c/', '/pool/b/']);
    });

    it('filters on a reference field, single or a list, without an index', async () => {
      const refers = (path: string, one: string, many: string[]) => ({ path, contentType: 'example.IThing', data: { 'example.IRefs': { one, many } } });
      await storage.insertResource(refers('/a/', '/x/', ['/y/', '/z/']));
      await storage.insertResource(refers('/b/', '/y/', []));
      const query = (field: string, target: string) =>
        storage.queryChildren({ parent: '/', depth: 1, includeHidden: false, filters: [], references: [{ sheet: 'example.IRefs', field, target }], offset: 0 });
      assert.deepEqual((await query('one', '/y/')).map((record) => record.path), ['/b/']);
      assert.deepEqual((await query('many', '/z/')).map((record) => record.path), ['/a/']);
      assert.deepEqual(await query('many', '/x/'), []);
    });

    it('answers a page with the number of all its matches in one pass, and without it when the budget ends after the page', async () => {
      await Promise.all(['b', 'a', 'c', 'd', 'e'].map((name) => storage.insertResource({ ...resource(`/pool/${name}/`), index: { 'example.ISheet:value': name } })));
      const filters = [{ key: 'example.ISheet:value', comparator: 'noteq', value: 'c' }] as const;
      const base = { parent: '/pool/', includeHidden: false, filters, offset: 1, limit: 2 };
      for (const query of [{ ...base, depth: 1 }, { ...base, depth: 'all' }, { ...base, depth: 1, sort: { key: 'example.ISheet:value', reverse: true } }] as const) {
        const budget = new ScanBudget(5);
        const { records, total } = await storage.queryChildrenCounted({ ...query, budget });
        assert.equal(total, 4);
        assert.equal(budget.remaining, 0, 'one pass over the five children');
        const expected = 'sort' in query ? ['/pool/d/', '/pool/b/'] : ['/pool/b/', '/pool/d/'];
        assert.deepEqual(records.map((record) => record.path), expected);
      }
      const short = await storage.queryChildrenCounted({ ...base, depth: 1, budget: new ScanBudget(4) });
      assert.deepEqual({ paths: short.records.map((record) => record.path), total: short.total }, { paths: ['/pool/b/', '/pool/d/'], total: undefined });
      await assert.rejects(storage.queryChildrenCounted({ ...base, depth: 1, budget: new ScanBudget(3) }), ScanLimitError);
      await assert.rejects(storage.queryChildrenCounted({ ...base, depth: 'all', budget: new ScanBudget(4) }), ScanLimitError);
    });

    it('reads a sorted page whole when a filter leaves out the bound of its range', async () => {
      const names = Array.from({ length: 120 }, (_, index) => `n${String(index).padStart(3, '0')}`);
      const typeOf = (index: number) => (index % 10 === 0 ? 'example.IA' : 'example.IB');
      await storage.insertResources(names.map((name, index) => ({ ...resource(`/pool/${name}/`, typeOf(index)), index: { 'example.ISheet:value': name } })));
      const page = await storage.queryChildren({
        parent: '/pool/',
        depth: 1,
        contentTypes: ['example.IA'],
        includeHidden: false,
        filters: [{ key: 'example.ISheet:value', comparator: 'gt', value: 'n000' }],
        sort: { key: 'example.ISheet:value', reverse: false },
        offset: 0,
        limit: 5,
      });
      assert.deepEqual(page.map((record) => record.path), ['/pool/n010/', '/pool/n020/', '/pool/n030/', '/pool/n040/', '/pool/n050/']);
    });

    it('counts the matches of a sorted page in a pool larger than one batch of its index', async () => {
      const names = Array.from({ length: 120 }, (_, index) => `n${String(index).padStart(3, '0')}`);
      await storage.insertResources(names.map((name) => ({ ...resource(`/pool/${name}/`), index: { 'example.ISheet:value': name } })));
      const query = { parent: '/pool/', depth: 1, includeHidden: false, offset: 3, limit: 2, sort: { key: 'example.ISheet:value', reverse: true } } as const;
      const filters = [{ key: 'example.ISheet:value', comparator: 'lt', value: 'n100' }] as const;
      const { records, total } = await storage.queryChildrenCounted({ ...query, filters, budget: new ScanBudget(1000) });
      assert.deepEqual({ paths: records.map((record) => record.path), total }, { paths: ['/pool/n096/', '/pool/n095/'], total: 100 });
      const short = await storage.queryChildrenCounted({ ...query, filters, budget: new ScanBudget(100) });
      assert.deepEqual({ paths: short.records.map((record) => record.path), total: short.total }, { paths: ['/pool/n096/', '/pool/n095/'], total: undefined });
    });

    it('lists the hidden and restricted resources below a pool, and leaves out excluded subtrees', async () => {
      await storage.insertResource(resource('/pool/'));
      await storage.insertResource({ ...resource('/pool/secret/'), restricted: true });
      await storage.insertResource(resource('/pool/secret/inner/'));
      const open = await storage.insertResource(resource('/pool/open/'));
      await storage.insertResource(resource('/pool/open/inner/'));
      assert.deepEqual(await storage.guardedWithin('/'), ['/pool/secret/']);
      await storage.replaceResource({ ...open, hidden: true });
      assert.deepEqual(await storage.guardedWithin('/pool/'), ['/pool/open/', '/pool/secret/']);
      const deep = { parent: '/', depth: 'all', includeHidden: true, filters: [], offset: 0 } as const;
      const all = await storage.queryChildren({ ...deep, excludedSubtrees: new Set(['/pool/secret/']) });
      assert.deepEqual(all.map((record) => record.path), ['/pool/', '/pool/open/', '/pool/open/inner/']);
      const unhidden = await storage.readResource('/pool/open/');
      await storage.replaceResource({ ...(unhidden as ResourceRecord), hidden: false });
      assert.deepEqual(await storage.guardedWithin('/'), ['/pool/secret/']);
      await storage.removeTree('/pool/');
      assert.deepEqual(await storage.guardedWithin('/'), []);
    });

    it('never gives the path of a resource removed with keepPath to another', async () => {
      await storage.insertResource(resource('/group/'));
      await storage.removeTree('/group/', { keepPath: true });
      assert.equal(await storage.readResource('/group/'), undefined);
      await assert.rejects(storage.insertResource(resource('/group/')), AlreadyExistsError);
      assert.deepEqual(await storage.queryChildren({ parent: '/', depth: 1, includeHidden: true, filters: [], offset: 0 }), []);
      await storage.insertResource(resource('/pool/'));
      await storage.removeTree('/pool/');
      await storage.insertResource(resource('/pool/'));
    });

    it('keeps counts of children by type, also for bulk inserts', async () => {
      await storage.insertResource(resource('/pool/a/', 'example.IA'));
      await storage.insertResource(resource('/pool/b/', 'example.IB'));
      await storage.insertResource(resource('/pool/a/grandchild/'));
      assert.deepEqual(await storage.childCounts('/pool/'), { 'example.IA': { visible: 1, hidden: 0, restricted: 0 }, 'example.IB': { visible: 1, hidden: 0, restricted: 0 } });
      const existing = await storage.insertResources([resource('/pool/c/', 'example.IA'), resource('/pool/a/', 'example.IA')]);
      assert.deepEqual(existing, ['/pool/a/']);
      assert.deepEqual(await storage.childCounts('/pool/'), { 'example.IA': { visible: 2, hidden: 0, restricted: 0 }, 'example.IB': { visible: 1, hidden: 0, restricted: 0 } });
      assert.deepEqual(await storage.childCounts('/empty/'), {});
    });

    it('counts correctly when many children are inserted at once', async () => {
      await Promise.all(Array.from({ length: 40 }, (_, index) => storage.insertResource(resource(`/pool/${index}/`))));
      assert.deepEqual(await storage.childCounts('/pool/'), { 'example.IThing': { visible: 40, hidden: 0, restricted: 0 } });
    });

    it('hands out each counter value once, also under concurrency', async () => {
      const values = await Promise.all(Array.from({ length: 50 }, () => storage.nextCounterValue('/pool/')));
      assert.deepEqual([...values].sort((a, b) => a - b), Array.from({ length: 50 }, (_, index) => index));
      assert.equal(await storage.nextCounterValue('/other/'), 0);
    });

    it('lets only one owner claim a unique value', async () => {
      const claim = { scope: 'name', key: 'anna', owner: '/users/1/', claimedAt: 1 };
      const stored = await storage.claimUnique(claim);
      assert.ok(stored.revision);
      const error = await storage.claimUnique({ ...claim, owner: '/users/2/' }).catch((caught: unknown) => caught);
      assert.ok(error instanceof AlreadyExistsError);
      assert.deepEqual(error.existing, stored);
      await storage.releaseUnique({ ...claim, owner: '/users/2/' }); // not the owner: nothing happens
      assert.deepEqual(await storage.readUniqueClaim('name', 'anna'), stored);
      await storage.releaseUnique(claim);
      assert.equal(await storage.readUniqueClaim('name', 'anna'), undefined);
    });

    it('replaces or releases a claim only at the revision it was read at', async () => {
      const first = await storage.claimUnique({ scope: 'name', key: 'anna', owner: '/users/1/', claimedAt: 1 });
      const refreshed = await storage.replaceUniqueClaim(first, { ...first, claimedAt: 2 });
      assert.notEqual(refreshed.revision, first.revision);
      await storage.releaseUnique(first); // read before the refresh: it stays
      assert.deepEqual(await storage.readUniqueClaim('name', 'anna'), refreshed);
      const takenOver = await storage.replaceUniqueClaim(refreshed, { ...refreshed, owner: '/users/2/', claimedAt: 3 });
      await assert.rejects(storage.replaceUniqueClaim(refreshed, { ...refreshed, owner: '/users/3/' }), AlreadyExistsError);
      assert.deepEqual(await storage.readUniqueClaim('name', 'anna'), takenOver);
      await storage.releaseUnique(takenOver);
      await assert.rejects(storage.replaceUniqueClaim(takenOver, { ...takenOver, claimedAt: 4 }), AlreadyExistsError);
    });

    it('keeps sessions per user, touches, deletes and sweeps them', async () => {
      const session = (id: string, userPath: string, lastUsedAt: number) => ({ id, userPath, secretHash: 'h', createdAt: 0, lastUsedAt, client: '' });
      await storage.insertSession(session('s1', '/users/1/', 10));
      await storage.insertSession(session('s2', '/users/1/', 20));
      await storage.insertSession(session('s3', '/users/10/', 30));
      assert.deepEqual((await storage.listSessions('/users/1/')).map((found) => found.id), ['s1', 's2']);
      await storage.touchSession('/users/1/', 's1', 15);
      await storage.touchSession('/users/1/', 's1', 12); // never backwards
      assert.equal((await storage.readSession('/users/1/', 's1'))?.lastUsedAt, 15);
      assert.equal(await storage.deleteSession('/users/1/', 's2'), true);
      assert.equal(await storage.deleteSession('/users/1/', 's2'), false);
      assert.equal(await storage.deleteSessionsWhere((found) => found.lastUsedAt < 20), 1);
      assert.deepEqual((await storage.listSessions('/users/10/')).map((found) => found.id), ['s3']);
      assert.deepEqual(await storage.listSessions('/users/1/'), []);
    });

    it('keeps jobs of a queue until they are done, and gives each due one to one taker at a time', async () => {
      await storage.enqueueJob({ queue: 'q', id: '2', payload: { n: 2 }, dueAt: 100 });
      await storage.enqueueJob({ queue: 'q', id: '1', payload: { n: 1 }, dueAt: 100 });
      await storage.enqueueJob({ queue: 'q', id: '3', payload: { n: 3 }, dueAt: 500 });
      await storage.enqueueJob({ queue: 'other', id: '1', payload: {}, dueAt: 0 });
      await assert.rejects(storage.enqueueJob({ queue: 'q', id: '1', payload: {}, dueAt: 0 }), AlreadyExistsError);
      assert.deepEqual(await storage.takeDueJobs('q', 50, 1_000, 10), []);
      const taken = await storage.takeDueJobs('q', 100, 1_000, 10);
      assert.deepEqual(taken.map((job) => [job.id, job.payload, job.attempts, job.leasedUntil]), [['1', { n: 1 }, 1, 1_000], ['2', { n: 2 }, 1, 1_000]]);
      // Leased: nobody takes them again until the lease has run out.
      assert.deepEqual(await storage.takeDueJobs('q', 499, 2_000, 10), []);
      const [first, second] = taken as [QueuedJob, QueuedJob];
      assert.equal(await storage.settleJob(first, { done: true }), true);
      assert.equal(await storage.settleJob(second, { dueAt: 600 }), true);
      assert.deepEqual((await storage.takeDueJobs('q', 599, 2_000, 10)).map((job) => job.id), ['3']);
      const again = await storage.takeDueJobs('q', 600, 2_000, 10);
      assert.deepEqual(again.map((job) => [job.id, job.attempts]), [['2', 2]]);
      assert.equal(await storage.settleJob(again[0] as QueuedJob, { parked: true }), true);
      // Job 3's lease has run out by then; job 2 is parked and never taken again.
      assert.deepEqual((await storage.takeDueJobs('q', 10_000, 20_000, 10)).map((job) => job.id), ['3']);
      assert.deepEqual((await storage.listJobs('q')).map((job) => [job.id, job.parked === true]), [['2', true], ['3', false]]);
      assert.deepEqual((await storage.listJobs('other')).map((job) => job.id), ['1']);
    });

    it('lets a job whose lease ran out be taken again, and then refuses the first taker its settlement', async () => {
      await storage.enqueueJob({ queue: 'q', id: 'a', payload: null, dueAt: 0 });
      const [first] = await storage.takeDueJobs('q', 0, 100, 1);
      const [second] = await storage.takeDueJobs('q', 101, 200, 1);
      assert.equal(second?.attempts, 2);
      assert.equal(await storage.settleJob(first as QueuedJob, { done: true }), false);
      assert.equal(await storage.settleJob(second as QueuedJob, { done: true }), true);
      assert.deepEqual(await storage.listJobs('q'), []);
    });

    it('gives each job to exactly one of many concurrent takers', async () => {
      for (let index = 0; index < 30; index += 1) await storage.enqueueJob({ queue: 'q', id: String(index).padStart(3, '0'), payload: index, dueAt: 0 });
      const rounds = await Promise.all(Array.from({ length: 6 }, () => storage.takeDueJobs('q', 0, 1_000, 30)));
      const ids = rounds.flat().map((job) => job.id).sort();
      assert.deepEqual(ids, Array.from({ length: 30 }, (_, index) => String(index).padStart(3, '0')));
    });

    it('lists the records of a prefix whose time is up', async () => {
      await storage.updateRecord('p:a', () => ({ value: 1, expiresAt: 10 }));
      await storage.updateRecord('p:b', () => ({ value: 2, expiresAt: 30 }));
      await storage.updateRecord('p:c', () => ({ value: 3 }));
      await storage.updateRecord('q:a', () => ({ value: 4, expiresAt: 1 }));
      assert.deepEqual(await storage.listExpiredRecords('p:', 20, 10), [{ key: 'p:a', record: { value: 1, expiresAt: 10 } }]);
      assert.deepEqual((await storage.listExpiredRecords('p:', 30, 10)).map(({ key }) => key), ['p:a', 'p:b']);
      assert.deepEqual((await storage.listExpiredRecords('p:', 30, 1)).map(({ key }) => key), ['p:a']);
    });
  });
}
