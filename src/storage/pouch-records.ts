// Small shared records by key (lockout counts, settings): changed atomically across processes, deleted when they expire.
import { highKey, type Db, type StoredDoc } from './pouch-documents.ts';
import { remove, type DocUpdater } from './pouch-updates.ts';
import type { SharedRecord } from './storage.ts';

const recordKey = (key: string) => `record:${key}`;

export class SharedRecords {
  constructor(
    private readonly db: Db,
    private readonly updater: DocUpdater,
  ) {}

  async read(key: string): Promise<SharedRecord | undefined> {
    try {
      const doc = await this.db.get(recordKey(key));
      return doc.kind === 'record' ? doc.record : undefined;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  async update(key: string, change: (current: SharedRecord | undefined) => SharedRecord | undefined): Promise<SharedRecord | undefined> {
    const written = await this.updater.update(recordKey(key), (current) => {
      const next = change(current && current.kind === 'record' ? current.record : undefined);
      return next === undefined ? remove : { kind: 'record' as const, record: next };
    });
    return written?.record;
  }

  /** Deletes the records under a key prefix whose time is up, a page at a time. */
  async deleteExpired(prefix: string, now: number): Promise<number> {
    let deleted = 0;
    await this.forEachExpiredPage(prefix, now, async (expired) => {
      const results = await this.db.bulkDocs(expired.map((doc) => ({ ...doc, _deleted: true })));
      deleted += results.filter((result) => 'ok' in result && result.ok).length;
      return true;
    });
    return deleted;
  }

  async listExpired(prefix: string, now: number, limit: number): Promise<{ key: string; record: SharedRecord }[]> {
    const found: { key: string; record: SharedRecord }[] = [];
    await this.forEachExpiredPage(prefix, now, async (expired) => {
      for (const doc of expired) if (found.length < limit) found.push({ key: doc._id.slice(recordKey('').length), record: doc.record });
      return found.length < limit;
    });
    return found;
  }

  /** Hands the expired records under a prefix to `each` a page at a time, while it answers true. */
  private async forEachExpiredPage(prefix: string, now: number, each: (expired: (StoredDoc & { kind: 'record' })[]) => Promise<boolean>): Promise<void> {
    const pageSize = 500;
    let startkey = recordKey(prefix);
    for (;;) {
      const page = await this.db.allDocs({ startkey, endkey: `${recordKey(prefix)}${highKey}`, include_docs: true, limit: pageSize + 1 });
      const expired = page.rows.slice(0, pageSize).flatMap((row) => {
        const doc = row.doc as StoredDoc | undefined;
        return doc && doc.kind === 'record' && doc.record.expiresAt !== undefined && doc.record.expiresAt <= now ? [doc] : [];
      });
      if (expired.length > 0 && !(await each(expired))) return;
      const following = page.rows[pageSize];
      if (!following) return;
      startkey = following.id;
    }
  }
}
