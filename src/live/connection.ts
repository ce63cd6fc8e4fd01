// One WebSocket connection: who it acts as, what it follows, its answers in the order of its requests, and the bound on what may wait to be sent to it.
import { anonymous, type Principal } from '../auth/permissions.ts';
import { isAfter, type Position } from './position.ts';
import type { ServerMessage } from './protocol.ts';

/** The transport under a connection (a socket of the ws library); tests may give another. */
export interface Peer {
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Bytes given to send that have not left this process yet. */
  readonly bufferedAmount: number;
  /** Stops and restarts reading requests, so that a client that sends faster than it is answered waits. */
  pause(): void;
  resume(): void;
}

/** The session a connection authenticated with; the token is kept to ask whether it is still valid. */
export interface LiveSession {
  token: string;
  userPath: string;
  sessionId: string;
  expiresAt: number;
}

/** The close code of RFC 6455 for "try again later": the client was too slow to read what it was sent. */
export const tooSlowCode = 1013;
/** Requests a connection may have waiting before reading from it pauses. */
const maxWaitingRequests = 32;

export class Connection {
  principal: Principal = anonymous;
  session: LiveSession | undefined;
  readonly subscriptions = new Set<string>();
  private work: Promise<void> = Promise.resolve();
  private waiting = 0;
  /** Events held back while a resume sends what came before them. */
  private held: ServerMessage[] | undefined;
  /** Events at or before this position were replayed already, or seen before the resume. */
  private seenThrough: Position | undefined;
  private closed = false;

  constructor(
    private readonly peer: Peer,
    readonly address: string,
    private readonly maxBufferedBytes: number,
  ) {}

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Runs `task` after the tasks before it: each request is answered before the next is read. */
  enqueue(task: () => Promise<void>): void {
    this.waiting += 1;
    if (this.waiting === maxWaitingRequests) this.peer.pause();
    // Each task answers its own failures; one that throws must not stop the tasks after it.
    this.work = this.work.then(task).catch(() => undefined).finally(() => {
      this.waiting -= 1;
      if (this.waiting === maxWaitingRequests - 1) this.peer.resume();
    });
  }

  /** An answer to a request, or an event of the resume that is being answered. */
  answer(message: ServerMessage): void {
    this.write(message);
  }

  /** An event about the connection itself (its session), or of a transaction at `position`; `text` is the message serialized. */
  notify(message: ServerMessage, position?: Position, text?: string): void {
    if (position && this.seenThrough && !isAfter(position, this.seenThrough)) return;
    if (this.held) this.held.push(message);
    else this.write(message, text);
  }

  /** From now on, events wait until release(), and those at or before `seenThrough` are dropped. */
  hold(seenThrough: Position): void {
    this.held ??= [];
    if (!this.seenThrough || isAfter(seenThrough, this.seenThrough)) this.seenThrough = seenThrough;
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const message of held) this.write(message);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.peer.close(code, reason);
  }

  /** The transport has closed. */
  ended(): void {
    this.closed = true;
    this.held = undefined;
  }

  /**
   * A client that reads more slowly than it is sent to would make the server hold ever more for it:
   * past the bound it is closed instead, and may come back and resume.
   */
  private write(message: ServerMessage, text = JSON.stringify(message)): void {
    if (this.closed) return;
    if (this.peer.bufferedAmount > this.maxBufferedBytes) {
      this.close(tooSlowCode, 'Too slow: too much waited to be sent; reconnect and resume');
      return;
    }
    this.peer.send(text);
  }
}
