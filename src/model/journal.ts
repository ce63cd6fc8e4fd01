// The journal of a transaction: what it created, changed and removed, and where who-sees-what changed; written with it, read back by every process that follows the store's changes.
import type { Journal, ResourceRecord } from '../storage/storage.ts';

export interface TransactionJournal {
  /** New resources, and hidden ones shown again. */
  created: string[];
  /** As in the answer's updated_resources: what was changed, the pools of what was created or removed, what a written reference points to. */
  modified: string[];
  /** Resources hidden, deleted or removed for good, each standing for everything below it. */
  removed: string[];
  /** Resources whose change may change who sees them and what lies below them, or what a principal may do. */
  access: string[];
  /** Resources removed for good, reduced to what deciding who could see them needs. */
  gone: ResourceRecord[];
}

export function toJournal(at: string, journal: Partial<TransactionJournal>): Journal {
  const entry: Record<string, unknown> = {};
  for (const key of ['created', 'modified', 'removed', 'access', 'gone'] as const) {
    const list = journal[key];
    if (list && list.length > 0) entry[key] = list;
  }
  return { at: Date.parse(at), entry };
}

const paths = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.startsWith('/')) : []);

/** A journal as stored; what does not have the expected shape is left out, since any version of the server may have written it. */
export function readJournal(entry: Readonly<Record<string, unknown>>): TransactionJournal {
  const gone = Array.isArray(entry.gone)
    ? entry.gone.filter(
        (record): record is ResourceRecord =>
          typeof record === 'object' && record !== null && typeof (record as ResourceRecord).path === 'string' && typeof (record as ResourceRecord).contentType === 'string' && typeof (record as ResourceRecord).data === 'object',
      )
    : [];
  return { created: paths(entry.created), modified: paths(entry.modified), removed: paths(entry.removed), access: paths(entry.access), gone };
}
