// Items and versions: an item starts with its first version and its service pools; a new version follows the newest, and versions that refer to the one it follows follow along.
import { metadataSheet, type Principal } from '../auth/permissions.ts';
import { badRequest } from '../errors.ts';
import type { Registry } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import type { ResourceRecord, SheetData, Storage } from '../storage/storage.ts';
import { childPath, counterName, parentPath } from '../tree/path.ts';
import { withDerivedFields } from './derived.ts';
import type { Staging } from './staging.ts';
import type { UniqueValues } from './unique-values.ts';

export const versionableSheet = 'adhocracy_core.sheets.versions.IVersionable';
export const tagsSheet = 'adhocracy_core.sheets.tags.ITags';
const followsName = `data.${versionableSheet}.follows`;
/** Auto-updates follow references of at most this many levels; deeper structures are not built here. */
const maxSubtreeDepth = 10;

export interface VersionDeps {
  registry: Registry;
  storage: Storage;
  unique: UniqueValues;
  /** A new record of a type with its defaults, the given data and the metadata of who made it when. */
  newRecord(type: ResourceType, path: string, data: SheetData, principal: Principal, now: string): ResourceRecord;
}

export function createVersions(deps: VersionDeps) {
  const { registry, storage, unique, newRecord } = deps;

  const typeOf = (record: ResourceRecord): ResourceType => {
    const type = registry.resourceTypes.get(record.contentType);
    if (!type) throw new Error(`${record.path} has the unknown content type ${record.contentType}`);
    return type;
  };
  const lastOf = (item: ResourceRecord) => item.data[tagsSheet]?.LAST as string | undefined;

  /** A new version's path and the counter value its name took. */
  async function nameVersion(itemPath: string): Promise<{ path: string; counter: { name: string; value: number } }> {
    const name = `${itemPath}VERSION`;
    const value = await storage.nextCounterValue(name);
    return { path: childPath(itemPath, counterName(value, 'VERSION')), counter: { name, value } };
  }

  /**
   * Stages the version `version` of `item`, moving the item's LAST tag (and FIRST, for the first). The
   * versions carry their tags in their index too, for Adhocracy's `tag` filter (`?depth=all&tag=LAST`).
   */
  async function stageVersionOf(item: ResourceRecord, version: ResourceRecord, counter: { name: string; value: number }, followed: ResourceRecord | undefined, st: Staging) {
    st.hold(await unique.prepare(typeOf(version), followed, version.data, version.path));
    st.insert(withDerivedFields(registry, { ...version, tags: followed === undefined ? ['FIRST', 'LAST'] : ['LAST'] }), counter);
    const previous = lastOf(item);
    const untagged = previous === undefined ? undefined : await st.read(previous);
    if (untagged?.tags?.includes('LAST')) st.reindex(withDerivedFields(registry, { ...untagged, tags: untagged.tags.filter((tag) => tag !== 'LAST') }));
    const tags = { ...(item.data[tagsSheet] ?? {}), LAST: version.path, ...(followed === undefined ? { FIRST: version.path } : {}) };
    st.replace(withDerivedFields(registry, { ...item, data: { ...item.data, [tagsSheet]: tags } }));
    st.newVersions.set(item.path, version.path);
  }

  /** Whether `path` is one of the root versions, or reached from one by references other than `follows`. */
  async function isInRootSubtree(path: string, rootVersions: readonly string[], st: Staging): Promise<boolean> {
    if (rootVersions.length === 0) return true;
    const seen = new Set<string>(rootVersions);
    let frontier = [...rootVersions];
    for (let depth = 0; depth < maxSubtreeDepth && frontier.length > 0; depth += 1) {
      if (frontier.includes(path)) return true;
      const records = await st.readMany(frontier);
      frontier = records.flatMap((record) =>
        (record?.references ?? []).filter((reference) => !reference.key.startsWith(`${versionableSheet}:`) && !seen.has(reference.target)).map((reference) => reference.target),
      );
      frontier.forEach((target) => seen.add(target));
    }
    return frontier.includes(path);
  }

  /** `value` with every reference to `from` turned into one to `to`. */
  function replaceReference(value: unknown, from: string, to: string): unknown {
    if (Array.isArray(value)) return value.map((item) => (item === from ? to : item));
    return value === from ? to : value;
  }

  /**
   * Versions that refer to `from` by a field that follows new versions get a new version referring to
   * `to`, in the same transaction, if they are the newest of their item (and in the root versions'
   * subtree when those are given); and so on up. The newest version of an item that refers to `from`
   * otherwise would have to fork: refused.
   */
  async function propagate(from: string, to: string, rootVersions: readonly string[], principal: Principal, st: Staging): Promise<void> {
    for (const { source, key } of await st.backreferences(from)) {
      const [sheetId, fieldName] = key.split(':') as [string, string];
      const field = registry.sheets.get(sheetId)?.fields[fieldName];
      if (!field?.followsNewVersions || st.isNew(source) || !(await isInRootSubtree(source, rootVersions, st))) continue;
      const referring = await st.read(source);
      const itemPath = parentPath(source);
      const item = itemPath === undefined ? undefined : await st.read(itemPath);
      if (!referring || !item) continue;
      const pending = st.newVersions.get(item.path);
      if (pending !== undefined) {
        // This transaction made a new version of that item already: it refers to `to` instead.
        const staged = (await st.read(pending)) as ResourceRecord;
        const fields = { ...staged.data[sheetId], [fieldName]: replaceReference(staged.data[sheetId]?.[fieldName], from, to) };
        st.replace(withDerivedFields(registry, { ...staged, data: { ...staged.data, [sheetId]: fields } }));
        continue;
      }
      const last = lastOf(item);
      if (last !== source) {
        const newest = last === undefined ? undefined : await st.read(last);
        // The newest version refers to `from` in the same way: nothing left to follow.
        if (JSON.stringify(newest?.data[sheetId]?.[fieldName]) === JSON.stringify(referring.data[sheetId]?.[fieldName])) continue;
        throw badRequest('body', 'root_versions', `No fork allowed - The auto update tried to create a fork for: ${source}`, 'no_fork');
      }
      const data: SheetData = {};
      for (const sheet of registry.sheetsOf(referring.contentType)) {
        if (sheet.computedFrom !== undefined || sheet.id === metadataSheet || !referring.data[sheet.id]) continue;
        data[sheet.id] = { ...referring.data[sheet.id] };
      }
      data[sheetId] = { ...data[sheetId], [fieldName]: replaceReference(referring.data[sheetId]?.[fieldName], from, to) };
      data[versionableSheet] = { follows: [source] };
      const { path, counter } = await nameVersion(item.path);
      const version = newRecord(typeOf(referring), path, data, principal, st.now);
      await stageVersionOf(item, version, counter, referring, st);
      await propagate(source, path, rootVersions, principal, st);
    }
  }

  return {
    /** What an item starts with: its first, empty version (FIRST and LAST) and its service pools. */
    async stageItemContent(item: ResourceRecord, type: ResourceType, principal: Principal, st: Staging): Promise<string> {
      const versionType = registry.resourceTypes.get(type.itemType as string) as ResourceType;
      const { path, counter } = await nameVersion(item.path);
      const first = newRecord(versionType, path, { [versionableSheet]: { follows: [] } }, principal, st.now);
      await stageVersionOf(item, first, counter, undefined, st);
      for (const [name, serviceTypeId] of Object.entries(type.services ?? {})) {
        const serviceType = registry.resourceTypes.get(serviceTypeId) as ResourceType;
        st.insert(newRecord(serviceType, childPath(item.path, name), {}, principal, st.now));
      }
      return path;
    },

    /**
     * Posting a version to an item: it follows exactly one version, the newest unless the type may
     * fork. Within one transaction an item gets one new version: a second post changes that one.
     */
    async stageVersion(options: {
      item: ResourceRecord;
      type: ResourceType;
      data: SheetData;
      principal: Principal;
      rootVersions: readonly string[];
      st: Staging;
    }): Promise<ResourceRecord> {
      const { type, data, principal, rootVersions, st } = options;
      const item = (await st.read(options.item.path)) as ResourceRecord;
      const follows = (data[versionableSheet]?.follows as string[] | undefined) ?? [];
      if (follows.length !== 1) throw badRequest('body', followsName, 'No merge allowed - you must set only one follows reference', 'no_merge');
      const followedPath = follows[0] as string;
      const followed = await st.read(followedPath);
      if (!followed || parentPath(followedPath) !== item.path || followed.contentType !== type.id) {
        throw badRequest('body', followsName, `${followedPath} is not a version of ${item.path}`, 'invalid_reference');
      }
      const pending = st.newVersions.get(item.path);
      if (pending !== undefined) {
        const staged = (await st.read(pending)) as ResourceRecord;
        const merged: SheetData = { ...staged.data };
        for (const [sheetId, fields] of Object.entries(data)) if (sheetId !== versionableSheet) merged[sheetId] = { ...merged[sheetId], ...fields };
        const changed = withDerivedFields(registry, { ...staged, data: merged });
        st.hold(await unique.prepare(type, staged, changed.data, changed.path));
        st.replace(changed);
        return changed;
      }
      const last = lastOf(item);
      if (followedPath !== last && !type.isForkable) {
        throw badRequest('body', followsName, `No fork allowed - valid follows resources are: ${last}`, 'no_fork');
      }
      const { path, counter } = await nameVersion(item.path);
      const version = newRecord(type, path, { ...data, [versionableSheet]: { follows: [followedPath] } }, principal, st.now);
      await stageVersionOf(item, version, counter, followed, st);
      await propagate(followedPath, path, rootVersions, principal, st);
      return version;
    },
  };
}

export type Versions = ReturnType<typeof createVersions>;
