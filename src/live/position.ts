// Where an event stands: its transaction's place in the store's changes feed, and its own place among that transaction's events; what `seq` carries.
import { orderOf, type Sequence } from '../storage/storage.ts';

export interface Position {
  /** The feed's position of the transaction (or of the ended session), as the store gave it. */
  seq: Sequence;
  /** By which positions are ordered; see orderOf. */
  order: number;
  /** The event's place among the events of its transaction; undefined for the whole transaction. */
  index?: number;
}

/**
 * `seq` of an event: `<feed position>/<index>`, so that a connection that dropped in the middle of a
 * transaction's events resumes after the last one it got; the feed position alone stands for all of
 * them. Clients take it as it comes and send it back as it is.
 */
export function formatPosition(seq: Sequence, index?: number): Sequence {
  return index === undefined ? seq : `${seq}/${index}`;
}

/** A `seq` as a client sends it back; undefined when it is not one this server gives. */
export function readPosition(value: Sequence): Position | undefined {
  const text = String(value);
  const slash = text.lastIndexOf('/');
  const head = slash < 0 ? text : text.slice(0, slash);
  const tail = slash < 0 ? undefined : text.slice(slash + 1);
  if (tail !== undefined && !/^\d{1,6}$/.test(tail)) return undefined;
  // The feed's own positions are numbers on PouchDB and pouchdb-server; CouchDB's are strings.
  const seq: Sequence = typeof value === 'number' ? value : /^\d+$/.test(head) ? Number(head) : head;
  const order = orderOf(seq);
  if (order === undefined) return undefined;
  return { seq, order, ...(tail === undefined ? {} : { index: Number(tail) }) };
}

/** Whether `position` comes after `seen`; an event of the very transaction `seen` is in comes after it only past its index. */
export function isAfter(position: Position, seen: Position): boolean {
  if (position.order !== seen.order) return position.order > seen.order;
  if (seen.index === undefined) return false;
  return position.index === undefined || position.index > seen.index;
}
