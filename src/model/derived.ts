// What the store keeps beside a resource's data, derived from it on every write: hidden, restricted, index values.
import { aclSheet, metadataSheet } from '../auth/permissions.ts';
import type { Registry } from '../registry.ts';
import type { IndexValue, ResourceRecord } from '../storage/storage.ts';

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
  const acl = record.data[aclSheet]?.acl as { view?: unknown } | undefined;
  return { ...record, hidden: metadata?.hidden === true || metadata?.deleted === true, restricted: Array.isArray(acl?.view), index };
}
