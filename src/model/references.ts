// References in request data: URLs or paths of existing resources with the right sheet, stored as paths.
import { ErrorCollector } from '../errors.ts';
import { sheetInterface, type Registry } from '../registry.ts';
import type { FieldDefinition, Sheet } from '../sheet.ts';
import type { ResourceRecord, SheetData, Storage } from '../storage/storage.ts';
import type { PathCodec } from '../tree/path.ts';

export interface ReferenceResolver {
  /**
   * The data with every reference as a path; a 400 naming each field that refers to nothing fitting.
   * `read` reads what a reference names (through a transaction's staged writes, in a batch).
   */
  resolve(data: SheetData, read?: (path: string) => Promise<ResourceRecord | undefined>): Promise<SheetData>;
}

export function createReferenceResolver(deps: { storage: Storage; registry: Registry; codec: PathCodec }): ReferenceResolver {
  const { storage, registry, codec } = deps;

  async function resolve(data: SheetData, read: (path: string) => Promise<ResourceRecord | undefined> = (path) => storage.readResource(path)): Promise<SheetData> {
    const errors = new ErrorCollector();
    const resolved: SheetData = {};
    for (const [sheetId, fields] of Object.entries(data)) {
      const sheet = registry.sheets.get(sheetId) as Sheet;
      const values: Record<string, unknown> = {};
      for (const [fieldName, value] of Object.entries(fields)) {
        if (errors.isFull) break;
        const field = sheet.fields[fieldName] as FieldDefinition;
        const name = `data.${sheetId}.${fieldName}`;
        if (field.valuetype === 'adhocracy_core.schema.Reference') values[fieldName] = await resolveReferences(field, value, name, errors, read);
        else if (field.referenceMember !== undefined) values[fieldName] = await resolveMemberReferences(field, field.referenceMember, value, name, errors, read);
        else values[fieldName] = value;
      }
      resolved[sheetId] = values;
    }
    errors.throwIfAny();
    return resolved;
  }

  type Read = (path: string) => Promise<ResourceRecord | undefined>;

  async function resolveReferences(field: FieldDefinition, value: unknown, name: string, errors: ErrorCollector, read: Read) {
    const references = field.containertype === 'list' ? (value as unknown[]) : [value];
    const paths: string[] = [];
    for (const reference of references) {
      if (errors.isFull) break;
      const path = typeof reference === 'string' ? codec.fromReference(reference) : undefined;
      const target = path === undefined ? undefined : await read(path);
      const fits = target && (field.targetsheet === undefined || field.targetsheet === sheetInterface || registry.hasSheet(target.contentType, field.targetsheet));
      if (!target || !fits || path === undefined) {
        errors.add({
          location: 'body',
          name,
          description: `${String(reference)} is not a resource with ${field.targetsheet ?? 'a sheet'}`,
          code: 'invalid_reference',
        });
      } else {
        paths.push(path);
      }
    }
    return field.containertype === 'list' ? paths : paths[0];
  }

  /** For lists of objects that each reference a resource in one member (local roles name a principal). */
  async function resolveMemberReferences(field: FieldDefinition, member: string, value: unknown, name: string, errors: ErrorCollector, read: Read) {
    const items = value as Record<string, unknown>[];
    const paths = await resolveReferences({ ...field, containertype: 'list' }, items.map((item) => item[member]), name, errors, read);
    return items.map((item, index) => ({ ...item, [member]: (paths as string[])[index] }));
  }

  return { resolve };
}
