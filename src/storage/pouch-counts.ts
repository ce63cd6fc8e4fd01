// Documents rewritten by every child a pool gets: its counts by type and visibility, and the counters that name children.
import { parentPath } from '../tree/path.ts';
import type { RecordCache } from './pouch-cache.ts';
import { countsKey, getDoc, isStatus, type Db, type Doc } from './pouch-documents.ts';
import type { PutDoc, PutDocument } from './pouch-writes.ts';
import type { ChildCounts, ResourceRecord } from './storage.ts';

export class PoolCounts {
  /** In-process queues of read-change-write cycles, per document id. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly put: PutDocument,
    private readonly cache: RecordCache,
  ) {}

  async childCounts(parent: string): Promise<Record<string, ChildCounts>> {
    const id = countsKey(parent);
    const cached = this.cache.childCounts(id);
    if (cached) return cached;
    const doc = await getDoc(this.db, id);
    const counts = doc && doc.kind === 'counts' ? doc.byType : {};
    this.cache.rememberCounts(id, counts);
    return counts;
  }

  /** Adds or takes away children in their parents' counts, by type and visibility. */
  async countChildren(changes: { record: ResourceRecord; delta: number }[]): Promise<void> {
    const byParent = new Map<string, { type: string; hidden: boolean; restricted: boolean; delta: number }[]>();
    for (const { record, delta } of changes) {
      const parent = parentPath(record.path);
      if (parent === undefined) continue;
      const change = { type: record.contentType, hidden: Boolean(record.hidden), restricted: Boolean(record.restricted), delta };
      byParent.set(parent, [...(byParent.get(parent) ?? []), change]);
    }
    for (const [parent, deltas] of byParent) {
      await this.update(countsKey(parent), (current) => {
        const byType = structuredClone(current && current.kind === 'counts' ? current.byType : {});
        for (const { type, hidden, restricted, delta } of deltas) {
          const counts = (byType[type] ??= { visible: 0, hidden: 0, restricted: 0 });
          counts.restricted = Math.max(0, (counts.restricted ?? 0) + (restricted ? delta : 0));
          if (hidden) counts.hidden = Math.max(0, counts.hidden + delta);
          else counts.visible = Math.max(0, counts.visible + delta);
        }
        return { kind: 'counts' as const, byType };
      });
    }
  }

  async incrementCounter(name: string): Promise<number> {
    const doc = await this.update(`counter:${name}`, (current) => ({
      kind: 'counter' as const,
      value: current && current.kind === 'counter' ? current.value + 1 : 0,
    }));
    return doc.value;
  }

  /**
   * Read, change and write one document, queued per id in this process so that concurrent changes here
   * do not fight over one revision; another process sharing the database makes the put conflict, so
   * re-read and change again.
   */
  private update<D extends Doc>(id: string, change: (current: Doc | undefined) => D): Promise<D> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      for (;;) {
        const current = await getDoc(this.db, id);
        const updated = change(current);
        try {
          const doc: PutDoc = { ...updated, _id: id, ...(current ? { _rev: current._rev } : {}) };
          await this.put(doc);
          if (updated.kind === 'counts') this.cache.rememberCounts(id, updated.byType);
          return updated;
        } catch (error) {
          this.cache.forget(id);
          if (!isStatus(error, 409)) throw error;
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
