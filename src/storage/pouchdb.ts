// The one Storage implementation: PouchDB on LevelDB (embedded), in memory (tests) or over HTTP (CouchDB), put together from one part per job.
import path from 'node:path';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import findPlugin from 'pouchdb-find';
import { Availability, watchCalls, type AvailabilityListener } from './pouch-availability.ts';
import { RecordCache } from './pouch-cache.ts';
import * as claims from './pouch-claims.ts';
import { countsDesign, countsDesignDoc, localCounts, viewCounts, type PoolCounts } from './pouch-counts.ts';
import { getDoc, isStatus, type Db, type Doc } from './pouch-documents.ts';
import { ChangeFeed } from './pouch-feed.ts';
import { defineIndexes } from './pouch-indexes.ts';
import { JobDocuments } from './pouch-jobs.ts';
import * as journals from './pouch-journal.ts';
import { SharedRecords } from './pouch-records.ts';
import { DocUpdater } from './pouch-updates.ts';
import * as queries from './pouch-query.ts';
import { ResourceDocuments } from './pouch-resources.ts';
import { RemoteTransactions } from './pouch-transactions.ts';
import * as sessions from './pouch-sessions.ts';
import { LocalCommitter, type PutDocument } from './pouch-writes.ts';
import {
  orderOf,
  StorageUnavailableError,
  type Changes,
  type ChildQuery,
  type JobOutcome,
  type QueuedJob,
  type FeedEvent,
  type Journal,
  type ResourceRecord,
  type Sequence,
  type SessionRecord,
  type SharedRecord,
  type Storage,
  type UniqueClaim,
} from './storage.ts';

PouchDB.plugin(memoryAdapter);
PouchDB.plugin(findPlugin);

export type PouchLocation =
  | { adapter: 'leveldb'; directory: string }
  | { adapter: 'memory'; name: string }
  | { adapter: 'http'; url: string };

/** Where the store is, for messages: a URL without its credentials, which are never printed. */
function describeLocation(location: PouchLocation): string {
  if (location.adapter === 'leveldb') return location.directory;
  if (location.adapter === 'memory') return location.name;
  try {
    const url = new URL(location.url);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

/**
 * Directories this process has open. LevelDB's lock keeps other processes out, but PouchDB shares one
 * open LevelDB between the stores of a process that name the same directory, so a second store here
 * would quietly share the first one's (and break when either closes): it is refused the same way.
 */
const openDirectories = new Set<string>();

export interface OpenOptions {
  indexKeys?: readonly string[];
  cacheSize?: number;
  /** Told each time a store over HTTP stops answering (with the cause) and answers again. */
  onAvailabilityChange?: AvailabilityListener;
}

/**
 * Opens the database and reads from it once, so that a locked or unreachable store fails here, and
 * defines an index for every key that queries may sort on (built when first read: pouch-indexes.ts).
 */
export async function openPouchStorage(location: PouchLocation, options: OpenOptions = {}): Promise<Storage> {
  const where = describeLocation(location);
  const remote = location.adapter === 'http';
  const directory = location.adapter === 'leveldb' ? path.resolve(location.directory) : undefined;
  if (directory !== undefined) {
    if (openDirectories.has(directory)) {
      throw new StorageUnavailableError(`cannot open the database at ${where}: it is already open in this process`, 'locked');
    }
    openDirectories.add(directory);
  }
  try {
    return await openStore(location, where, remote, options, directory);
  } catch (error) {
    if (directory !== undefined) openDirectories.delete(directory);
    throw error;
  }
}

async function openStore(location: PouchLocation, where: string, remote: boolean, options: OpenOptions, directory: string | undefined): Promise<Storage> {
  // Counters and counts are rewritten with every child: without compaction each would keep every old
  // revision and make writes and reopening slow. A write is checked against the current revision, and
  // nothing replicates from this store, so little history is needed, and every revision kept costs each
  // write its parsing and stemming (a put took 182 µs of CPU with one revision kept, 454 µs with 20).
  // Two, not one: with one, a deletion forgets the revision it replaced, and a put at that revision
  // would bring the document back instead of conflicting.
  const local = { auto_compaction: true, revs_limit: 2 };
  const availability = new Availability(where);
  if (options.onAvailabilityChange) availability.onChange(options.onAvailabilityChange);
  const opened: Db =
    location.adapter === 'leveldb'
      ? // Inside the directory, so that the index databases PouchDB adds (`store-mrview-*`) live there too.
        new PouchDB<Doc>('store', { adapter: 'leveldb', prefix: `${location.directory.replace(/\/+$/, '')}/`, ...local })
      : location.adapter === 'memory'
        ? new PouchDB<Doc>(location.name, { adapter: 'memory', ...local })
        : // Node's own fetch keeps connections to the server open between requests; PouchDB's default opens one per request.
          new PouchDB<Doc>(location.url, { adapter: 'http', skip_setup: false, fetch: (url, init) => fetch(url, init) });
  // Only a server can stop answering; local stores fail, if at all, when opened.
  const db = remote ? watchCalls(opened, availability) : opened;
  let since: string | number;
  try {
    since = (await db.info()).update_seq;
  } catch (error) {
    if (error instanceof StorageUnavailableError) throw error;
    throw explainOpenFailure(location, where, error);
  }
  await defineIndexes(db, options.indexKeys ?? [], remote);
  if (remote) await ensureCountsView(db);
  const storage = new PouchStorage(
    db,
    {
      destroyOnClose: location.adapter === 'memory',
      cacheSize: options.cacheSize ?? 10_000,
      remote,
      onClosed: () => directory !== undefined && openDirectories.delete(directory),
    },
    since,
  );
  // Other processes write to a shared CouchDB: its changes feed tells this one what to forget.
  if (remote) storage.follow(new ChangeFeed(db, storage.cache, availability, since));
  return storage;
}

/** LevelDB's lock held by another process, or any other failure, in a message without credentials. */
function explainOpenFailure(location: PouchLocation, where: string, error: unknown): StorageUnavailableError {
  let detail = describe(error);
  // PouchDB leaves credentials out of its messages; should any message quote them, they go here.
  const password = location.adapter === 'http' ? new URL(location.url).password : '';
  if (password) detail = detail.split(password).join('***').split(decodeURIComponent(password)).join('***');
  // LevelDB: "IO error: lock <dir>/store/LOCK: Resource temporarily unavailable".
  const isLocked = location.adapter === 'leveldb' && /\block\b.*(temporarily unavailable|already held)/i.test(detail);
  return new StorageUnavailableError(`cannot open the database at ${where}: ${detail}`, isLocked ? 'locked' : 'failed', { cause: error });
}

class PouchStorage implements Storage {
  readonly cache: RecordCache;
  private feed: ChangeFeed | undefined;
  /**
   * Every one-document write. Local stores have one writer that groups them with resources, counts and
   * counters (pouch-writes.ts); CouchDB takes concurrent writes by itself, and its per-document errors
   * over _bulk_docs would lack the status a put has.
   */
  private readonly put: PutDocument;
  private readonly counts: PoolCounts;
  private readonly resources: ResourceDocuments;
  private readonly records: SharedRecords;
  /** Over CouchDB it reads from the feed the cache follows, from the start; locally from one of its own, started by the first follower. */
  private journals: { feed: journals.JournalFeed; stop: () => void } | undefined;
  private transactions: RemoteTransactions | undefined;
  private readonly jobs: JobDocuments;

  constructor(
    private readonly db: Db,
    private readonly options: { destroyOnClose: boolean; cacheSize: number; remote: boolean; onClosed: () => void },
    /** Where the changes feed stood when the store was opened. */
    private readonly opened: Sequence,
  ) {
    this.cache = new RecordCache(options.cacheSize);
    if (options.remote) {
      this.put = (doc) => db.put(doc);
      const updater = new DocUpdater(db, this.put);
      this.counts = viewCounts(db, updater, this.cache);
      this.records = new SharedRecords(db, updater);
      this.transactions = new RemoteTransactions(db);
      this.resources = new ResourceDocuments(db, { remote: this.put, transactions: this.transactions }, this.cache, this.rememberJournal);
    } else {
      const committer = new LocalCommitter(db);
      this.put = committer.put;
      this.counts = localCounts(committer);
      this.records = new SharedRecords(db, new DocUpdater(db, this.put));
      this.resources = new ResourceDocuments(db, { local: committer }, this.cache, this.rememberJournal);
    }
    this.jobs = new JobDocuments(db, this.put);
  }

  readResource = (path: string) => this.resources.read(path);
  readResources = (paths: readonly string[]) => this.resources.readMany(paths);
  insertResource = (record: ResourceRecord, options?: { counter?: { name: string; value: number } }) => this.resources.insert(record, options?.counter);
  insertResources = (records: readonly ResourceRecord[]) => this.resources.insertMany(records);
  replaceResource = (record: ResourceRecord) => this.resources.replace(record);
  removeTree = async (path: string, options?: { keepPath?: boolean; journal?: Journal }) => {
    const removed = await this.resources.removeTree(path, options?.keepPath === true);
    // Not in the same batch as the removal: a crash in between leaves a removal nobody is told of.
    if (options?.journal && removed.length > 0) {
      const journal = journals.journalDocOf(options.journal);
      this.rememberJournal(journal);
      await this.put(journal);
    }
    return removed;
  };
  commit = (changes: Changes) => this.resources.commit(changes);
  backreferences = (target: string) => this.resources.backreferences(target);
  guardedWithin = (path: string) => this.resources.guardedWithin(path);

  queryChildren = (query: ChildQuery) => queries.queryChildren(this.db, this.resources.visible, query);
  queryChildrenCounted = (query: ChildQuery) => queries.queryChildrenCounted(this.db, this.resources.visible, query);
  countMatches = (query: ChildQuery) => queries.countMatches(this.db, this.resources.visible, query);
  aggregateMatches = (query: ChildQuery, key: string) => queries.aggregateMatches(this.db, this.resources.visible, query, key);
  finishTransactions = async (now: number) => (this.transactions ? this.transactions.finishAbandoned(now) : 0);

  childCounts = (parent: string) => this.counts.childCounts(parent);
  nextCounterValue = (name: string) => this.counts.nextValue(name);

  claimUnique = (claim: UniqueClaim) => claims.claimUnique(this.db, this.put, claim);
  readUniqueClaim = (scope: string, key: string) => claims.readUniqueClaim(this.db, scope, key);
  listUniqueClaims = (scope: string, after: string | undefined, limit: number) => claims.listUniqueClaims(this.db, scope, after, limit);
  releaseUnique = (claim: Pick<UniqueClaim, 'scope' | 'key' | 'owner' | 'revision'>) => claims.releaseUnique(this.db, claim);
  replaceUniqueClaim = (current: UniqueClaim, next: UniqueClaim) => claims.replaceUniqueClaim(this.db, this.put, current, next);

  insertSession = (session: SessionRecord) => sessions.insertSession(this.put, session);
  readSession = (userPath: string, id: string) => sessions.readSession(this.db, userPath, id);
  touchSession = (userPath: string, id: string, lastUsedAt: number) => sessions.touchSession(this.db, this.put, userPath, id, lastUsedAt);
  rebindSession = (userPath: string, id: string, credential: string) => sessions.rebindSession(this.db, this.put, userPath, id, credential);
  deleteSession = (userPath: string, id: string) => sessions.deleteSession(this.db, userPath, id);
  readSessionState = (userPath: string, id: string) => sessions.readSessionState(this.db, userPath, id);
  writeSessionState = (userPath: string, id: string, state: unknown) => sessions.writeSessionState(this.db, this.put, userPath, id, state);
  listSessions = (userPath: string) => sessions.listSessions(this.db, userPath);
  deleteSessionsWhere = (isDead: (session: SessionRecord) => boolean) => sessions.deleteSessionsWhere(this.db, isDead);

  readRecord = (key: string) => this.records.read(key);
  updateRecord = (key: string, change: (current: SharedRecord | undefined) => SharedRecord | undefined) => this.records.update(key, change);
  deleteExpiredRecords = (prefix: string, now: number) => this.records.deleteExpired(prefix, now);
  listExpiredRecords = (prefix: string, now: number, limit: number) => this.records.listExpired(prefix, now, limit);

  enqueueJob = (job: Pick<QueuedJob, 'queue' | 'id' | 'payload' | 'dueAt'>) => this.jobs.enqueue(job);
  takeDueJobs = (queue: string, now: number, leasedUntil: number, limit: number) => this.jobs.takeDue(queue, now, leasedUntil, limit);
  settleJob = (job: QueuedJob, outcome: JobOutcome) => this.jobs.settle(job, outcome);
  listJobs = (queue: string) => this.jobs.list(queue);

  private readonly rememberJournal = (doc: ReturnType<typeof journals.journalDocOf>) => this.journals?.feed.remember(doc);

  get openedAtSequence(): Sequence {
    return this.journals?.feed.base ?? this.opened;
  }

  followChanges(listener: (event: FeedEvent) => void): void {
    if (!this.journals) {
      // Locally the feed starts where the store was opened, whenever the first follower comes.
      const feed = new journals.JournalFeed(this.db, this.opened);
      const stopLocal = journals.followLocalChanges(this.db, this.opened, (change) => feed.take(change));
      this.journals = {
        feed,
        stop: () => {
          stopLocal();
          feed.close();
        },
      };
    }
    this.journals.feed.listen(listener);
  }

  async followersCaughtUp(timeoutMs: number): Promise<void> {
    if (!this.journals) return;
    const target = orderOf((await this.db.info()).update_seq);
    if (target !== undefined) await this.journals.feed.caughtUp(target, timeoutMs);
  }

  transactionsSince = (since: Sequence, limit: number) => journals.transactionsSince(this.db, since, limit);
  deleteJournalsBefore = (time: number) => journals.deleteJournalsBefore(this.db, time);

  follow(feed: ChangeFeed): void {
    this.feed = feed;
    // Over CouchDB the journals come from the feed the cache follows, from its first change on.
    const journalFeed = new journals.JournalFeed(this.db, this.opened);
    feed.onChange((change) => journalFeed.take(change));
    this.journals = { feed: journalFeed, stop: () => journalFeed.close() };
    feed.start();
  }

  async close(): Promise<void> {
    this.journals?.stop();
    this.feed?.close();
    this.cache.clear();
    try {
      if (this.options.destroyOnClose) await this.db.destroy();
      else await this.db.close();
    } finally {
      this.options.onClosed();
    }
  }
}

/** The view that counts children over CouchDB, written where it is missing or out of date. */
async function ensureCountsView(db: Db): Promise<void> {
  const existing = (await getDoc(db, countsDesignDoc)) as (PouchDB.Core.IdMeta & PouchDB.Core.GetMeta & { views?: unknown }) | undefined;
  if (existing && JSON.stringify(existing.views) === JSON.stringify(countsDesign.views)) return;
  try {
    await db.put({ ...countsDesign, ...(existing ? { _rev: existing._rev } : {}) } as unknown as PouchDB.Core.PutDocument<Doc>);
  } catch (error) {
    // Another process starting at the same time wrote it.
    if (!isStatus(error, 409)) throw error;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
