// Transaction journals through the changes feed, on every adapter: what followers are told, in which order, and what a resume can read back.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openPouchStorage } from '../../src/storage/pouchdb.ts';
import type { FeedEvent, Journal, ResourceRecord, Sequence, Storage } from '../../src/storage/storage.ts';
import { storageBackends } from '../support/backends.ts';
import { waitFor } from '../support/wait.ts';

const { backends, couchUrl, stop } = storageBackends('journal');
after(stop);

const resource = (path: string): ResourceRecord => ({ path, contentType: 'example.IThing', data: { 'example.ISheet': { value: path } } });
const journal = (at: number, name: string): Journal => ({ at, entry: { created: [`/${name}/`] } });
const numberOf = (seq: Sequence) => (typeof seq === 'number' ? seq : Number.parseInt(seq, 10));
const transactions = (events: FeedEvent[]) => events.flatMap((event) => (event.kind === 'transaction' ? [event] : []));

for (const backend of backends) {
  describe(`storage/journal on ${backend.name}`, () => {
    let storage: Storage;
    let cleanUp: () => Promise<void>;
    let told: FeedEvent[];
    beforeEach(async () => {
      const opened = await backend.open();
      cleanUp = opened.cleanUp;
      storage = await openPouchStorage(opened.location);
      told = [];
      storage.followChanges((event) => told.push(event));
      await storage.insertResource(resource('/'));
    });
    afterEach(async () => {
      await storage.close();
      await cleanUp();
    });

    it('tells its followers of each transaction with its journal, in the order written, each at a later sequence', async () => {
      for (const [index, name] of ['a', 'b', 'c'].entries()) await storage.commit({ inserts: [{ record: resource(`/${name}/`) }], journal: journal(1000 + index, name) });
      await waitFor(() => transactions(told).length === 3, 'three transactions');
      const seen = transactions(told);
      assert.deepEqual(
        seen.map((event) => event.journal),
        ['a', 'b', 'c'].map((name, index) => journal(1000 + index, name)),
      );
      const seqs = seen.map((event) => numberOf(event.seq));
      assert.ok(seqs.every((seq, index) => index === 0 || seq > (seqs[index - 1] as number)), `sequences rise: ${seqs.join(', ')}`);
      assert.ok((seqs[0] as number) > numberOf(storage.openedAtSequence));
      // Its journal is written with a transaction, never without one: nothing is told of a plain write.
      await storage.insertResource(resource('/d/'));
      await storage.commit({ inserts: [{ record: resource('/e/') }], journal: journal(2000, 'e') });
      await waitFor(() => transactions(told).length === 4, 'the fourth transaction');
      assert.deepEqual(transactions(told)[3]?.journal, journal(2000, 'e'));
    });

    it('tells a follower that comes late of what was written since the store was opened', async () => {
      const opened = await backend.open();
      const late = await openPouchStorage(opened.location);
      try {
        await late.insertResource(resource('/'));
        await late.commit({ inserts: [{ record: resource('/early/') }], journal: journal(1, 'early') });
        await new Promise((resolve) => setTimeout(resolve, 50));
        const heard: FeedEvent[] = [];
        late.followChanges((event) => heard.push(event));
        await late.commit({ inserts: [{ record: resource('/later/') }], journal: journal(2, 'later') });
        await waitFor(() => heard.length === 2, 'both transactions');
        assert.deepEqual(
          transactions(heard).map((event) => event.journal),
          [journal(1, 'early'), journal(2, 'later')],
        );
      } finally {
        await late.close();
        await opened.cleanUp();
      }
    });

    it('tells of a removal after the removal, and of nothing when there was nothing to remove', async () => {
      await storage.insertResource(resource('/a/'));
      await storage.removeTree('/missing/', { journal: journal(1, 'missing') });
      await storage.removeTree('/a/', { journal: journal(2, 'a') });
      await waitFor(() => transactions(told).length === 1, 'the removal');
      assert.deepEqual(transactions(told)[0]?.journal, journal(2, 'a'));
    });

    it('tells of every session that ends, by user and id', async () => {
      const session = { id: 'a'.repeat(32), userPath: '/principals/users/0000000/', secretHash: '', createdAt: 0, lastUsedAt: 0, client: '' };
      await storage.insertSession(session);
      await storage.touchSession(session.userPath, session.id, 5);
      await storage.deleteSession(session.userPath, session.id);
      await waitFor(() => told.some((event) => event.kind === 'session-ended'), 'the ended session');
      assert.deepEqual(
        told.map(({ seq: _seq, ...event }) => event),
        [{ kind: 'session-ended', userPath: session.userPath, sessionId: session.id }],
      );
    });

    it('reads back the transactions after a sequence, at most one more than asked, and none it cannot vouch for', async () => {
      for (const [index, name] of ['a', 'b', 'c'].entries()) await storage.commit({ inserts: [{ record: resource(`/${name}/`) }], journal: journal(1000 + index, name) });
      await waitFor(() => transactions(told).length === 3, 'three transactions');
      const [first] = transactions(told);
      const after = await storage.transactionsSince((first as FeedEvent).seq, 10);
      assert.deepEqual(after, transactions(told).slice(1));
      assert.equal((await storage.transactionsSince(storage.openedAtSequence, 1))?.length, 2);
      assert.deepEqual(await storage.transactionsSince(transactions(told)[2]?.seq as Sequence, 10), []);
      // Swept journals leave a gap that a reader must not pass over in silence.
      assert.equal(await storage.deleteJournalsBefore(1001), 1);
      assert.equal(await storage.transactionsSince(storage.openedAtSequence, 10), undefined);
      assert.deepEqual(await storage.transactionsSince((first as FeedEvent).seq, 10), undefined);
      assert.equal(await storage.deleteJournalsBefore(5000), 2);
    });
  });
}

describe('storage/journal over HTTP, two processes', () => {
  it('tells a second process on the same database of the first one’s transactions', async () => {
    const url = `${await couchUrl()}/journal-${randomUUID()}`;
    const writer = await openPouchStorage({ adapter: 'http', url });
    const reader = await openPouchStorage({ adapter: 'http', url });
    try {
      const told: FeedEvent[] = [];
      reader.followChanges((event) => told.push(event));
      await writer.insertResource(resource('/'));
      await writer.commit({ inserts: [{ record: resource('/a/') }], journal: journal(7, 'a') });
      await waitFor(() => told.length === 1, 'the transaction on the other process');
      assert.deepEqual(transactions(told)[0]?.journal, journal(7, 'a'));
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
