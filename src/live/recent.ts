// The transactions this process heard of last, by their place in the store's changes feed: what a connection that comes back may have missed.
import type { TransactionJournal } from '../model/journal.ts';
import { orderOf, type Sequence } from '../storage/storage.ts';

export interface Transaction {
  seq: Sequence;
  journal: TransactionJournal;
}

/** What a connection that was at `since` missed, as far as the window can tell. */
export type Missed =
  /** Everything after `since`, which the window holds. */
  | { kind: 'known'; transactions: Transaction[] }
  /** `since` lies before the window: the store's feed may still tell what came before it. */
  | { kind: 'before'; base: Sequence; transactions: Transaction[] }
  /** More than the window holds, or a position that no feed gave. */
  | { kind: 'lost' };

export class RecentTransactions {
  private readonly entries: Transaction[] = [];
  /** Whether the window ever let one go: then what lies before `base` is more than it can hold. */
  private dropped = false;

  constructor(
    private readonly size: number,
    /** The position the window starts after: where the feed was when this process opened the store. */
    private base: Sequence,
  ) {}

  add(transaction: Transaction): void {
    this.entries.push(transaction);
    while (this.entries.length > this.size) {
      this.base = (this.entries.shift() as Transaction).seq;
      this.dropped = true;
    }
  }

  /** The latest position this process knows of. */
  get last(): Sequence {
    return this.entries.at(-1)?.seq ?? this.base;
  }

  after(since: Sequence): Missed {
    const position = orderOf(since);
    const base = orderOf(this.base);
    if (position === undefined || base === undefined) return { kind: 'lost' };
    const transactions = this.entries.filter((entry) => (orderOf(entry.seq) ?? 0) > position);
    if (position >= base) return { kind: 'known', transactions };
    return this.dropped ? { kind: 'lost' } : { kind: 'before', base: this.base, transactions };
  }
}
