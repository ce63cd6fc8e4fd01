// Unique field values (user names, emails) as claim documents, so the store itself refuses a duplicate.
import type { Clock } from '../clock.ts';
import { invalidInput, type ErrorDetail } from '../errors.ts';
import type { Registry } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import type { UniqueNormalization } from '../sheet.ts';
import { AlreadyExistsError, type ResourceRecord, type SheetData, type Storage, type UniqueClaim } from '../storage/storage.ts';

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
    case 'nfkc-casefold':
      // Upper then lower case folds ß to ss and similar, close to Unicode case folding.
      return value.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
  }
}

interface UniqueField {
  sheetId: string;
  fieldName: string;
  scope: string;
  normalize: UniqueNormalization;
  description: string;
}

export interface UniqueValues {
  /** Claims every unique value in `data` for `owner`; throws 400 naming each value somebody else holds. */
  claimAll(type: ResourceType, data: SheetData, owner: string): Promise<{ release(): Promise<void> }>;
  /** After a successful change, frees the values the resource no longer holds. */
  releaseReplaced(type: ResourceType, before: ResourceRecord, after: ResourceRecord): Promise<void>;
  /** Frees every unique value a removed resource held. */
  releaseAll(type: ResourceType, removed: ResourceRecord): Promise<void>;
  /** The resource holding a unique value, if any. */
  findOwner(scope: string, value: string): Promise<ResourceRecord | undefined>;
}

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

  const valueOf = (data: SheetData, field: UniqueField): string | undefined => {
    const value = data[field.sheetId]?.[field.fieldName];
    return typeof value === 'string' ? normalizeUnique(value, field.normalize) : undefined;
  };

  async function isHeldByOwner(claim: UniqueClaim, field: UniqueField): Promise<boolean> {
    const owner = await storage.readResource(claim.owner);
    return owner !== undefined && valueOf(owner.data, field) === claim.key;
  }

  async function claim(field: UniqueField, key: string, owner: string): Promise<'claimed' | 'ours' | 'taken'> {
    const next: UniqueClaim = { scope: field.scope, key, owner, claimedAt: clock.now() };
    try {
      await storage.claimUnique(next);
      return 'claimed';
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const existing = error.existing;
      if (!existing) return 'taken';
      if (existing.owner === owner) return 'ours';
      const old = clock.now() - existing.claimedAt > staleClaimMilliseconds;
      if (!old || (await isHeldByOwner(existing, field))) return 'taken';
      try {
        await storage.takeOverUnique(existing, next);
        return 'claimed';
      } catch (takeOverError) {
        if (takeOverError instanceof AlreadyExistsError) return 'taken';
        throw takeOverError;
      }
    }
  }

  return {
    async claimAll(type, data, owner) {
      const claimed: { field: UniqueField; key: string }[] = [];
      const release = async () => {
        await Promise.all(claimed.map(({ field, key }) => storage.releaseUnique(field.scope, key, owner)));
      };
      const errors: ErrorDetail[] = [];
      try {
        for (const field of fieldsByType.get(type.id) ?? []) {
          const key = valueOf(data, field);
          if (key === undefined) continue;
          const outcome = await claim(field, key, owner);
          if (outcome === 'claimed') claimed.push({ field, key });
          if (outcome === 'taken') {
            errors.push({ location: 'body', name: `data.${field.sheetId}.${field.fieldName}`, description: field.description, code: 'not_unique' });
          }
        }
      } catch (error) {
        await release();
        throw error;
      }
      if (errors.length > 0) {
        await release();
        throw invalidInput(errors);
      }
      return { release };
    },

    async releaseReplaced(type, before, after) {
      for (const field of fieldsByType.get(type.id) ?? []) {
        const old = valueOf(before.data, field);
        if (old !== undefined && old !== valueOf(after.data, field)) await storage.releaseUnique(field.scope, old, before.path);
      }
    },

    async releaseAll(type, removed) {
      for (const field of fieldsByType.get(type.id) ?? []) {
        const value = valueOf(removed.data, field);
        if (value !== undefined) await storage.releaseUnique(field.scope, value, removed.path);
      }
    },

    async findOwner(scope, value) {
      const field = fieldsByScope.get(scope);
      if (!field) throw new Error(`no unique field has the scope ${scope}`);
      const key = normalizeUnique(value, field.normalize);
      const found = await storage.readUniqueClaim(scope, key);
      if (!found) return undefined;
      const owner = await storage.readResource(found.owner);
      return owner && valueOf(owner.data, field) === key ? owner : undefined;
    },
  };
}
