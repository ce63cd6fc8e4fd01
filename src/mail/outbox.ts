// The outbox: mails are stored as jobs of a durable queue before the request that causes them answers, then sent from the store, retried with backoff, and never sent by two processes at once.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { QueuedJob, Storage } from '../storage/storage.ts';
import type { MailTransport, OutgoingMail } from './transport.ts';

const queue = 'mail';
/** Jobs taken per look at the queue. */
const batchSize = 20;
/**
 * How long after storing a mail this process starts sending it: not in the request's own turn of the
 * event loop, so that writing the mail (which differs by kind and by whether an account was found) never
 * shows in the time of an answer.
 */
const startDelayMs = 50;
/** The longest wait between two attempts. */
const longestRetryMs = 6 * 3600 * 1000;

/** What a job asks for: a kind of mail and what it is about; the mail itself is written when it is sent. */
export interface MailJob {
  kind: string;
  [detail: string]: unknown;
}

/**
 * Writes the mail a job asks for, at the moment it is sent (so that a key in a link is made then and
 * never stored in clear); undefined when there is nothing to send any more (the account is gone).
 */
export type ComposeMail = (job: MailJob, attempt: { messageId: string }) => Promise<Omit<OutgoingMail, 'messageId'> | undefined>;

export interface OutboxPolicy {
  leaseSeconds: number;
  retrySeconds: number;
  maxAttempts: number;
  pollSeconds: number;
}

export interface OutboxEvents {
  sent(fields: { job: string; kind: string; attempts: number; where: string }): void;
  failed(fields: { job: string; kind: string; attempts: number; retry_at?: string; error: string }): void;
  /** Given up after the last attempt: the job is kept, parked. */
  parked(fields: { job: string; kind: string; attempts: number; error: string }): void;
  /** The queue itself could not be read or written (the store is down): the jobs wait for the next look. */
  unavailable(error: unknown): void;
}

export interface Outbox {
  /** Stores a mail to send; resolves once it is in the store. Sending starts at once, in the background. */
  enqueue(job: MailJob): Promise<void>;
  /** Sends what is due now, in this process, and resolves when nothing due is left (what failed waits for its retry). */
  deliverDue(): Promise<void>;
  /** Looks at the queue every `pollSeconds`, for mails stored by other processes or due for a retry. */
  start(): void;
  /** Stops looking and waits for the sending under way. */
  close(): Promise<void>;
}

export function createOutbox(options: {
  storage: Storage;
  clock: Clock;
  transport: MailTransport;
  compose: ComposeMail;
  policy: OutboxPolicy;
  events: OutboxEvents;
  /** Names messages: `<job id>@<host>`. */
  host: string;
}): Outbox {
  const { storage, clock, transport, compose, policy, events } = options;
  let sequence = 0;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  /** Ids sort by when they were stored, then by this process's count, so that a listing shows them in order. */
  const newId = () => `${String(clock.now()).padStart(15, '0')}-${String((sequence += 1) % 1e6).padStart(6, '0')}-${randomBytes(6).toString('hex')}`;

  function retryDelayMs(attempts: number): number {
    return Math.min(longestRetryMs, policy.retrySeconds * 1000 * 2 ** Math.min(attempts - 1, 30));
  }

  async function deliver(job: QueuedJob): Promise<void> {
    const payload = job.payload as MailJob;
    const messageId = `${job.id}@${options.host}`;
    try {
      const mail = await compose(payload, { messageId });
      // The lease bounds the attempt: past it another process may take the job, so this one gives up first.
      if (mail) {
        const where = await transport.send({ ...mail, messageId }, AbortSignal.timeout(policy.leaseSeconds * 1000 * 0.9));
        events.sent({ job: job.id, kind: payload.kind, attempts: job.attempts, where });
      }
      await storage.settleJob(job, { done: true });
    } catch (error) {
      const description = error instanceof Error ? error.message : String(error);
      if (job.attempts >= policy.maxAttempts) {
        await storage.settleJob(job, { parked: true });
        events.parked({ job: job.id, kind: payload.kind, attempts: job.attempts, error: description });
        return;
      }
      const retryAt = clock.now() + retryDelayMs(job.attempts);
      await storage.settleJob(job, { dueAt: retryAt });
      events.failed({ job: job.id, kind: payload.kind, attempts: job.attempts, retry_at: new Date(retryAt).toISOString(), error: description });
    }
  }

  async function pass(): Promise<void> {
    for (;;) {
      const now = clock.now();
      const taken = await storage.takeDueJobs(queue, now, now + policy.leaseSeconds * 1000, batchSize);
      await Promise.all(taken.map(deliver));
      if (taken.length < batchSize) return;
    }
  }

  /** One pass at a time; a request for another while one runs makes it run once more afterwards. */
  function run(): Promise<void> {
    // A pass asked for by a timer that fired after close() would write to a closed store.
    if (closed) return running ?? Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await pass();
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    async enqueue(job) {
      await storage.enqueueJob({ queue, id: newId(), payload: job, dueAt: clock.now() });
      if (!closed) setTimeout(() => void run().catch(events.unavailable), startDelayMs).unref();
    },

    async deliverDue() {
      // A pass under way when asked runs once more, so that it sees what was stored just before.
      await run();
    },

    start() {
      timer = setInterval(() => void run().catch(events.unavailable), policy.pollSeconds * 1000);
      timer.unref();
    },

    async close() {
      closed = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
      transport.close();
    },
  };
}
