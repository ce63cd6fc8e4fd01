// Comparing index values: CouchDB's collation and the comparators of pool queries, shared by the adapters and by indexes computed at query time.
import type { IndexFilter, IndexValue } from './storage.ts';

/** CouchDB's collation for the value kinds we index: null, false, true, numbers, strings. */
export function compareValues(a: IndexValue | undefined, b: IndexValue | undefined): number {
  const rank = (value: IndexValue | undefined) =>
    value === undefined || value === null ? 0 : value === false ? 1 : value === true ? 2 : typeof value === 'number' ? 3 : 4;
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}

/** Whether an index value passes a filter, as every adapter and the computed indexes compare. */
export function matchesIndexFilter(actual: IndexValue, filter: IndexFilter): boolean {
  const { comparator, value } = filter;
  const order = compareValues(actual, value as IndexValue);
  switch (comparator) {
    case 'eq':
      return order === 0;
    case 'noteq':
      return order !== 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'any':
      return (value as IndexValue[]).some((candidate) => compareValues(actual, candidate) === 0);
    case 'notany':
      return !(value as IndexValue[]).some((candidate) => compareValues(actual, candidate) === 0);
  }
}
