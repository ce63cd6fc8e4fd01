// Transaction journals: written with each transaction, read back from the changes feed by every process in the store's order, swept after a while.
import { randomBytes } from 'node:crypto';
import { createLruCache } from '../lru.ts';
import { isJournalKey, isStatus, journalPrefix, type Db, type JournalDoc } from './pouch-documents.ts';
import type { PutDoc } from './pouch-writes.ts';
import { orderOf, type FeedEvent, type Journal, type Sequence } from './storage.ts';

const sessionPrefix = 'session:';
/** The first wait before reading a journal again when the store did not answer, doubled up to the longest. */
const firstRetryMs = 100;
const longestRetryMs = 5_000;
const pageSize = 500;
/** Changes kept for a follower that has not come yet. */
const maxEarlyChanges = 10_000;

/** The time as 15 digits, so that journal ids sort by time and the old ones are one key range. */
const journalKeyBefore = (time: number) => `${journalPrefix}${String(Math.max(0, Math.floor(time))).padStart(15, '0')}`;

/** Random for each process, so that no two processes make the same journal id; a counter within it. */
const processTag = randomBytes(8).toString('hex');
let journalsMade = 0;

/** The document of a journal, with an id of its own that no other process can take. */
export function journalDocOf(journal: Journal): PutDoc & JournalDoc {
  journalsMade += 1;
  return { _id: `${journalKeyBefore(journal.at)}:${processTag}-${journalsMade}`, kind: 'journal', at: journal.at, entry: { ...journal.entry } };
}

/** One change as the changes feed reports it, without its document. */
export interface FeedChange {
  id: string;
  seq: Sequence;
  deleted?: boolean;
}

/**
 * Turns the changes of the feed into what followers are told: a transaction for each journal written,
 * a session that ended for each session document deleted. The feed names documents without their
 * content, so each journal is read, one after another, so that followers hear of them in the feed's
 * order; a journal the store cannot give right now is read again until it can.
 */
export class JournalFeed {
  private readonly listeners: ((event: FeedEvent) => void)[] = [];
  private pending: Promise<void> = Promise.resolve();
  private closed = false;
  /** The position of the last change whose followers were told of it (if it told them anything). */
  private position: number;
  private readonly waiting: { target: number; wake: () => void }[] = [];
  /** Changes that came before the first follower, who hears of them first; undefined from then on. */
  private early: FeedChange[] | undefined = [];
  /** The journals this process wrote and the feed has not told of yet: they need not be read back. */
  private readonly written = createLruCache<string, JournalDoc>(10_000);

  constructor(
    private readonly db: Db,
    /** Where the feed starts: followers hear of what comes after it. */
    private since: Sequence,
  ) {
    this.position = orderOf(since) ?? 0;
  }

  /** Followers hear of every transaction after this position. */
  get base(): Sequence {
    return this.since;
  }

  listen(listener: (event: FeedEvent) => void): void {
    this.listeners.push(listener);
    const early = this.early;
    this.early = undefined;
    for (const change of early ?? []) this.take(change);
  }

  /** A journal this process has written: the feed will name it, and it is told without reading it back. */
  remember(doc: PutDoc & JournalDoc): void {
    if (!this.early) this.written.set(doc._id, { kind: 'journal', at: doc.at, entry: doc.entry });
  }

  take(change: FeedChange): void {
    if (this.early) {
      this.early.push(change);
      // Nobody follows yet, and may never: what the first follower will hear of starts later instead.
      if (this.early.length > maxEarlyChanges) {
        this.early = [];
        this.since = change.seq;
      }
      return;
    }
    if (isJournalKey(change.id) && !change.deleted) {
      this.pending = this.pending.then(() => this.readAndTell(change));
    } else if (change.id.startsWith(sessionPrefix) && change.deleted) {
      const key = change.id.slice(sessionPrefix.length);
      const bar = key.lastIndexOf('|');
      const event: FeedEvent = { kind: 'session-ended', seq: change.seq, userPath: key.slice(0, bar), sessionId: key.slice(bar + 1) };
      this.pending = this.pending.then(() => this.tell(event));
    }
    const position = orderOf(change.seq);
    if (position !== undefined) this.pending = this.pending.then(() => this.reach(position));
  }

  /** Resolves once followers were told of everything up to `target`, or after `timeoutMs`. */
  caughtUp(target: number, timeoutMs: number): Promise<void> {
    if (this.position >= target || this.closed || this.early) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.waiting.push({
        target,
        wake: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.closed = true;
    for (const { wake } of this.waiting.splice(0)) wake();
  }

  private reach(position: number): void {
    this.position = Math.max(this.position, position);
    for (let index = this.waiting.length - 1; index >= 0; index--) {
      const waiter = this.waiting[index] as { target: number; wake: () => void };
      if (waiter.target > this.position) continue;
      this.waiting.splice(index, 1);
      waiter.wake();
    }
  }

  private async readAndTell(change: FeedChange): Promise<void> {
    const known = this.written.get(change.id);
    if (known) {
      this.written.delete(change.id);
      this.tell({ kind: 'transaction', seq: change.seq, id: change.id, journal: { at: known.at, entry: known.entry } });
      return;
    }
    for (let delayMs = firstRetryMs; !this.closed; delayMs = Math.min(longestRetryMs, delayMs * 2)) {
      try {
        const doc = await this.db.get(change.id);
        if (doc.kind === 'journal') this.tell({ kind: 'transaction', seq: change.seq, id: change.id, journal: { at: doc.at, entry: doc.entry } });
        return;
      } catch (error) {
        // Swept already: nobody can be told of it any more.
        if (isStatus(error, 404)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    }
  }

  private tell(event: FeedEvent): void {
    if (this.closed) return;
    for (const listener of this.listeners) listener(event);
  }
}

/** Follows a local database's changes feed after `since`; answers how to stop. */
export function followLocalChanges(db: Db, since: Sequence, take: (change: FeedChange) => void): () => void {
  const feed = db.changes({ since, live: true });
  feed.on('change', (change) => take({ id: change.id, seq: change.seq, ...(change.deleted ? { deleted: true } : {}) }));
  // A local feed fails only with the store itself, which every request then reports.
  feed.on('error', () => undefined);
  return () => feed.cancel();
}

/** See Storage.transactionsSince. */
export async function transactionsSince(db: Db, since: Sequence, limit: number): Promise<FeedEvent[] | undefined> {
  const found: { id: string; seq: Sequence }[] = [];
  try {
    let position = since;
    for (;;) {
      const page = await db.changes({ since: position, limit: pageSize });
      for (const change of page.results) {
        if (!isJournalKey(change.id)) continue;
        // A journal swept since: what it told is lost.
        if (change.deleted) return undefined;
        found.push({ id: change.id, seq: change.seq });
        if (found.length > limit) break;
      }
      if (page.results.length < pageSize || found.length > limit) break;
      position = page.last_seq;
    }
  } catch (error) {
    // CouchDB refuses a sequence it never gave (400); anything else is the store failing.
    if (isStatus(error, 400)) return undefined;
    throw error;
  }
  if (found.length === 0) return [];
  const rows = (await db.allDocs({ keys: found.map(({ id }) => id), include_docs: true })).rows;
  const events: FeedEvent[] = [];
  for (const [index, row] of rows.entries()) {
    const doc = 'doc' in row ? row.doc : undefined;
    if (!doc || doc.kind !== 'journal') return undefined;
    const { id, seq } = found[index] as { id: string; seq: Sequence };
    events.push({ kind: 'transaction', seq, id, journal: { at: doc.at, entry: doc.entry } });
  }
  return events;
}

/** See Storage.deleteJournalsBefore. */
export async function deleteJournalsBefore(db: Db, time: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await db.allDocs({ startkey: journalPrefix, endkey: journalKeyBefore(time), limit: pageSize });
    if (page.rows.length === 0) return deleted;
    const results = await db.bulkDocs(page.rows.map((row) => ({ _id: row.id, _rev: row.value.rev, _deleted: true })) as unknown as PouchDB.Core.PutDocument<JournalDoc>[]);
    const gone = results.filter((result) => 'ok' in result && result.ok).length;
    deleted += gone;
    // Another process sweeping at the same time took this page: it takes the rest too.
    if (page.rows.length < pageSize || gone === 0) return deleted;
  }
}
