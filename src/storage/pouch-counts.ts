// Documents rewritten by every child a pool gets: its counts by type and visibility, and the counters that name children.
import { parentPath } from '../tree/path.ts';
import type { RecordCache } from './pouch-cache.ts';
import { countsKey, getDoc, type Db } from './pouch-documents.ts';
import type { DocUpdater } from './pouch-updates.ts';
import type { ChildCounts, ResourceRecord } from './storage.ts';

export class PoolCounts {
  constructor(
    private readonly db: Db,
    private readonly updater: DocUpdater,
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
      const id = countsKey(parent);
      await this.updater.update(id, (current) => {
        const byType = structuredClone(current && current.kind === 'counts' ? current.byType : {});
        for (const { type, hidden, restricted, delta } of deltas) {
          const counts = (byType[type] ??= { visible: 0, hidden: 0, restricted: 0 });
          counts.restricted = Math.max(0, (counts.restricted ?? 0) + (restricted ? delta : 0));
          if (hidden) counts.hidden = Math.max(0, counts.hidden + delta);
          else counts.visible = Math.max(0, counts.visible + delta);
        }
        return { kind: 'counts' as const, byType };
      }, (written) => written && this.cache.rememberCounts(id, written.byType)).catch((error: unknown) => {
        this.cache.forget(id);
        throw error;
      });
    }
  }

  async incrementCounter(name: string): Promise<number> {
    const doc = await this.updater.update(`counter:${name}`, (current) => ({
      kind: 'counter' as const,
      value: current && current.kind === 'counter' ? current.value + 1 : 0,
    }));
    return doc?.value ?? 0;
  }
}
