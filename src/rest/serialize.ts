// Response bodies as pure functions of stored records: only the sheets and fields the caller may read.
import { can } from '../auth/permissions.ts';
import { isReadable } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import type { Role, Sheet } from '../sheet.ts';
import type { ResourceRecord, SheetData } from '../storage/storage.ts';
import type { PathCodec } from '../tree/path.ts';
import type { UpdatedResources } from '../model/resources.ts';

export interface PoolListing {
  elements: readonly (string | ResourceBody)[];
  /** Left out when counting would cost a scan that nobody asked for. */
  count: number | undefined;
  aggregateby?: Record<string, Record<string, number>>;
}

export interface ResourceBody {
  content_type: string;
  path: string;
  data: Record<string, Record<string, unknown>>;
}

/**
 * Builds the body up from what may be read, never by deleting from a copy of everything. `computed`
 * holds the values worked out at read time (rest/computed.ts), as paths.
 */
export function serializeResource(
  record: ResourceRecord,
  sheets: readonly Sheet[],
  roles: ReadonlySet<Role>,
  codec: PathCodec,
  listing?: PoolListing,
  computed: SheetData = {},
): ResourceBody {
  const data: Record<string, Record<string, unknown>> = {};
  for (const sheet of sheets) {
    if (!can(roles, { kind: 'read-sheet', sheet })) continue;
    if (sheet.computedFrom === 'children') {
      const { elements = [], count, aggregateby } = listing ?? {};
      data[sheet.id] = { elements, ...(count === undefined ? {} : { count }), ...(aggregateby ? { aggregateby } : {}) };
      continue;
    }
    const stored = { ...record.data[sheet.id], ...computed[sheet.id] };
    const fields: Record<string, unknown> = {};
    for (const [fieldName, field] of Object.entries(sheet.fields)) {
      if (!isReadable(field) || !Object.hasOwn(stored, fieldName)) continue;
      const value = field.privateItems && !can(roles, { kind: 'read-private-items', field }) ? flaggedItems(stored[fieldName], field.privateItems.flag) : stored[fieldName];
      if (field.valuetype === 'adhocracy_core.schema.Reference' || field.valuetype === 'adhocracy_core.schema.PostPool') fields[fieldName] = referencesToUrls(value, codec);
      else if (field.referenceMember !== undefined) fields[fieldName] = memberReferencesToUrls(value, field.referenceMember, codec);
      else fields[fieldName] = value;
    }
    data[sheet.id] = fields;
  }
  return { content_type: record.contentType, path: codec.toUrl(record.path), data };
}

/** Of a list, the items whose flag is true: what readers not granted the private ones get. */
function flaggedItems(value: unknown, flag: string): unknown[] {
  return Array.isArray(value) ? value.filter((item: Record<string, unknown> | null) => item?.[flag] === true) : [];
}

function referencesToUrls(value: unknown, codec: PathCodec): unknown {
  if (typeof value === 'string') return codec.toUrl(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? codec.toUrl(item) : item));
  return value;
}

function memberReferencesToUrls(value: unknown, member: string, codec: PathCodec): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item: Record<string, unknown>) =>
    typeof item[member] === 'string' ? { ...item, [member]: codec.toUrl(item[member] as string) } : item,
  );
}

/** A POST or PUT answer; a new item's first version is named too (`first_version_path`). */
export function serializeChange(record: ResourceRecord, updated: UpdatedResources, codec: PathCodec, firstVersion?: string) {
  return {
    content_type: record.contentType,
    path: codec.toUrl(record.path),
    ...(firstVersion ? { first_version_path: codec.toUrl(firstVersion) } : {}),
    updated_resources: serializeUpdated(updated, codec),
  };
}

export function serializeUpdated(updated: UpdatedResources, codec: PathCodec) {
  const urls = (paths: readonly string[]) => paths.map((path) => codec.toUrl(path));
  return {
    changed_descendants: urls(updated.changed_descendants),
    created: urls(updated.created),
    modified: urls(updated.modified),
    removed: urls(updated.removed),
  };
}

export function typeOf(types: ReadonlyMap<string, ResourceType>, record: ResourceRecord): ResourceType {
  const type = types.get(record.contentType);
  if (!type) throw new Error(`${record.path} has the unknown content type ${record.contentType}`);
  return type;
}
