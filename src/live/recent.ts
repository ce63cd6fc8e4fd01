// The transactions this process heard of last, by their place in the store's changes feed: what a connection that comes back may have missed.
import type { TransactionJournal } from '../model/journal.ts';
import { orderOf, type Sequence } from '../storage/storage.ts';
import type { Position } from './position.ts';

export interface Transaction {
  seq: Sequence;
  journal: TransactionJournal;
}

/** A transaction missed in part or in full: only its events past `after` when that is given. */
export interface MissedTransaction {
  transaction: Transaction;
  after?: number;
}

/** What a connection that was at `since` missed, as far as the window can tell. */
export type Missed =
  /** Everything after `since`, which the window holds. */
  | { kind: 'known'; transactions: MissedTransaction[] }
  /** `since` lies before the window: the store's feed may still tell what came before it. */
  | { kind: 'before'; base: Sequence; transactions: MissedTransaction[] }
  /** More than the window holds. */
  | { kind: 'lost' };

const orderOfTransaction = (transaction: Transaction) => orderOf(transaction.seq) ?? 0;

/** The transactions after `since`, and the rest of the one it stands in, among `transactions`. */
export function missedAmong(transactions: readonly Transaction[], since: Position): MissedTransaction[] {
  return transactions.flatMap((transaction) => {
    const order = orderOfTransaction(transaction);
    if (order > since.order) return [{ transaction }];
    return order === since.order && since.index !== undefined ? [{ transaction, after: since.index }] : [];
  });
}

export class RecentTransactions {
  private readonly entries: Transaction[] = [];
  /** Whether the window ever let one go: then what lies before `base` is more than it can hold. */
  private dropped = false;

  constructor(
    private readonly size: number,
    /** The position the window starts after: where the feed was when this process began to follow it. */
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

  after(since: Position): Missed {
    const base = orderOf(this.base) ?? 0;
    const transactions = missedAmong(this.entries, since);
    // The window holds all that came after its base: `since` must not need the rest of one before it.
    if (since.order > base || (since.order === base && since.index === undefined)) return { kind: 'known', transactions };
    return this.dropped ? { kind: 'lost' } : { kind: 'before', base: this.base, transactions };
  }
}
