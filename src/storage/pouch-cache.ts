// What the storage keeps in memory: recently read resources and pools' child counts, kept exact by this process's writes and another's changes.
import type { LRUCache } from 'lru-cache';
import { createLruCache } from '../lru.ts';
import type { ChildCounts, ResourceRecord } from './storage.ts';

/**
 * Every request reads a path and its ancestors, and a PouchDB read costs far more than the rest of a
 * GET. The embedded store has one process (LevelDB's lock), which updates the cache on each of its
 * writes; with CouchDB, other processes write too, and the changes feed tells this one what to forget
 * (pouch-feed.ts), which suspends the cache while the feed is down.
 */
export class RecordCache {
  private readonly resources: LRUCache<string, ResourceRecord>;
  /** Pools' child counts by document id; an empty record for a pool without any. */
  private readonly counts: LRUCache<string, Record<string, ChildCounts>>;
  private enabled = true;

  constructor(size: number) {
    this.resources = createLruCache(Math.max(1, size));
    this.counts = createLruCache(Math.max(1, size));
  }

  resource(id: string): ResourceRecord | undefined {
    return this.resources.get(id);
  }

  /** Freezes the record, since callers share the cached object: a change must go through a write. */
  rememberResource(id: string, record: ResourceRecord): ResourceRecord {
    for (const fields of Object.values(record.data)) Object.freeze(fields);
    Object.freeze(record.data);
    Object.freeze(record);
    if (this.enabled) this.resources.set(id, record);
    return record;
  }

  childCounts(id: string): Record<string, ChildCounts> | undefined {
    return this.counts.get(id);
  }

  rememberCounts(id: string, counts: Record<string, ChildCounts>): void {
    if (this.enabled) this.counts.set(id, counts);
  }

  forget(id: string): void {
    this.resources.delete(id);
    this.counts.delete(id);
  }

  /** Empties the cache and keeps nothing until resume(): what it would keep could go stale unseen. */
  suspend(): void {
    this.enabled = false;
    this.clear();
  }

  resume(): void {
    this.enabled = true;
  }

  clear(): void {
    this.resources.clear();
    this.counts.clear();
  }
}
