// The Storage contract that the rest of the backend uses, and the typed errors it throws.

/** Sheet id → field name → stored value. */
export type SheetData = Record<string, Record<string, unknown>>;

export interface ResourceRecord {
  /** Canonical path with a trailing slash: `/principals/users/0000000/`. */
  path: string;
  contentType: string;
  data: SheetData;
  /** The storage revision this record was read at; required to replace it. */
  revision?: string;
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
}

export interface UniqueClaim {
  scope: string;
  key: string;
  /** Path of the resource holding the value. */
  owner: string;
  claimedAt: number;
}

export interface ListOptions {
  limit?: number;
  offset?: number;
}

export interface Storage {
  readResource(path: string): Promise<ResourceRecord | undefined>;
  /** Stores a new resource; throws AlreadyExistsError when the path is taken. */
  insertResource(record: ResourceRecord): Promise<ResourceRecord>;
  /** Stores many new resources at once (seeding, imports); answers the paths that existed already. */
  insertResources(records: readonly ResourceRecord[]): Promise<string[]>;
  /** Replaces a resource read at `record.revision`; throws RevisionConflictError if it changed since. */
  replaceResource(record: ResourceRecord): Promise<ResourceRecord>;
  /** Direct children of a pool in name order; the cost grows with the page, not the pool. */
  listChildren(parentPath: string, options?: ListOptions): Promise<ResourceRecord[]>;
  /** How many children a pool has, by content type; kept as children are written, never counted by a scan. */
  childCounts(parentPath: string): Promise<Record<string, number>>;
  /** Atomically increments and returns a named counter, starting at 0; safe across processes. */
  incrementCounter(name: string): Promise<number>;

  /** Records that a unique value belongs to `owner`; throws AlreadyExistsError with the current claim. */
  claimUnique(claim: UniqueClaim): Promise<void>;
  readUniqueClaim(scope: string, key: string): Promise<UniqueClaim | undefined>;
  /** Removes a claim if (and only if) it still belongs to `owner`. */
  releaseUnique(scope: string, key: string, owner: string): Promise<void>;
  /** Gives a stale claim to a new owner, if nobody else changed it meanwhile. */
  takeOverUnique(stale: UniqueClaim, next: UniqueClaim): Promise<void>;

  insertSession(session: SessionRecord): Promise<void>;
  readSession(userPath: string, id: string): Promise<SessionRecord | undefined>;
  touchSession(userPath: string, id: string, lastUsedAt: number): Promise<void>;
  deleteSession(userPath: string, id: string): Promise<boolean>;
  listSessions(userPath: string): Promise<SessionRecord[]>;
  /** Deletes sessions matching the predicate, a page at a time; returns how many went. */
  deleteSessionsWhere(isDead: (session: SessionRecord) => boolean): Promise<number>;

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

/** The store cannot be opened or reached. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}
