// The connections of this process and what each follows; every transaction the store's changes feed tells of becomes events for those who may hear of them.
import { principalOf } from '../auth/authenticate.ts';
import { anonymous, type Principal } from '../auth/permissions.ts';
import type { Passwords } from '../auth/passwords.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { Clock } from '../clock.ts';
import type { LivePolicy } from '../config.ts';
import { isInvalidToken } from '../errors.ts';
import { describeError, type Logger } from '../log.ts';
import { readJournal, type TransactionJournal } from '../model/journal.ts';
import type { Registry } from '../registry.ts';
import { orderOf, type FeedEvent, type Sequence, type Storage } from '../storage/storage.ts';
import type { PathCodec } from '../tree/path.ts';
import type { Connection, LiveSession } from './connection.ts';
import { canHear, listNamedPaths, planEvents, type PlannedEvent } from './plan.ts';
import { formatPosition, type Position } from './position.ts';
import type { ServerMessage } from './protocol.ts';
import { RecentTransactions, type Transaction } from './recent.ts';
import { Sight } from './sight.ts';

/** How long a subscription waits for the feed to catch up with the store before it is taken all the same. */
const catchUpTimeoutMs = 5_000;

export interface HubDeps {
  storage: Storage;
  registry: Registry;
  codec: PathCodec;
  sessions: Sessions;
  passwords: Passwords;
  clock: Clock;
  policy: LivePolicy;
  log: Logger;
}

export class Hub {
  readonly connections = new Set<Connection>();
  readonly recent: RecentTransactions;
  private readonly subscribers = new Map<string, Set<Connection>>();
  /** Connections by the session they authenticated with, `<user path>|<session id>`. */
  private readonly bySession = new Map<string, Set<Connection>>();
  /** The feed's events, one after another: a transaction's events all go out before the next one's. */
  private pending: Promise<void> = Promise.resolve();

  constructor(readonly deps: HubDeps) {
    deps.storage.followChanges((event) => {
      this.pending = this.pending.then(() => this.take(event));
    });
    // Read once following: where the feed starts for its followers.
    this.recent = new RecentTransactions(deps.policy.resumeWindow, deps.storage.openedAtSequence);
  }

  /** Resolves once every event the feed told of so far has been handled. */
  settled(): Promise<void> {
    return this.pending;
  }

  /**
   * Resolves once every change the store held when it was called has been delivered: a subscription
   * made then hears of nothing older than itself (unless the feed lags behind by seconds).
   */
  async caughtUp(): Promise<void> {
    await this.deps.storage.followersCaughtUp(catchUpTimeoutMs);
    await this.settled();
  }

  add(connection: Connection): void {
    this.connections.add(connection);
  }

  remove(connection: Connection): void {
    this.connections.delete(connection);
    this.actAs(connection, undefined, anonymous);
    for (const path of [...connection.subscriptions]) this.unsubscribe(connection, path);
  }

  /** The session (if any) and principal a connection acts with from now on. */
  actAs(connection: Connection, session: LiveSession | undefined, principal: Principal): void {
    if (connection.session) removeFrom(this.bySession, sessionKey(connection.session), connection);
    connection.session = session;
    connection.principal = principal;
    if (session) addTo(this.bySession, sessionKey(session), connection);
  }

  /** False when the connection follows the resource already. */
  subscribe(connection: Connection, path: string): boolean {
    if (connection.subscriptions.has(path)) return false;
    connection.subscriptions.add(path);
    addTo(this.subscribers, path, connection);
    return true;
  }

  /** False when the connection did not follow the resource. */
  unsubscribe(connection: Connection, path: string): boolean {
    if (!connection.subscriptions.delete(path)) return false;
    removeFrom(this.subscribers, path, connection);
    return true;
  }

  newSight(): Sight {
    return new Sight(this.deps.storage, this.deps.registry);
  }

  /**
   * The events of a transaction, in order, for the resources `isWatched` accepts, with the records that
   * deciding who may hear of them needs; and how many events the transaction has in all.
   */
  async plan(transaction: Transaction, sight: Sight, isWatched: (path: string) => boolean): Promise<{ events: PlannedEvent[]; count: number }> {
    const { journal } = transaction;
    await sight.load(journal.created);
    const isVersion = (path: string) => {
      const record = sight.record(path);
      return record !== undefined && this.deps.registry.resourceTypes.get(record.contentType)?.kind === 'itemVersion';
    };
    const all = planEvents(journal, isVersion);
    const events = all.filter((event) => isWatched(event.resource));
    await sight.load(listNamedPaths(events));
    return { events, count: all.length };
  }

  /** The message of an event of the transaction at `seq`; its `seq` names its place among the transaction's events. */
  messageOf(planned: PlannedEvent, seq: Sequence): ServerMessage {
    const { toUrl } = this.deps.codec;
    const named = planned.other === undefined ? {} : { [planned.event === 'new_version' ? 'version' : 'child']: toUrl(planned.other) };
    return { event: planned.event, resource: toUrl(planned.resource), ...named, seq: formatPosition(seq, planned.index) };
  }

  /** Asks again whether a connection's session is valid once its time is up, and ends it if not. */
  async checkSession(connection: Connection): Promise<void> {
    const session = connection.session;
    if (!session || session.expiresAt > this.deps.clock.now()) return;
    const alive = await this.deps.sessions.inspect(session.token);
    if (connection.session !== session) return;
    if (alive) session.expiresAt = alive.expiresAt;
    else await this.endSession(connection, this.recent.last);
  }

  /** Tells a connection its session ended; it goes on as anonymous, and loses what anonymous may not see. */
  async endSession(connection: Connection, seq: Sequence): Promise<void> {
    if (!connection.session) return;
    this.actAs(connection, undefined, anonymous);
    connection.notify({ event: 'session_ended', seq });
    await this.recheck([connection], () => true, seq);
  }

  /**
   * Ends the subscriptions, in path order, of `connections` that `isConcerned` accepts and the connection
   * may no longer see; each is told `removed`, at `index` after the events of the transaction at `seq`.
   */
  async recheck(connections: Iterable<Connection>, isConcerned: (path: string) => boolean, seq: Sequence, options: { sight?: Sight; index?: number } = {}): Promise<void> {
    const sight = options.sight ?? this.newSight();
    const concerned = [...connections].map((connection) => ({ connection, paths: [...connection.subscriptions].filter(isConcerned).sort() }));
    await sight.load(concerned.flatMap(({ paths }) => paths));
    const position = positionOf(seq, options.index);
    for (const { connection, paths } of concerned) {
      for (const path of paths) {
        if (sight.canSee(connection.principal, path) || !this.unsubscribe(connection, path)) continue;
        connection.notify(this.messageOf({ event: 'removed', resource: path, ...(options.index === undefined ? {} : { index: options.index }) }, seq), position);
      }
    }
  }

  private async take(event: FeedEvent): Promise<void> {
    try {
      if (event.kind === 'session-ended') {
        for (const connection of [...(this.bySession.get(sessionKey(event)) ?? [])]) await this.endSession(connection, event.seq);
        return;
      }
      const transaction = { seq: event.seq, journal: readJournal(event.journal.entry) };
      // Remembered before it is delivered: a connection resuming meanwhile replays it and drops the live copy.
      this.recent.add(transaction);
      if (this.connections.size > 0) await this.deliver(transaction);
    } catch (error) {
      // What could not be delivered leaves every subscriber behind: it had better load again.
      this.deps.log.error('live_delivery_failed', describeError(error));
      for (const connection of this.connections) if (connection.subscriptions.size > 0) connection.notify({ event: 'resync_required', seq: event.seq });
    }
  }

  private async deliver(transaction: Transaction): Promise<void> {
    const { journal, seq } = transaction;
    const changedPrincipals = await this.refreshPrincipals(journal, seq);
    const sight = this.newSight();
    const { events, count } = await this.plan(transaction, sight, (path) => this.subscribers.has(path));
    for (const planned of events) {
      const message = this.messageOf(planned, seq);
      const position = positionOf(seq, planned.index);
      // Serialized once for all its subscribers.
      const text = JSON.stringify(message);
      for (const connection of this.subscribers.get(planned.resource) ?? []) {
        if (canHear(connection.principal, planned, sight, journal)) connection.notify(message, position, text);
      }
    }
    // Adhocracy 3: a removal ends the subscriptions to what was removed, even should it be shown again.
    for (const path of journal.removed) for (const connection of [...(this.subscribers.get(path) ?? [])]) this.unsubscribe(connection, path);
    // Below what was hidden, restricted or removed, and wherever a principal's roles changed, look again.
    const changed = [...journal.access, ...journal.removed];
    if (changed.length > 0) {
      const isBelowChange = (path: string) => changed.some((above) => path.startsWith(above));
      const concerned = new Set([...this.subscribers].flatMap(([path, connections]) => (isBelowChange(path) ? [...connections] : [])));
      await this.recheck(concerned, isBelowChange, seq, { sight, index: count });
    }
    if (changedPrincipals.length > 0) await this.recheck(changedPrincipals, () => true, seq, { sight, index: count });
  }

  /**
   * The principals of the connections whose user, or one of whose groups, was changed, made again;
   * a session that is no longer valid ends. Answers the connections whose principal changed.
   */
  private async refreshPrincipals(journal: TransactionJournal, seq: Sequence): Promise<Connection[]> {
    if (journal.access.length === 0) return [];
    const changed = new Set(journal.access);
    const changedConnections: Connection[] = [];
    for (const connection of [...this.connections]) {
      const { session, principal } = connection;
      if (!session || !(changed.has(session.userPath) || principal.groups.some((group) => changed.has(group)))) continue;
      const alive = await this.deps.sessions.inspect(session.token);
      const next =
        alive &&
        (await principalOf(alive, this.deps).catch((error: unknown) => {
          if (isInvalidToken(error)) return undefined;
          throw error;
        }));
      if (connection.session !== session) continue;
      if (!next) await this.endSession(connection, seq);
      else {
        this.actAs(connection, session, next);
        changedConnections.push(connection);
      }
    }
    return changedConnections;
  }
}

const sessionKey = ({ userPath, sessionId }: { userPath: string; sessionId: string }) => `${userPath}|${sessionId}`;

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  set?.delete(value);
  if (set?.size === 0) index.delete(key);
}

const positionOf = (seq: Sequence, index: number | undefined): Position => ({ seq, order: orderOf(seq) ?? 0, ...(index === undefined ? {} : { index }) });
