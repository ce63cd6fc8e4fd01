// The changes feed of a shared CouchDB: tells the cache what other processes wrote, and after an outage reconnects with backoff, resuming where it stopped.
import type { Availability } from './pouch-availability.ts';
import type { RecordCache } from './pouch-cache.ts';
import { countsKey, type Db, type Doc } from './pouch-documents.ts';
import type { FeedChange } from './pouch-journal.ts';

/** The first wait before reconnecting, doubled after each failed attempt up to the longest. */
const firstDelayMs = 100;
const longestDelayMs = 5_000;

type Sequence = string | number;

/**
 * Without the feed, the cache could hold what another process has changed since, so the cache is
 * suspended (emptied, and keeps nothing) from the moment the feed fails or the store stops answering
 * until the feed follows again. The new feed starts at the last change the old one delivered, so that
 * nothing written meanwhile, before or after the cache comes back, goes unseen.
 */
export class ChangeFeed {
  private state: 'following' | 'waiting' | 'reconnecting' | 'closed' = 'waiting';
  private feed: PouchDB.Core.Changes<Doc> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private delayMs = firstDelayMs;
  private readonly listeners: ((change: FeedChange) => void)[] = [];

  constructor(
    /** The watched database (pouch-availability.ts), whose calls report whether the store answers. */
    private readonly db: Db,
    private readonly cache: RecordCache,
    private readonly availability: Availability,
    /** The store's sequence when this process opened it: the feed starts after it. */
    private since: Sequence,
  ) {
    availability.onChange((answering) => (answering ? this.reconnectNow() : this.interrupt()));
  }

  /** Tells `listener` of every change after the cache has forgotten what it changed. */
  onChange(listener: (change: FeedChange) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    const feed = this.db.changes({ since: this.since, live: true });
    this.feed = feed;
    this.state = 'following';
    feed.on('change', (change) => {
      this.since = change.seq;
      this.cache.forget(change.id);
      // A resource `<pool>|<name>` written elsewhere may change its pool's counts.
      const bar = change.id.lastIndexOf('|');
      if (change.id.startsWith('/') && bar > 0) this.cache.forget(countsKey(change.id.slice(0, bar)));
      for (const listener of this.listeners) listener({ id: change.id, seq: change.seq, ...(change.deleted ? { deleted: true } : {}) });
    });
    feed.on('error', (error: unknown) => {
      if (this.feed !== feed) return;
      // A connection failure reports the store as not answering, which interrupts the feed in turn.
      this.availability.failed(error);
      this.interrupt();
    });
  }

  close(): void {
    this.state = 'closed';
    clearTimeout(this.timer);
    this.stopFeed();
  }

  private interrupt(): void {
    this.cache.suspend();
    if (this.state !== 'following') return;
    this.stopFeed();
    this.waitAndReconnect();
  }

  /** The store answered a request: no need to wait out the delay. */
  private reconnectNow(): void {
    if (this.state !== 'waiting') return;
    clearTimeout(this.timer);
    void this.reconnect();
  }

  private waitAndReconnect(): void {
    this.state = 'waiting';
    this.timer = setTimeout(() => void this.reconnect(), this.delayMs);
    this.timer.unref();
    this.delayMs = Math.min(longestDelayMs, this.delayMs * 2);
  }

  private async reconnect(): Promise<void> {
    this.state = 'reconnecting';
    try {
      await this.db.info();
    } catch {
      if (this.state === 'reconnecting') this.waitAndReconnect();
      return;
    }
    if (this.state !== 'reconnecting') return;
    this.delayMs = firstDelayMs;
    this.start();
    this.cache.resume();
  }

  private stopFeed(): void {
    const feed = this.feed;
    this.feed = undefined;
    feed?.cancel();
  }
}
