// The Storage contract that the rest of the backend uses, and the typed errors it throws.

/** Sheet id → field name → stored value. */
export type SheetData = Record<string, Record<string, unknown>>;

/** A value the store indexes for queries; lists index each of their items. */
export type IndexValue = string | number | boolean | null;

export interface ResourceRecord {
  /** Canonical path with a trailing slash: `/principals/users/0000000/`. */
  path: string;
  contentType: string;
  data: SheetData;
  /** Hidden or deleted: left out of listings and counts unless asked for. */
  hidden?: boolean;
  /** Has a view permission of its own, so that who may list it must be checked one by one. */
  restricted?: boolean;
  /** Values to filter and sort on, by index key (`<sheet id>:<field>`). */
  index?: Record<string, IndexValue>;
  /** The resources its data refers to, by the field that does (`<sheet id>:<field>`): what backreferences are read from. */
  references?: readonly ResourceReference[];
  /** For a version: the tags of its item that name it (`LAST`, `FIRST`), kept by the server as they move. */
  tags?: readonly string[];
  /** The storage revision this record was read at; required to replace it. */
  revision?: string;
}

export interface ResourceReference {
  /** The referring field, `<sheet id>:<field>`. */
  key: string;
  /** The path referred to. */
  target: string;
}

/** A reference seen from its target: which resource refers to it, by which field. */
export interface Backreference {
  source: string;
  key: string;
}

/** What one transaction writes: all of it or nothing (see Storage.commit for what holds over CouchDB). */
export interface Changes {
  /** New resources, each with the counter value its name took, if it took one. */
  inserts?: readonly { record: ResourceRecord; counter?: { name: string; value: number } }[];
  /** Resources read at their `revision`, written anew; one changed meanwhile fails the transaction. */
  replaces?: readonly ResourceRecord[];
  /** What the transaction changed, told to every process that follows the changes feed. */
  journal?: Journal;
}

/** A position in the store's changes feed: a number, or CouchDB's opaque string that starts with one. */
export type Sequence = number | string;

/**
 * The number at the start of a position, by which positions are ordered: the position itself on PouchDB
 * and pouchdb-server, the part before the dash of CouchDB's strings (it grows with the feed). Undefined
 * for anything else.
 */
export function orderOf(seq: unknown): number | undefined {
  if (typeof seq === 'number') return Number.isFinite(seq) ? seq : undefined;
  if (typeof seq !== 'string') return undefined;
  const match = /^(\d+)(?:-|$)/.exec(seq);
  return match ? Number(match[1]) : undefined;
}

/**
 * What a transaction changed, written with it so that every process following the store's changes
 * feed learns of it as one unit, in the store's order. Plain JSON, which the storage does not read.
 */
export interface Journal {
  /** Milliseconds since the epoch: journals are swept some time after it. */
  at: number;
  entry: Readonly<Record<string, unknown>>;
}

/** What the changes feed tells of, whichever process wrote it. */
export type FeedEvent =
  | { kind: 'transaction'; seq: Sequence; id: string; journal: Journal }
  | { kind: 'session-ended'; seq: Sequence; userPath: string; sessionId: string };

export type Comparator = 'eq' | 'noteq' | 'lt' | 'le' | 'gt' | 'ge' | 'any' | 'notany';

export interface IndexFilter {
  key: string;
  comparator: Comparator;
  /** A list for `any` and `notany`, a single value otherwise. */
  value: IndexValue | IndexValue[];
}

/** Matches where a sheet's field refers to the target: it is that path, or a list holding it. */
export interface ReferenceFilter {
  sheet: string;
  field: string;
  target: string;
}

/** Which descendants of a pool to list, and in which order. */
export interface ChildQuery {
  parent: string;
  /** 1 for the children; more, or `all`, for deeper descendants too. */
  depth: number | 'all';
  /** Only these content types; undefined for any. */
  contentTypes?: readonly string[];
  includeHidden: boolean;
  filters: readonly IndexFilter[];
  /** Filters on reference fields that have no index, checked on each candidate. */
  references?: readonly ReferenceFilter[];
  /** An index key; without one, tree order: by name, each resource followed by what lies below it. */
  sort?: { key: string; reverse: boolean };
  limit?: number;
  offset: number;
  /** Decides on each hidden or restricted record whether it is listed (hidden ones only with includeHidden). */
  isListable?: (record: ResourceRecord) => boolean;
  /** Paths of resources that are left out together with everything below them (deep queries only). */
  excludedSubtrees?: ReadonlySet<string>;
  /** How many stored resources the query may read, shared with the other queries of the same request. */
  budget?: ScanBudget;
}

/**
 * A bound on the stored resources that the queries of one request read, matching or not: a query that
 * would read one more throws ScanLimitError instead. The budget only counts; the caller sets the bound.
 */
export class ScanBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  /** How many more may be read. */
  get remaining(): number {
    return this.limit - this.used;
  }

  /** Counts one resource read; throws ScanLimitError when that is one more than the limit. */
  spend(): void {
    this.used += 1;
    if (this.used > this.limit) throw new ScanLimitError(this.limit);
  }
}

export interface ChildCounts {
  visible: number;
  hidden: number;
  /** How many of them, hidden or not, are restricted. */
  restricted: number;
}

export interface SessionRecord {
  /** Public id of the session, unique per user; never the token. */
  id: string;
  userPath: string;
  /** SHA-256 of the token's secret part, hex. */
  secretHash: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  lastUsedAt: number;
  /** The client's User-Agent at login, for people telling their sessions apart. */
  client: string;
  /** The id of the password the session was opened with; it ends when the password changes. */
  credential?: string;
  /** The service (its name in SERVICE_KEYS) that opened the session for the user, if one did. */
  openedBy?: string;
}

export interface UniqueClaim {
  scope: string;
  key: string;
  /** Path of the resource holding the value. */
  owner: string;
  claimedAt: number;
  /**
   * Milliseconds since the epoch until which the claim holds although its owner does not hold the value
   * (an address waiting for confirmation, a deleted account's name): nobody takes it over before then.
   */
  heldUntil?: number;
  /** The storage revision the claim was read or written at; replacing or releasing it checks it. */
  revision?: string;
}

/** A small record shared by every process (lockout counts, settings), deleted once `expiresAt` has passed. */
export interface SharedRecord {
  value: unknown;
  /** Milliseconds since the epoch; kept for ever without. */
  expiresAt?: number;
}

/** A task of a durable queue: stored before the request that made it answers, then taken by one process at a time. */
export interface QueuedJob {
  queue: string;
  /** Unique within its queue; due jobs are taken in id order. */
  id: string;
  payload: unknown;
  /** Milliseconds since the epoch; not taken before. */
  dueAt: number;
  /** How often it was taken, the current time included. */
  attempts: number;
  /** While a process works on it: nobody else takes it before this time. */
  leasedUntil?: number;
  /** Set aside for good (it failed too often): kept, never taken again. */
  parked?: boolean;
  /** The storage revision it was taken at; settling it checks it. */
  revision?: string;
}

/** How a taken job ended: done (it is removed), given back to be taken again at `dueAt`, or parked. */
export type JobOutcome = { done: true } | { dueAt: number } | { parked: true };

export interface Storage {
  readResource(path: string): Promise<ResourceRecord | undefined>;
  /**
   * Stores a new resource, counted in its pool's counts; throws AlreadyExistsError when the path is
   * taken. `counter` is the counter value its name came from, stored with it (see nextCounterValue).
   */
  insertResource(record: ResourceRecord, options?: { counter?: { name: string; value: number } }): Promise<ResourceRecord>;
  /** Stores many new resources at once (seeding, imports); answers the paths that existed already. */
  insertResources(records: readonly ResourceRecord[]): Promise<string[]>;
  /** Replaces a resource read at `record.revision`; throws RevisionConflictError if it changed since. */
  replaceResource(record: ResourceRecord): Promise<ResourceRecord>;
  /**
   * Writes several resources as one transaction, with their counts, guards and references: on a local
   * store in one atomic batch; over CouchDB one document after another, guards and inserts first, so
   * that a crash leaves at most a part that readers can see (see docs/batch.md). Throws
   * AlreadyExistsError for an insert whose path is taken, RevisionConflictError for a stale replace,
   * and then writes nothing. Answers the records written, inserts first, with their new revisions.
   */
  commit(changes: Changes): Promise<ResourceRecord[]>;
  /** Who refers to a resource, by which field. */
  backreferences(target: string): Promise<Backreference[]>;
  /**
   * Over CouchDB: rolls back the transactions that a stopped process left pending, and cleans up those
   * it left committed (readers see each whole or not at all meanwhile); answers how many. Nothing to do
   * on a local store, whose transactions are atomic.
   */
  finishTransactions(now: number): Promise<number>;
  /** Reads several resources at once (a path and its ancestors); undefined where there is none. */
  readResources(paths: readonly string[]): Promise<(ResourceRecord | undefined)[]>;
  /**
   * Descendants of a pool matching a query. Children in name order, or sorted and filtered on one
   * indexed key, cost what the page costs, not what the pool holds; deeper queries read the subtree.
   */
  queryChildren(query: ChildQuery): Promise<ResourceRecord[]>;
  /**
   * The same page, and the number of all matches, in one pass. Counting reads every candidate; when the
   * budget ends after the page is complete, the page comes without `total`.
   */
  queryChildrenCounted(query: ChildQuery): Promise<{ records: ResourceRecord[]; total: number | undefined }>;
  /** How many descendants match a query, ignoring its limit and offset. */
  countMatches(query: ChildQuery): Promise<number>;
  /** How many matching descendants have each value of an index key, ignoring limit and offset. */
  aggregateMatches(query: ChildQuery, key: string): Promise<Record<string, number>>;
  /** How many children a pool has, by content type; kept as children are written, never counted by a scan. */
  childCounts(parentPath: string): Promise<Record<string, ChildCounts>>;
  /**
   * Paths of the hidden or restricted resources strictly below a pool, shortest first: what a deep
   * query must check, without reading the subtree. May hold paths that are no longer guarded.
   */
  guardedWithin(path: string): Promise<string[]>;
  /**
   * Removes a resource and everything below it for good; answers the removed records. With
   * `keepPath`, the path itself is never given to a new resource. The journal is written after it.
   */
  removeTree(path: string, options?: { keepPath?: boolean; journal?: Journal }): Promise<ResourceRecord[]>;
  /**
   * The next value of a named counter, starting at 0, never the same twice while the store is open
   * and never one that a stored resource's name used (when its insert said so), across processes too.
   */
  nextCounterValue(name: string): Promise<number>;

  /** Records that a unique value belongs to `owner`; throws AlreadyExistsError with the current claim. */
  claimUnique(claim: UniqueClaim): Promise<UniqueClaim>;
  readUniqueClaim(scope: string, key: string): Promise<UniqueClaim | undefined>;
  /** The claims of a scope in key order, `limit` at most, after the key `after`. */
  listUniqueClaims(scope: string, after: string | undefined, limit: number): Promise<UniqueClaim[]>;
  /**
   * Removes a claim if it still belongs to `claim.owner` and, when `claim.revision` is given, nobody
   * has written it since that revision.
   */
  releaseUnique(claim: Pick<UniqueClaim, 'scope' | 'key' | 'owner' | 'revision'>): Promise<void>;
  /**
   * Writes `next` over a claim read at `current.revision` (a refresh by its owner, or taking over a
   * stale one); throws AlreadyExistsError with the claim as it is when somebody wrote it meanwhile.
   */
  replaceUniqueClaim(current: UniqueClaim, next: UniqueClaim): Promise<UniqueClaim>;

  insertSession(session: SessionRecord): Promise<void>;
  readSession(userPath: string, id: string): Promise<SessionRecord | undefined>;
  touchSession(userPath: string, id: string, lastUsedAt: number): Promise<void>;
  /** Moves a session to a new credential (the caller's own, after it changed its password). */
  rebindSession(userPath: string, id: string, credential: string): Promise<void>;
  deleteSession(userPath: string, id: string): Promise<boolean>;
  /** A session's own JSON document (null when none was written); undefined when there is no such session. */
  readSessionState(userPath: string, id: string): Promise<{ state: unknown } | undefined>;
  /**
   * Writes a session's document (null removes it), stored with the session so that it ends with it
   * however the session ends; false when there is no such session.
   */
  writeSessionState(userPath: string, id: string, state: unknown): Promise<boolean>;
  listSessions(userPath: string): Promise<SessionRecord[]>;
  /** Deletes sessions matching the predicate, a page at a time; returns how many went. */
  deleteSessionsWhere(isDead: (session: SessionRecord) => boolean): Promise<number>;

  readRecord(key: string): Promise<SharedRecord | undefined>;
  /**
   * Changes a record atomically: `change` gets the current one and answers the next, or undefined to
   * delete it; it may run more than once when another process writes the record meanwhile.
   */
  updateRecord(key: string, change: (current: SharedRecord | undefined) => SharedRecord | undefined): Promise<SharedRecord | undefined>;
  /** Deletes the records whose key starts with `prefix` and whose time is up; answers how many went. */
  deleteExpiredRecords(prefix: string, now: number): Promise<number>;
  /** The records whose key starts with `prefix` and whose time is up, in key order, `limit` at most; for sweepers that must act on each. */
  listExpiredRecords(prefix: string, now: number, limit: number): Promise<{ key: string; record: SharedRecord }[]>;

  /** Stores a new job; throws AlreadyExistsError when its queue has one with that id. */
  enqueueJob(job: Pick<QueuedJob, 'queue' | 'id' | 'payload' | 'dueAt'>): Promise<void>;
  /**
   * Takes up to `limit` jobs of a queue that are due at `now`, neither parked nor leased to another:
   * each is leased until `leasedUntil` and its attempt counted. A job that another process takes at the
   * same moment goes to one of them only.
   */
  takeDueJobs(queue: string, now: number, leasedUntil: number, limit: number): Promise<QueuedJob[]>;
  /** Settles a job as it was taken; false when it was taken again since (its lease ran out), which changes nothing. */
  settleJob(job: QueuedJob, outcome: JobOutcome): Promise<boolean>;
  /** Every job of a queue, parked ones included, in id order. */
  listJobs(queue: string): Promise<QueuedJob[]>;

  /**
   * Where followers start hearing of the changes feed (followChanges tells of what came after): where
   * it stood when the store was opened, or later should nobody follow it for thousands of changes.
   */
  readonly openedAtSequence: Sequence;
  /**
   * Tells `listener` of every journal and every ended session that the store's changes feed shows
   * after its opening, whichever process wrote them, one at a time in the store's order.
   */
  followChanges(listener: (event: FeedEvent) => void): void;
  /**
   * Resolves once followers have been told of every change the store held when it was called (at once
   * when nobody follows), or after `timeoutMs` should the feed lag behind that long.
   */
  followersCaughtUp(timeoutMs: number): Promise<void>;
  /**
   * The transactions written after `since`, in the store's order, at most `limit` + 1 (so that one more
   * says there are too many); undefined when the feed cannot tell them all: `since` is not one of its
   * positions, or a journal was swept since.
   */
  transactionsSince(since: Sequence, limit: number): Promise<FeedEvent[] | undefined>;
  /** Deletes the journals of transactions before `time`; answers how many went. */
  deleteJournalsBefore(time: number): Promise<number>;

  close(): Promise<void>;
}

/** A write would create something that exists already. */
export class AlreadyExistsError extends Error {
  override name = 'AlreadyExistsError';
  constructor(
    readonly key: string,
    readonly existing?: UniqueClaim,
  ) {
    super(`already exists: ${key}`);
  }
}

/** A replace raced with another write; re-read and try again. */
export class RevisionConflictError extends Error {
  override name = 'RevisionConflictError';
  constructor(readonly key: string) {
    super(`changed meanwhile: ${key}`);
  }
}

/** A query would read more stored resources than its budget allows. */
export class ScanLimitError extends Error {
  override name = 'ScanLimitError';
  constructor(readonly limit: number) {
    super(`the query would read more than ${limit} resources`);
  }
}

/** Why the store cannot be used: another process holds its lock, it does not answer, or it refused. */
export type UnavailableReason = 'locked' | 'unreachable' | 'failed';

/** The store cannot be opened or reached. Its message never holds credentials. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
  constructor(
    message: string,
    readonly reason: UnavailableReason,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
