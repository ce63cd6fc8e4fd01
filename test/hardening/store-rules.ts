// Reads back everything a test app stored and lists each record that breaks a rule an API request should have enforced.
import { validate } from 'class-validator';
import { normalizeUnique } from '../../src/model/unique-values.ts';
import { isPasswordField } from '../../src/sheet.ts';
import type { Services } from '../../src/rest/services.ts';
import type { ResourceRecord } from '../../src/storage/storage.ts';
import { lastSegment, parentPath, rootPath, splitPath } from '../../src/tree/path.ts';

const loneSurrogate = /\p{Surrogate}/u;
const nameSheet = 'adhocracy_core.sheets.name.IName';
/** Made at start-up, not through the API, so not bound by what their parents' types may hold. */
const initialTree = new Set(['/principals/', '/principals/users/', '/principals/groups/']);
const argon2idHash = /^\$argon2id\$v=19\$[mtp]=\d+,[mtp]=\d+,[mtp]=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** Every resource in the store, root first, hidden ones included. */
export async function readAllResources(services: Pick<Services, 'storage'>): Promise<ResourceRecord[]> {
  const root = await services.storage.readResource(rootPath);
  const below = await services.storage.queryChildren({ parent: rootPath, depth: 'all', includeHidden: true, filters: [], offset: 0 });
  return root ? [root, ...below] : below;
}

/** Keys that must never reach the store: prototype keys and PouchDB's reserved `_` keys. */
function forbiddenKeysIn(value: unknown, path: string): string[] {
  const found: string[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path }];
  while (stack.length > 0) {
    const { value: item, path: itemPath } = stack.pop() as { value: unknown; path: string };
    if (typeof item === 'string' && loneSurrogate.test(item)) found.push(`${itemPath} holds a lone surrogate`);
    if (typeof item !== 'object' || item === null) continue;
    for (const [key, child] of Object.entries(item)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype' || key.startsWith('_')) found.push(`${itemPath}.${key} is a forbidden key`);
      stack.push({ value: child, path: `${itemPath}.${key}` });
    }
  }
  return found;
}

/** One line per broken rule, naming the resource; empty when the store is sound. */
export async function findStoreViolations(services: Pick<Services, 'storage' | 'registry'>): Promise<string[]> {
  const { registry, storage } = services;
  const records = await readAllResources(services);
  const problems: string[] = [];
  const paths = new Set(records.map((record) => record.path));
  const contentTypes = new Map(records.map((record) => [record.path, record.contentType]));
  const owners = new Map<string, string[]>();

  for (const record of records) {
    const where = record.path;
    if (!splitPath(record.path) || !record.path.endsWith('/')) problems.push(`${where}: malformed path`);
    const parent = parentPath(record.path);
    if (parent !== undefined && !paths.has(parent)) problems.push(`${where}: its parent ${parent} does not exist`);
    const type = registry.resourceTypes.get(record.contentType);
    if (!type) {
      problems.push(`${where}: unknown content type ${record.contentType}`);
      continue;
    }
    const parentType = parent === undefined ? undefined : registry.resourceTypes.get(contentTypes.get(parent) ?? '');
    if (parentType && !initialTree.has(record.path) && !parentType.elementTypes.includes(type.id)) {
      problems.push(`${where}: ${parentType.id} cannot hold ${type.id}`);
    }
    const name = record.data[nameSheet]?.name;
    if (name !== undefined && name !== lastSegment(record.path)) problems.push(`${where}: its name ${JSON.stringify(name)} is not its last segment`);
    problems.push(...forbiddenKeysIn(record.data, `${where} data`));
    for (const [sheetId, fields] of Object.entries(record.data)) {
      const sheet = registry.sheets.get(sheetId);
      if (!sheet || !registry.hasSheet(type.id, sheetId)) {
        problems.push(`${where}: ${type.id} has no sheet ${sheetId}`);
        continue;
      }
      if (sheet.computedFrom) problems.push(`${where}: computed sheet ${sheetId} was stored`);
      const checked: Record<string, unknown> = {};
      for (const [fieldName, value] of Object.entries(fields)) {
        const field = Object.hasOwn(sheet.fields, fieldName) ? sheet.fields[fieldName] : undefined;
        if (!field) {
          problems.push(`${where}: ${sheetId} has no field ${fieldName}`);
        } else if (isPasswordField(field)) {
          const hash = (value as { hash?: unknown } | undefined)?.hash;
          if (typeof hash !== 'string' || !argon2idHash.test(hash)) problems.push(`${where}: ${sheetId}.${fieldName} is not an argon2id hash`);
        } else if (!field.serverManaged) {
          checked[fieldName] = value;
        }
        if (field?.unique && typeof value === 'string') {
          const key = `${field.unique.scope}:${normalizeUnique(value, field.unique.normalize)}`;
          owners.set(key, [...(owners.get(key) ?? []), record.path]);
        }
      }
      // The root's name is its empty last segment, made at start-up; no request can give a name like it.
      if (record.path === rootPath && sheetId === nameSheet) continue;
      // The sheet's own schema: what a POST or PUT must have checked before storing.
      const failures = await validate(Object.assign(new sheet.schema(), checked), { skipMissingProperties: true, forbidUnknownValues: false });
      for (const failure of failures) {
        problems.push(`${where}: ${sheetId}.${failure.property} = ${JSON.stringify(checked[failure.property])?.slice(0, 80)} breaks ${Object.keys(failure.constraints ?? {}).join(', ')}`);
      }
    }
  }
  for (const [key, holders] of owners) {
    const separator = key.indexOf(':');
    const claim = await storage.readUniqueClaim(key.slice(0, separator), key.slice(separator + 1));
    // A value reserved for good by what holds no such value (the placeholder that deleted accounts show) may be shown by any of them.
    if (claim?.heldUntil === Number.MAX_SAFE_INTEGER && !holders.includes(claim.owner)) continue;
    if (holders.length > 1) problems.push(`unique value ${key} is held by ${holders.join(', ')}`);
    if (claim?.owner !== holders[0]) problems.push(`unique value ${key} of ${holders[0]} is claimed by ${claim?.owner ?? 'nobody'}`);
  }
  return problems;
}
