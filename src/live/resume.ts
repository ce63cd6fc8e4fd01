// Resuming: a connection that comes back names where it was and what it followed, and gets what it missed, or is told to load again.
import { readJournal } from '../model/journal.ts';
import { orderOf, type Sequence } from '../storage/storage.ts';
import type { Connection } from './connection.ts';
import type { Hub } from './hub.ts';
import { canHear } from './plan.ts';
import { readPosition, type Position } from './position.ts';
import { ProtocolError, type ServerMessage } from './protocol.ts';
import { missedAmong, type Missed, type MissedTransaction } from './recent.ts';

/**
 * Subscribes the connection to what it names and may still see, then sends, in order: the events it
 * missed since `since` about those resources (or `resync_required` when the server cannot tell them
 * all), `removed` for each named resource it can no longer see that the events did not remove, and the
 * confirmation. Events that happen meanwhile wait until then, and none is sent twice.
 */
export async function resume(hub: Hub, connection: Connection, since: Sequence, references: readonly string[]): Promise<void> {
  const { codec, policy } = hub.deps;
  const paths = [
    ...new Set(
      references.map((reference) => {
        const path = codec.fromReference(reference);
        if (path === undefined) throw new ProtocolError('unknown_resource', reference);
        return path;
      }),
    ),
  ];
  const fresh = paths.filter((path) => !connection.subscriptions.has(path));
  if (connection.subscriptions.size + fresh.length > policy.maxSubscriptions) {
    throw new ProtocolError('too_many_subscriptions', `at most ${policy.maxSubscriptions} subscriptions per connection`);
  }
  const sight = hub.newSight();
  await sight.load(paths);
  const visible = paths.filter((path) => sight.canSee(connection.principal, path));
  await hub.caughtUp();

  // From here to hold(), nothing is awaited: what the feed delivers later reaches the subscriptions live.
  const position = readPosition(since);
  const missed: Missed = position ? hub.recent.after(position) : { kind: 'lost' };
  const known = missed.kind === 'lost' ? [] : missed.transactions;
  const lastKnown = known.at(-1)?.transaction.seq;
  for (const path of visible) hub.subscribe(connection, path);
  connection.hold(lastKnown !== undefined ? { seq: lastKnown, order: orderOf(lastKnown) ?? 0 } : (position ?? { seq: hub.recent.last, order: orderOf(hub.recent.last) ?? 0 }));
  try {
    const replayed = position && (await findMissed(hub, position, missed));
    const removed = new Set<string>();
    if (!replayed || replayed.length > policy.resumeWindow) {
      connection.answer({ event: 'resync_required', seq: hub.recent.last });
    } else {
      const watched = new Set(paths);
      for (const missedTransaction of replayed) {
        for (const message of await listEventsOf(hub, connection, missedTransaction, watched)) {
          if (message.event === 'removed') removed.add(String(message.resource));
          connection.answer(message);
        }
      }
    }
    for (const path of paths) {
      if (!visible.includes(path) && !removed.has(codec.toUrl(path))) connection.answer(hub.messageOf({ event: 'removed', resource: path }, hub.recent.last));
    }
    connection.answer({ status: 'ok', action: 'resume', resources: visible.map(codec.toUrl) });
  } finally {
    connection.release();
  }
}

/** Everything after `since`: from the window, and before it from the store's feed; undefined when neither can tell. */
async function findMissed(hub: Hub, since: Position, missed: Missed): Promise<MissedTransaction[] | undefined> {
  if (missed.kind === 'lost') return undefined;
  if (missed.kind === 'known') return missed.transactions;
  // The feed tells what comes after a position; for the rest of the transaction at `since`, read from just before it.
  const from = since.index === undefined ? since.seq : typeof since.seq === 'number' ? since.seq - 1 : undefined;
  if (from === undefined) return undefined;
  const stored = await hub.deps.storage.transactionsSince(from, hub.deps.policy.resumeWindow);
  if (!stored) return undefined;
  const base = orderOf(missed.base) ?? 0;
  const before = stored.flatMap((event) =>
    event.kind === 'transaction' && (orderOf(event.seq) ?? Infinity) <= base ? [{ seq: event.seq, journal: readJournal(event.journal.entry) }] : [],
  );
  return [...missedAmong(before, since), ...missed.transactions];
}

/** The events of one transaction (past `after`) about the watched resources, as the connection may hear them now. */
async function listEventsOf(hub: Hub, connection: Connection, missed: MissedTransaction, watched: ReadonlySet<string>): Promise<ServerMessage[]> {
  const { transaction, after } = missed;
  const sight = hub.newSight();
  const { events } = await hub.plan(transaction, sight, (path) => watched.has(path));
  return events
    .filter((planned) => (after === undefined || (planned.index ?? 0) > after) && canHear(connection.principal, planned, sight, transaction.journal))
    .map((planned) => hub.messageOf(planned, transaction.seq));
}
