// Durable queues as documents, one per job: taken under a lease written at the revision read, so that two processes never work on one job at once.
import { AlreadyExistsError, type JobOutcome, type QueuedJob } from './storage.ts';
import { isStatus, jobKey, jobsRange, type Db, type JobDoc, type StoredDoc } from './pouch-documents.ts';
import type { PutDocument } from './pouch-writes.ts';

/** Jobs read per page while looking for due ones. */
const pageSize = 100;

const toJob = (doc: StoredDoc | undefined): QueuedJob | undefined => (doc && doc.kind === 'job' ? { ...doc.job, revision: doc._rev } : undefined);

function withoutRevision(job: QueuedJob): Omit<QueuedJob, 'revision'> {
  const { revision: _revision, ...stored } = job;
  return stored;
}

const isTakeable = (job: QueuedJob, now: number) => !job.parked && job.dueAt <= now && (job.leasedUntil === undefined || job.leasedUntil <= now);

export class JobDocuments {
  constructor(
    private readonly db: Db,
    private readonly put: PutDocument,
  ) {}

  async enqueue(job: Pick<QueuedJob, 'queue' | 'id' | 'payload' | 'dueAt'>): Promise<void> {
    const doc: JobDoc = { kind: 'job', job: { queue: job.queue, id: job.id, payload: job.payload, dueAt: job.dueAt, attempts: 0 } };
    try {
      await this.put({ _id: jobKey(job.queue, job.id), ...doc });
    } catch (error) {
      if (isStatus(error, 409)) throw new AlreadyExistsError(jobKey(job.queue, job.id));
      throw error;
    }
  }

  /**
   * Reads the queue a page at a time and leases what is due. The lease is a write at the revision read:
   * of two processes that read the same job, the second write conflicts and that process leaves it.
   */
  async takeDue(queue: string, now: number, leasedUntil: number, limit: number): Promise<QueuedJob[]> {
    const taken: QueuedJob[] = [];
    let { startkey } = jobsRange(queue);
    for (;;) {
      const page = await this.db.allDocs({ startkey, endkey: jobsRange(queue).endkey, include_docs: true, limit: pageSize + 1 });
      for (const row of page.rows.slice(0, pageSize)) {
        if (taken.length >= limit) return taken;
        const job = toJob(row.doc as StoredDoc | undefined);
        if (!job || !isTakeable(job, now)) continue;
        const leased: QueuedJob = { ...job, attempts: job.attempts + 1, leasedUntil };
        const written = await this.write(leased);
        if (written) taken.push({ ...leased, revision: written });
      }
      const following = page.rows[pageSize];
      if (!following || taken.length >= limit) return taken;
      startkey = following.id;
    }
  }

  async settle(job: QueuedJob, outcome: JobOutcome): Promise<boolean> {
    if (job.revision === undefined) throw new Error(`settling the job ${jobKey(job.queue, job.id)} needs the revision it was taken at`);
    if ('done' in outcome) {
      try {
        await this.put({ _id: jobKey(job.queue, job.id), _rev: job.revision, _deleted: true } as Parameters<PutDocument>[0]);
        return true;
      } catch (error) {
        if (isStatus(error, 409) || isStatus(error, 404)) return false;
        throw error;
      }
    }
    const { leasedUntil: _lease, ...rest } = job;
    const next: QueuedJob = 'parked' in outcome ? { ...rest, parked: true } : { ...rest, dueAt: outcome.dueAt };
    return (await this.write(next)) !== undefined;
  }

  async list(queue: string): Promise<QueuedJob[]> {
    const result = await this.db.allDocs({ ...jobsRange(queue), include_docs: true });
    return result.rows.flatMap((row) => {
      const job = toJob(row.doc as StoredDoc | undefined);
      return job ? [job] : [];
    });
  }

  /** Writes a job over the revision it carries; its new revision, or undefined when somebody wrote it first. */
  private async write(job: QueuedJob): Promise<string | undefined> {
    try {
      const { rev } = await this.put({ _id: jobKey(job.queue, job.id), _rev: job.revision, kind: 'job', job: withoutRevision(job) });
      return rev;
    } catch (error) {
      if (isStatus(error, 409) || isStatus(error, 404)) return undefined;
      throw error;
    }
  }
}
