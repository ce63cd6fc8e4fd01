// The Mango indexes of a local store: opening it builds none (a build reads the whole store), the first sorted query builds the one it reads.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import PouchDB from 'pouchdb';
import findPlugin from 'pouchdb-find';
import { indexDesignDoc, indexField } from '../../src/storage/pouch-documents.ts';
import { openPouchStorage } from '../../src/storage/pouchdb.ts';
import type { ResourceRecord, Storage } from '../../src/storage/storage.ts';

PouchDB.plugin(findPlugin);

const keys = ['example.ISheet:value', 'example.ISheet:other'];
const child = (name: string, value: string): ResourceRecord => ({
  path: `/pool/${name}/`,
  contentType: 'example.IThing',
  data: { 'example.ISheet': { value } },
  index: { 'example.ISheet:value': value, 'example.ISheet:other': name },
});

/** The databases PouchDB made for Mango indexes: one directory beside the store for each index it built. */
async function listIndexDatabases(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((entry) => entry.startsWith('store-mrview-'));
}

/** The design document of an index as a store holds it, without its revision. */
async function readDesignDoc(db: PouchDB.Database, key: string): Promise<Record<string, unknown>> {
  const { _rev: _ignored, ...doc } = (await db.get(`_design/${indexDesignDoc(key)}`)) as unknown as Record<string, unknown>;
  return doc;
}

describe('storage/pouchdb indexes', () => {
  let directory: string;
  let storage: Storage | undefined;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'indexes-'));
  });
  afterEach(async () => {
    await storage?.close();
    storage = undefined;
    await rm(directory, { recursive: true, force: true });
  });

  it('builds no index when a store is opened, and the one a sorted query reads when it is first read, from everything written before', async () => {
    storage = await openPouchStorage({ adapter: 'leveldb', directory }, { indexKeys: keys });
    await storage.insertResources([{ path: '/pool/', contentType: 'example.IPool', data: {} }, child('a', 'm'), child('b', 'z'), child('c', 'c')]);
    await storage.close();
    storage = await openPouchStorage({ adapter: 'leveldb', directory }, { indexKeys: keys });
    assert.deepEqual(await listIndexDatabases(directory), []);

    const page = await storage.queryChildren({ parent: '/pool/', depth: 1, includeHidden: false, filters: [], sort: { key: 'example.ISheet:value', reverse: true }, limit: 2, offset: 0 });
    assert.deepEqual(
      page.map((record) => record.path),
      ['/pool/b/', '/pool/a/'],
    );
    assert.equal((await listIndexDatabases(directory)).length, 1);
  });

  it("writes each index's design document as pouchdb-find's createIndex does, so that an index a store has built stays in use", async () => {
    storage = await openPouchStorage({ adapter: 'leveldb', directory }, { indexKeys: keys });
    await storage.close();
    storage = undefined;
    const ours = new PouchDB(path.join(directory, 'store'), { adapter: 'leveldb' });
    const theirs = new PouchDB(path.join(directory, 'created'), { adapter: 'leveldb' });
    try {
      for (const key of keys) {
        await theirs.createIndex({ index: { fields: ['parent', indexField(key)], ddoc: indexDesignDoc(key), name: 'by-parent' } });
        assert.deepEqual(await readDesignDoc(ours, key), await readDesignDoc(theirs, key));
      }
    } finally {
      await ours.close();
      await theirs.close();
    }
  });
});
