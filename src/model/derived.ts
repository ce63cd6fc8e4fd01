// What the store keeps beside a resource's data, derived from it on every write: hidden, restricted, index values, references.
import { aclSheet, metadataSheet } from '../auth/permissions.ts';
import { isClientSettable, type Registry } from '../registry.ts';
import type { IndexValue, ResourceRecord, ResourceReference } from '../storage/storage.ts';

/** The index key under which a version holds one of Adhocracy's tags (true while it has it). */
export const tagIndexKey = (tag: string) => `tag:${tag}`;

const isIndexValue = (value: unknown): value is IndexValue =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

export function withDerivedFields(registry: Registry, record: ResourceRecord): ResourceRecord {
  const metadata = record.data[metadataSheet];
  const index: Record<string, IndexValue> = {};
  for (const { key, sheet, fieldName } of registry.indexedFields.values()) {
    if (!registry.hasSheet(record.contentType, sheet.id)) continue;
    const value = record.data[sheet.id]?.[fieldName];
    index[key] = isIndexValue(value) ? value : null;
  }
  // A version is found by the tags that name it (Adhocracy's `tag` index).
  for (const tag of record.tags ?? []) index[tagIndexKey(tag)] = true;
  const acl = record.data[aclSheet]?.acl as { view?: unknown } | undefined;
  const type = registry.resourceTypes.get(record.contentType);
  // Restricted: who may list it must be checked one by one, for its own ACL or its type's.
  const restricted = Array.isArray(acl?.view) || (type !== undefined && !type.permissions.view.includes('everyone'));
  return {
    ...record,
    hidden: metadata?.hidden === true || metadata?.deleted === true,
    restricted,
    index,
    references: referencesOf(registry, record),
  };
}

/** What the data refers to, by the fields a client sets: what backreferences are read from. */
function referencesOf(registry: Registry, record: ResourceRecord): ResourceReference[] {
  const references: ResourceReference[] = [];
  for (const sheet of registry.sheetsOf(record.contentType)) {
    for (const [fieldName, field] of Object.entries(sheet.fields)) {
      if (field.valuetype !== 'adhocracy_core.schema.Reference' || !isClientSettable(field)) continue;
      const value = record.data[sheet.id]?.[fieldName];
      const targets = Array.isArray(value) ? value : [value];
      for (const target of targets) if (typeof target === 'string') references.push({ key: `${sheet.id}:${fieldName}`, target });
    }
  }
  return references;
}
