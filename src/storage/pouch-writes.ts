// Group commit: one-document writes that arrive while a batch is being written go to the store together next.
import type { Db, Doc } from './pouch-documents.ts';

export type PutDoc = PouchDB.Core.PutDocument<Doc> & { _id: string };
/** Writes one document as db.put would: its new revision, or the same error (status 409 on a conflict). */
export type PutDocument = (doc: PutDoc) => Promise<{ rev: string }>;

interface Waiting {
  doc: PutDoc;
  resolve: (written: { rev: string }) => void;
  reject: (error: unknown) => void;
}

/**
 * A local PouchDB writes one bulkDocs call at a time under its own lock, waiting for LevelDB in between;
 * under load, single puts queue behind each other and the process idles. Here a put goes out at once
 * when nothing is being written, and otherwise waits for the batch in flight and leaves with everything
 * that arrived meanwhile, as one bulkDocs call. Each document is still checked on its own (a conflict
 * fails only its writer) and acknowledged only once its batch is stored.
 */
export function createGroupCommit(db: Db): PutDocument {
  let waiting: Waiting[] = [];
  let writing = false;

  const writeNext = (): void => {
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) {
      writing = false;
      return;
    }
    writing = true;
    db.bulkDocs(batch.map(({ doc }) => doc)).then(
      (results) => {
        batch.forEach(({ resolve, reject }, index) => {
          const result = results[index];
          // A local adapter's error result is what db.put would have thrown (it has the status).
          if (!result) reject(new Error(`bulkDocs answered ${results.length} results for ${batch.length} documents`));
          else if ('error' in result && result.error) reject(result);
          else resolve({ rev: (result as PouchDB.Core.Response).rev });
        });
        writeNext();
      },
      (error: unknown) => {
        for (const { reject } of batch) reject(error);
        writeNext();
      },
    );
  };

  return (doc) =>
    new Promise((resolve, reject) => {
      waiting.push({ doc, resolve, reject });
      if (!writing) writeNext();
    });
}
