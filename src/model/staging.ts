// A transaction being built: what a request (or a batch of them) writes, read back by later steps, committed at once.
import type { Backreference, Journal, ResourceRecord, Storage } from '../storage/storage.ts';

/**
 * Every write of a request is staged here and stored by one commit, all or nothing; every read of the
 * request sees what is staged before what is stored. A batch stages all its subrequests, so that a
 * failing one leaves nothing behind, and all of it shares one time.
 */
/** Something prepared for a transaction (claims of unique values, an activation): kept or given back with it. */
export interface HeldForCommit {
  committed(): Promise<void>;
  abandoned(): Promise<void>;
}

export class Staging {
  private readonly inserted = new Map<string, { record: ResourceRecord; counter?: { name: string; value: number } }>();
  private readonly replaced = new Map<string, ResourceRecord>();
  /** Resources as they were stored when this transaction first read them. */
  private readonly originals = new Map<string, ResourceRecord>();
  private readonly claims: HeldForCommit[] = [];
  /** What must happen once the transaction is stored (ending the sessions of a changed password). */
  private readonly committedHooks: (() => Promise<void>)[] = [];
  /** Per item, the version this transaction created: one new version per item and transaction. */
  readonly newVersions = new Map<string, string>();
  /** The paths each kind of change touched, for the answer's updated_resources. */
  readonly created = new Set<string>();
  readonly modified = new Set<string>();
  readonly removed = new Set<string>();
  /** Resources whose change may change who sees what (see isAccessChange). */
  readonly accessChanged = new Set<string>();

  constructor(
    private readonly storage: Storage,
    /** The one time of every write of the transaction, as ISO 8601. */
    readonly now: string,
    /** What the transaction changed, written with it for whoever follows the store's changes. */
    private readonly describe?: (staging: Staging) => Promise<Journal>,
  ) {}

  async read(path: string): Promise<ResourceRecord | undefined> {
    return (await this.readMany([path]))[0];
  }

  async readMany(paths: readonly string[]): Promise<(ResourceRecord | undefined)[]> {
    // What this transaction inserts, or replaces and has read before, is answered from here: reading it
    // again would cost a read of the store (a request, over CouchDB) whose answer is not used.
    const unknown = paths.filter((path) => !this.inserted.has(path) && !(this.replaced.has(path) && this.originals.has(path)));
    const stored = unknown.length > 0 ? await this.storage.readResources(unknown) : [];
    const found = new Map(unknown.map((path, index) => [path, stored[index]]));
    return paths.map((path) => {
      const record = found.get(path);
      if (record && !this.originals.has(path)) this.originals.set(path, record);
      return this.inserted.get(path)?.record ?? this.replaced.get(path) ?? record;
    });
  }

  /** A resource as it was stored before this transaction changed it. */
  originalOf(path: string): ResourceRecord | undefined {
    return this.originals.get(path);
  }

  /** The same as readMany, under the name that traversal asks for. */
  readResources(paths: readonly string[]): Promise<(ResourceRecord | undefined)[]> {
    return this.readMany(paths);
  }

  isNew(path: string): boolean {
    return this.inserted.has(path);
  }

  insert(record: ResourceRecord, counter?: { name: string; value: number }): void {
    this.inserted.set(record.path, { record, ...(counter ? { counter } : {}) });
    this.created.add(record.path);
  }

  /** A record read from the store (with its revision), or one staged earlier in this transaction, changed. */
  replace(record: ResourceRecord): void {
    this.reindex(record);
    if (!this.created.has(record.path)) this.modified.add(record.path);
  }

  /** A stored record whose index alone changes (a version losing its LAST tag): written, not reported as modified. */
  reindex(record: ResourceRecord): void {
    const staged = this.inserted.get(record.path);
    if (staged) staged.record = record;
    else this.replaced.set(record.path, record);
  }

  hold(held: HeldForCommit): void {
    this.claims.push(held);
  }

  afterCommit(hook: () => Promise<void>): void {
    this.committedHooks.push(hook);
  }

  /** What refers to a resource, in the store and in what is staged. */
  async backreferences(target: string): Promise<Backreference[]> {
    const staged = [...this.inserted.values()].map(({ record }) => record).concat([...this.replaced.values()]);
    const changed = new Set(staged.map((record) => record.path));
    const stored = (await this.storage.backreferences(target)).filter((reference) => !changed.has(reference.source));
    const fromStaged = staged.flatMap((record) =>
      (record.references ?? []).filter((reference) => reference.target === target).map((reference) => ({ source: record.path, key: reference.key })),
    );
    return [...stored, ...fromStaged];
  }

  /** Stores everything at once; the claims made for it are kept or given back as it went. */
  async commit(): Promise<ResourceRecord[]> {
    let written: ResourceRecord[];
    try {
      const journal = this.describe ? { journal: await this.describe(this) } : {};
      written = await this.storage.commit({ inserts: [...this.inserted.values()], replaces: [...this.replaced.values()], ...journal });
    } catch (error) {
      await this.abandon();
      throw error;
    }
    for (const claims of this.claims) await claims.committed();
    for (const hook of this.committedHooks) await hook();
    return written;
  }

  /** Gives back the claims of a transaction that will not be stored. */
  async abandon(): Promise<void> {
    for (const claims of this.claims.splice(0)) await claims.abandoned();
  }
}
