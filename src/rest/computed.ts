// Values worked out when a resource is read: an item's versions, backreferences, how many items refer to it, where to post about it.
import type { Registry } from '../registry.ts';
import type { Sheet } from '../sheet.ts';
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
      else values[fieldName] = postPoolOf(lineage, how.service, registry) ?? null;
    }
  }
  return computed;
}

/** The nearest resource above (or this one) whose type makes a pool of this name, and that pool. */
function postPoolOf(lineage: readonly ResourceRecord[], service: string, registry: Registry): string | undefined {
  for (let index = lineage.length - 1; index >= 0; index -= 1) {
    const ancestor = lineage[index] as ResourceRecord;
    if (registry.resourceTypes.get(ancestor.contentType)?.services?.[service]) return childPath(ancestor.path, service);
  }
  return undefined;
}
