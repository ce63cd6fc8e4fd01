// Values worked out when a resource is read: an item's versions, backreferences, how many items refer to it, where to post about it.
import type { Registry } from '../registry.ts';
import type { ComputedField, Sheet } from '../sheet.ts';
import type { ResourceRecord, SheetData, Storage } from '../storage/storage.ts';
import { childPath, parentPath } from '../tree/path.ts';

/**
 * The computed part of the readable sheets' data, as paths: what the serializer shows beside what is
 * stored. `lineage` is the record's, root first, record last (for the pool an item's comments go to).
 */
export async function computeFields(options: {
  record: ResourceRecord;
  sheets: readonly Sheet[];
  lineage: readonly ResourceRecord[];
  storage: Storage;
  registry: Registry;
  /** Whether hidden versions are listed (for those who see hidden resources). */
  includeHidden: boolean;
}): Promise<SheetData> {
  const { record, sheets, lineage, storage, registry } = options;
  const computed: SheetData = {};
  let backreferences: Promise<{ source: string; key: string }[]> | undefined;
  const referring = (key: string) => (backreferences ??= storage.backreferences(record.path)).then((all) => all.filter((reference) => reference.key === key).map((reference) => reference.source).sort());
  for (const sheet of sheets) {
    if (sheet.computedFrom === 'versions') {
      const itemType = registry.resourceTypes.get(record.contentType)?.itemType;
      const versions = await storage.queryChildren({
        parent: record.path,
        depth: 1,
        includeHidden: options.includeHidden,
        filters: [],
        offset: 0,
        ...(itemType ? { contentTypes: [itemType] } : {}),
      });
      computed[sheet.id] = { elements: versions.map((version) => version.path), count: versions.length };
      continue;
    }
    for (const [fieldName, field] of Object.entries(sheet.fields)) {
      const how = field.computed;
      if (!how) continue;
      const values = (computed[sheet.id] ??= {});
      if (how.kind === 'backreferences') values[fieldName] = await referring(how.key);
      else if (how.kind === 'backreference-count') values[fieldName] = new Set((await referring(how.key)).map((source) => parentPath(source))).size;
      else if (how.kind === 'latest-items') values[fieldName] = latestOf(record.data[sheet.id]?.[how.from], how);
      else values[fieldName] = postPoolOf(lineage, how.service, registry) ?? null;
    }
  }
  return computed;
}

/**
 * Of the items whose flag is true, the value of the newest of each kind (`by`); of two equally new,
 * the later in the list. Only flagged items are read, so it shows nothing the flag keeps private.
 */
function latestOf(list: unknown, how: Extract<ComputedField, { kind: 'latest-items' }>): Record<string, unknown> {
  const newest = new Map<string, { time: string; value: unknown }>();
  for (const item of Array.isArray(list) ? (list as Record<string, unknown>[]) : []) {
    const kind = item[how.by];
    if (item[how.flag] !== true || typeof kind !== 'string') continue;
    const time = String(item[how.time] ?? '');
    const seen = newest.get(kind);
    if (!seen || seen.time <= time) newest.set(kind, { time, value: item[how.value] });
  }
  return Object.fromEntries([...newest].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, { value }]) => [kind, value]));
}

/** The nearest resource above (or this one) whose type makes a pool of this name, and that pool. */
function postPoolOf(lineage: readonly ResourceRecord[], service: string, registry: Registry): string | undefined {
  for (let index = lineage.length - 1; index >= 0; index -= 1) {
    const ancestor = lineage[index] as ResourceRecord;
    if (registry.resourceTypes.get(ancestor.contentType)?.services?.[service]) return childPath(ancestor.path, service);
  }
  return undefined;
}
