// The times at which the items of a list were added (an alias's `created`), kept by the server, never taken from clients.
import type { Registry } from '../registry.ts';
import type { SheetData } from '../storage/storage.ts';

/**
 * `next` with every list field that stamps its items stamped: an item that was in `previous` (by its
 * key) keeps its time, a new one gets `now`; whatever a client sent as the time is ignored.
 */
export function withItemStamps(registry: Registry, contentType: string, previous: SheetData | undefined, next: SheetData, now: string): SheetData {
  let stamped = next;
  for (const sheet of registry.sheetsOf(contentType)) {
    for (const [fieldName, field] of Object.entries(sheet.fields)) {
      const stamp = field.stampItems;
      const list = next[sheet.id]?.[fieldName];
      if (!stamp || !Array.isArray(list)) continue;
      const before = new Map<string, unknown>();
      const old = previous?.[sheet.id]?.[fieldName];
      for (const item of Array.isArray(old) ? (old as Record<string, unknown>[]) : []) before.set(stamp.keyOf(item), item[stamp.member]);
      const items = (list as Record<string, unknown>[]).map((item) => ({ ...item, [stamp.member]: before.get(stamp.keyOf(item)) ?? now }));
      stamped = { ...stamped, [sheet.id]: { ...stamped[sheet.id], [fieldName]: items } };
    }
  }
  return stamped;
}
