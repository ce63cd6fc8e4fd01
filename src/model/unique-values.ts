// Unique field values (user names, emails) as claim documents, so the store itself refuses a duplicate.
import replaceConfusables from 'unhomoglyph';
import type { Clock } from '../clock.ts';
import { ErrorCollector } from '../errors.ts';
import type { Registry } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import type { UniqueDefinition, UniqueNormalization } from '../sheet.ts';
import { AlreadyExistsError, type ResourceRecord, type SheetData, type Storage, type UniqueClaim } from '../storage/storage.ts';
import { parentPath } from '../tree/path.ts';

/** The sheet whose LAST names an item's newest version, which holds the values the item claims. */
const tagsSheet = 'adhocracy_core.sheets.tags.ITags';

/**
 * A claim whose owner does not hold the value (a crash between claim and write, or a failed release)
 * is taken over, but only after this long, so that a write in progress is never robbed of its claim.
 */
const staleClaimMilliseconds = 60_000;

export function normalizeUnique(value: string, how: UniqueNormalization): string {
  switch (how) {
    case 'exact':
      return value;
    case 'lowercase':
      return value.toLowerCase();
    case 'skeleton':
      // Upper then lower case folds ß to ss and similar, close to Unicode case folding. Folded first,
      // a capital that only looks like another (Cyrillic М, Latin M) stays apart: in small letters they
      // differ, and the skeleton of the unfolded name would tell I from i (I looks like l).
      return skeletonOf(value.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC'));
  }
}

/**
 * UTS #39's skeleton: NFD, without default-ignorable code points, each character replaced by the
 * prototype that confusables.txt gives it, and NFD again. Not for display: `m` becomes `rn`.
 */
function skeletonOf(value: string): string {
  return replaceConfusables(value.normalize('NFD').replace(/\p{Default_Ignorable_Code_Point}/gu, '')).normalize('NFD');
}

/** A unique field with where it is: its sheet and name (see UniqueDefinition for the rest). */
interface UniqueField extends UniqueDefinition {
  sheetId: string;
  fieldName: string;
}

/** A unique value a resource holds: its key, and the name an error about it gives. */
interface HeldKey {
  key: string;
  name: string;
}

/** A claim of a reserved value is made for ever: held until this time, it is never taken over. */
const heldForever = Number.MAX_SAFE_INTEGER;

/** The claims made for one write, and what to do with them once it is known how the write went. */
export interface PreparedClaims {
  /** After the record was written: frees the values it no longer holds, unless somebody claimed them anew since. */
  committed(): Promise<void>;
  /** After the write failed for good: gives back the claims made for it, unless the stored record holds them. */
  abandoned(): Promise<void>;
}

export interface UniqueValues {
  /**
   * Claims, for the resource at `path` (or its item, for values an item holds), every unique value that
   * `next` holds and `current` (undefined when creating; for a new version, the version it follows)
   * does not, refreshing the claims it holds already; throws 400 naming each value somebody else holds.
   * Call it for every attempt to write, after reading the record that attempt replaces: a claim that
   * another writer of the same record released after reading its revision is then either refreshed
   * (and the release fails) or claimed anew.
   */
  prepare(type: ResourceType, current: ResourceRecord | undefined, next: SheetData, path: string): Promise<PreparedClaims>;
  /** Frees every unique value a removed resource held. */
  releaseAll(type: ResourceType, removed: ResourceRecord): Promise<void>;
  /**
   * Claims a value of a field for `owner` until `heldUntil`, although its record does not hold it yet (an
   * address waiting for confirmation) or no longer (a deleted account's name); false when another holds it.
   */
  hold(field: { sheetId: string; fieldName: string }, value: string, owner: string, heldUntil: number): Promise<boolean>;
  /** Gives up a held value, unless its owner's record holds it by now or somebody else claimed it. */
  releaseHold(field: { sheetId: string; fieldName: string }, value: string, owner: string): Promise<void>;
  /** The resource holding a unique value, if any. */
  findOwner(scope: string, value: string): Promise<ResourceRecord | undefined>;
  /**
   * The resource whose list field of this scope holds an item with the key of `item` now (not one it
   * held once), with that item as stored.
   */
  findItemOwner(scope: string, item: unknown): Promise<{ record: ResourceRecord; item: Record<string, unknown> } | undefined>;
  /**
   * Claims under today's keys what stores written by earlier versions claimed under others (user names
   * were compared without their confusable skeleton); answers how many it moved and which could not be,
   * because two holders' values now compare equal.
   */
  migrateClaims(): Promise<{ moved: number; clashes: string[] }>;
}

/** The key earlier versions gave a value of this normalization, where it differs from today's. */
function legacyKeyOf(value: string, how: UniqueNormalization): string | undefined {
  return how === 'skeleton' ? value.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC') : undefined;
}

/** How often a claim is tried again when others keep changing it under our hands. */
const maxClaimAttempts = 5;

export function createUniqueValues(deps: { storage: Storage; registry: Registry; clock: Clock }): UniqueValues {
  const { storage, registry, clock } = deps;
  const fieldsByType = new Map<string, UniqueField[]>();
  const fieldsByScope = new Map<string, UniqueField>();
  for (const type of registry.resourceTypes.values()) {
    const fields = registry.sheetsOf(type.id).flatMap((sheet) =>
      Object.entries(sheet.fields).flatMap(([fieldName, field]) =>
        field.unique ? [{ sheetId: sheet.id, fieldName, ...field.unique }] : [],
      ),
    );
    fieldsByType.set(type.id, fields);
    for (const field of fields) fieldsByScope.set(field.scope, field);
  }

  const fieldOf = ({ sheetId, fieldName }: { sheetId: string; fieldName: string }): UniqueField => {
    const field = [...fieldsByScope.values()].find((candidate) => candidate.sheetId === sheetId && candidate.fieldName === fieldName);
    if (!field) throw new Error(`${sheetId}.${fieldName} is not a unique field`);
    return field;
  };

  const valueOf = (data: SheetData, field: UniqueField): string | undefined => {
    const value = data[field.sheetId]?.[field.fieldName];
    if (typeof value !== 'string' || field.itemKey) return undefined;
    if (field.with === undefined) return normalizeUnique(value, field.normalize);
    const other = data[field.sheetId]?.[field.with];
    return typeof other === 'string' ? `${normalizeUnique(other, field.normalize)}|${normalizeUnique(value, field.normalize)}` : undefined;
  };

  /** Every value the data holds in this field: one, or for a list each item's. */
  const keysOf = (data: SheetData, field: UniqueField): HeldKey[] => {
    const name = `data.${field.sheetId}.${field.fieldName}`;
    const { itemKey } = field;
    if (!itemKey) {
      const key = valueOf(data, field);
      return key === undefined ? [] : [{ key, name }];
    }
    const list = data[field.sheetId]?.[field.fieldName];
    if (!Array.isArray(list)) return [];
    return list.flatMap((item: unknown, index) => {
      const key = itemKey(item);
      return key === undefined ? [] : [{ key, name: `${name}.${index}` }];
    });
  };

  const ownerOf = (field: UniqueField, path: string) => (field.heldBy === 'item' ? (parentPath(path) ?? path) : path);

  /** The data that holds a claim's value: the owner's own, or for an item its newest version's. */
  async function heldData(field: UniqueField, owner: string): Promise<SheetData | undefined> {
    const record = await storage.readResource(owner);
    if (!record || field.heldBy !== 'item') return record?.data;
    const last = record.data[tagsSheet]?.LAST;
    return typeof last === 'string' ? (await storage.readResource(last))?.data : undefined;
  }

  async function isHeldByOwner(claim: Pick<UniqueClaim, 'owner' | 'key'>, field: UniqueField): Promise<boolean> {
    const data = await heldData(field, claim.owner);
    return data !== undefined && keysOf(data, field).some(({ key }) => key === claim.key);
  }

  /**
   * A fresh claim of `key` for `owner` (new, refreshed, or taken over from a stale holder), or 'taken'.
   * With `heldUntil`, the claim holds until then although the owner's record does not hold the value.
   */
  async function claim(field: UniqueField, key: string, owner: string, heldUntil?: number): Promise<UniqueClaim | 'taken'> {
    return (await claimOrRefresh(field, key, owner, heldUntil)).claim ?? 'taken';
  }

  /** As claim, and whether the claim is new to `owner` (made or taken over) rather than refreshed. */
  async function claimOrRefresh(field: UniqueField, key: string, owner: string, heldUntil?: number): Promise<{ claim?: UniqueClaim; fresh: boolean }> {
    for (let attempt = 1; attempt <= maxClaimAttempts; attempt += 1) {
      const next: UniqueClaim = { scope: field.scope, key, owner, claimedAt: clock.now(), ...(heldUntil === undefined ? {} : { heldUntil }) };
      let existing: UniqueClaim | undefined;
      try {
        return { claim: await storage.claimUnique(next), fresh: true };
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
        existing = error.existing;
      }
      // Released between the two reads: try to create it again.
      if (!existing) continue;
      if (existing.owner !== owner) {
        const stale = clock.now() - existing.claimedAt > staleClaimMilliseconds;
        const held = existing.heldUntil !== undefined && existing.heldUntil > clock.now();
        if (!stale || held || (await isHeldByOwner(existing, field))) return { fresh: false };
      }
      try {
        return { claim: await storage.replaceUniqueClaim(existing, next), fresh: existing.owner !== owner };
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
    }
    return { fresh: false };
  }

  async function releaseUnlessHeld(field: UniqueField, made: UniqueClaim): Promise<void> {
    if (await isHeldByOwner(made, field)) return;
    await storage.releaseUnique(made);
  }

  return {
    async prepare(type, current, next, path) {
      const made: { field: UniqueField; claim: UniqueClaim }[] = [];
      const replaced: UniqueClaim[] = [];
      const errors = new ErrorCollector();
      const abandoned = () => Promise.all(made.map(({ field, claim: ours }) => releaseUnlessHeld(field, ours))).then(() => undefined);
      try {
        for (const field of fieldsByType.get(type.id) ?? []) {
          const keys = keysOf(next, field);
          const olds = new Set(current ? keysOf(current.data, field).map(({ key }) => key) : []);
          const owner = ownerOf(field, path);
          for (const { key, name } of keys) {
            if (olds.has(key)) continue;
            const outcome = await claimOrRefresh(field, key, owner, field.reserved ? heldForever : undefined);
            if (!outcome.claim) {
              errors.add({ location: 'body', name, description: field.description, code: 'not_unique' });
            } else if (outcome.fresh || !field.reserved) {
              // A reserved value that was the owner's already stays its own, whatever becomes of this write.
              made.push({ field, claim: outcome.claim });
            }
          }
          if (field.reserved) continue;
          const kept = new Set(keys.map(({ key }) => key));
          for (const old of olds) {
            if (kept.has(old)) continue;
            // Read before the write: if it is refreshed after this, by a writer that puts the value back, it stays.
            const held = await storage.readUniqueClaim(field.scope, old);
            if (held?.owner === owner) replaced.push(held);
          }
        }
      } catch (error) {
        await abandoned();
        throw error;
      }
      if (!errors.isEmpty) {
        await abandoned();
        errors.throwIfAny();
      }
      return {
        committed: async () => {
          await Promise.all(replaced.map((held) => storage.releaseUnique(held)));
        },
        abandoned,
      };
    },

    async releaseAll(type, removed) {
      for (const field of fieldsByType.get(type.id) ?? []) {
        if (field.reserved) continue;
        for (const { key } of keysOf(removed.data, field)) await storage.releaseUnique({ scope: field.scope, key, owner: ownerOf(field, removed.path) });
      }
    },

    async hold(where, value, owner, heldUntil) {
      const field = fieldOf(where);
      return (await claim(field, normalizeUnique(value, field.normalize), owner, heldUntil)) !== 'taken';
    },

    async releaseHold(where, value, owner) {
      const field = fieldOf(where);
      const held = await storage.readUniqueClaim(field.scope, normalizeUnique(value, field.normalize));
      if (!held || held.owner !== owner || (await isHeldByOwner(held, field))) return;
      await storage.releaseUnique(held);
    },

    async findOwner(scope, value) {
      const field = fieldsByScope.get(scope);
      if (!field) throw new Error(`no unique field has the scope ${scope}`);
      const key = normalizeUnique(value, field.normalize);
      const found = await storage.readUniqueClaim(scope, key);
      if (found) {
        const owner = await storage.readResource(found.owner);
        return owner && valueOf(owner.data, field) === key ? owner : undefined;
      }
      // Until migrateClaims has run over a store of an earlier version, its claims have their old keys.
      const legacy = legacyKeyOf(value, field.normalize);
      const old = legacy === undefined ? undefined : await storage.readUniqueClaim(scope, legacy);
      if (!old) return undefined;
      const owner = await storage.readResource(old.owner);
      return owner && valueOf(owner.data, field) === key ? owner : undefined;
    },

    async findItemOwner(scope, item) {
      const field = fieldsByScope.get(scope);
      const key = field?.itemKey?.(item);
      if (!field || key === undefined) return undefined;
      const found = await storage.readUniqueClaim(scope, key);
      const owner = found ? await storage.readResource(found.owner) : undefined;
      const list = owner?.data[field.sheetId]?.[field.fieldName];
      const held = Array.isArray(list) ? (list as Record<string, unknown>[]).find((candidate) => field.itemKey?.(candidate) === key) : undefined;
      return owner && held ? { record: owner, item: held } : undefined;
    },

    async migrateClaims() {
      let moved = 0;
      const clashes: string[] = [];
      for (const field of fieldsByScope.values()) {
        if (legacyKeyOf('', field.normalize) === undefined) continue;
        const pageSize = 500;
        for (let after: string | undefined; ; ) {
          const page = await storage.listUniqueClaims(field.scope, after, pageSize);
          for (const old of page) {
            const owner = await storage.readResource(old.owner);
            const key = owner ? valueOf(owner.data, field) : undefined;
            // Only a claim its owner still holds, under a key that is no longer today's.
            if (key === undefined || key === old.key || legacyKeyOf(String(owner?.data[field.sheetId]?.[field.fieldName]), field.normalize) !== old.key) continue;
            const outcome = await claim(field, key, old.owner);
            if (outcome === 'taken') clashes.push(old.owner);
            else moved += 1;
          }
          if (page.length < pageSize) break;
          after = page.at(-1)?.key;
        }
      }
      return { moved, clashes };
    },
  };
}
