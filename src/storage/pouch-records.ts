// Small shared records by key (lockout counts, settings): changed atomically across processes, deleted when they expire.
import { highKey, type Db } from './pouch-documents.ts';
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
    const pageSize = 500;
    let startkey = recordKey(prefix);
    let deleted = 0;
    for (;;) {
      const page = await this.db.allDocs({ startkey, endkey: `${recordKey(prefix)}${highKey}`, include_docs: true, limit: pageSize + 1 });
      const rows = page.rows.slice(0, pageSize);
      const expired = rows.flatMap((row) =>
        row.doc && row.doc.kind === 'record' && row.doc.record.expiresAt !== undefined && row.doc.record.expiresAt <= now ? [{ ...row.doc, _deleted: true }] : [],
      );
      if (expired.length > 0) {
        const results = await this.db.bulkDocs(expired);
        deleted += results.filter((result) => 'ok' in result && result.ok).length;
      }
      const following = page.rows[pageSize];
      if (!following) return deleted;
      startkey = following.id;
    }
  }
}
