// Read-change-write of one document at a time: queued per id in this process, retried on a conflict with another.
import { getDoc, isStatus, type Db, type Doc } from './pouch-documents.ts';
import type { PutDoc, PutDocument } from './pouch-writes.ts';

/** What a change answers: the document to write, or `remove` to delete it. */
export const remove = Symbol('remove');

/**
 * Concurrent changes of one document in this process wait for each other, so that they do not fight
 * over one revision; another process sharing the database makes the put conflict, so read the
 * document again and change it again.
 */
export class DocUpdater {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly put: PutDocument,
  ) {}

  update<D extends Doc>(id: string, change: (current: Doc | undefined) => D | typeof remove, onWritten?: (doc: D | undefined) => void): Promise<D | undefined> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      for (;;) {
        const current = await getDoc(this.db, id);
        const updated = change(current);
        try {
          if (updated === remove) {
            if (current) await this.db.remove(id, current._rev);
            onWritten?.(undefined);
            return undefined;
          }
          const doc: PutDoc = { ...updated, _id: id, ...(current ? { _rev: current._rev } : {}) };
          await this.put(doc);
          onWritten?.(updated);
          return updated;
        } catch (error) {
          if (!isStatus(error, 409) && !isStatus(error, 404)) throw error;
        }
      }
    });
    this.queues.set(id, next);
    void next
      .finally(() => {
        if (this.queues.get(id) === next) this.queues.delete(id);
      })
      .catch(() => undefined);
    return next;
  }
}
