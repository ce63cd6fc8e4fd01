// Who may see which resource, for the connections an event could go to: the one visibility rule of auth/access.ts over lineages read once per event.
import { enter, type Access } from '../auth/access.ts';
import type { Principal } from '../auth/permissions.ts';
import type { Registry } from '../registry.ts';
import type { ResourceRecord, Storage } from '../storage/storage.ts';
import { parentPath } from '../tree/path.ts';

/** The path and every path above it, root first. */
function lineageOf(path: string): string[] {
  const paths: string[] = [];
  for (let current: string | undefined = path; current !== undefined; current = parentPath(current)) paths.unshift(current);
  return paths;
}

/**
 * The records as they are now, read once for every connection that an event may go to, and each
 * principal's reach into them, walked once per path: a thousand connections of one user, or of
 * anonymous visitors, cost one walk.
 */
export class Sight {
  private readonly records = new Map<string, ResourceRecord | undefined>();
  private readonly reached = new Map<Principal, Map<string, Access | undefined>>();

  constructor(
    private readonly storage: Pick<Storage, 'readResources'>,
    private readonly registry: Registry,
  ) {}

  /** Reads what is not read yet of these paths and the paths above them, in one request. */
  async load(paths: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const path of paths) for (const above of lineageOf(path)) if (!this.records.has(above)) wanted.add(above);
    if (wanted.size === 0) return;
    const list = [...wanted];
    const found = await this.storage.readResources(list);
    list.forEach((path, index) => this.records.set(path, found[index]));
  }

  record(path: string): ResourceRecord | undefined {
    return this.records.get(path);
  }

  canSee(principal: Principal, path: string): boolean {
    return this.accessOf(principal, path) !== undefined;
  }

  /**
   * Whether the principal could see a resource just before it was hidden or removed: as it is now but
   * not hidden, or, once it is gone for good, as its journal kept it.
   */
  couldSee(principal: Principal, path: string, gone: ResourceRecord | undefined): boolean {
    const before = this.records.get(path) ?? gone;
    const parent = parentPath(path);
    const above = parent === undefined ? undefined : this.accessOf(principal, parent);
    if (!before || (parent !== undefined && !above)) return false;
    const type = this.registry.resourceTypes.get(before.contentType);
    return type !== undefined && enter(principal, above, { ...before, hidden: false }, type).access !== undefined;
  }

  private accessOf(principal: Principal, path: string): Access | undefined {
    let byPath = this.reached.get(principal);
    if (!byPath) {
      byPath = new Map();
      this.reached.set(principal, byPath);
    }
    if (byPath.has(path)) return byPath.get(path);
    const record = this.records.get(path);
    const parent = parentPath(path);
    const above = parent === undefined ? undefined : this.accessOf(principal, parent);
    const type = record && this.registry.resourceTypes.get(record.contentType);
    const access = !record || !type || (parent !== undefined && !above) ? undefined : enter(principal, above, record, type).access;
    byPath.set(path, access);
    return access;
  }
}
