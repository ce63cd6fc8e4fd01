// The events a transaction causes, in Adhocracy 3's terms: to whose subscribers each goes, what it names, and who may hear of it.
import type { Principal } from '../auth/permissions.ts';
import type { TransactionJournal } from '../model/journal.ts';
import { parentPath } from '../tree/path.ts';
import type { Sight } from './sight.ts';

export type ResourceEvent = 'modified' | 'removed' | 'new_child' | 'removed_child' | 'modified_child' | 'changed_descendants' | 'new_version';

export interface PlannedEvent {
  event: ResourceEvent;
  /** The resource whose subscribers hear of it. */
  resource: string;
  /** The child or version it names besides. */
  other?: string;
  /** Its place among all the events of the transaction, the same in every process (see position.ts). */
  index?: number;
}

const depthOf = (path: string) => path.split('/').length;

/**
 * As Adhocracy 3 dispatches its changelog: a new resource is a new_version of its item if it is a
 * version and a new_child of its pool otherwise; a change is modified for the resource and
 * modified_child for its pool; a removal is removed and removed_child; and then, once per transaction,
 * changed_descendants for every pool above anything touched, the nearest first.
 */
export function planEvents(journal: TransactionJournal, isVersion: (path: string) => boolean): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const sorted = (paths: readonly string[]) => [...new Set(paths)].sort();
  const withParent = (path: string, event: ResourceEvent) => {
    const parent = parentPath(path);
    if (parent !== undefined) events.push({ event, resource: parent, other: path });
  };
  for (const path of sorted(journal.created)) withParent(path, isVersion(path) ? 'new_version' : 'new_child');
  for (const path of sorted(journal.removed)) {
    events.push({ event: 'removed', resource: path });
    withParent(path, 'removed_child');
  }
  for (const path of sorted(journal.modified)) {
    events.push({ event: 'modified', resource: path });
    withParent(path, 'modified_child');
  }
  const pools = new Set<string>();
  for (const path of [...journal.created, ...journal.removed, ...journal.modified]) {
    for (let parent = parentPath(path); parent !== undefined; parent = parentPath(parent)) pools.add(parent);
  }
  const nearestFirst = [...pools].sort((a, b) => depthOf(b) - depthOf(a) || (a < b ? -1 : 1));
  for (const pool of nearestFirst) events.push({ event: 'changed_descendants', resource: pool });
  return events.map((event, index) => ({ ...event, index }));
}

/**
 * An event goes only to a principal that may see every resource it names, as they are now. A removal
 * goes to every subscriber of what was removed, who could see it until then; a removed child is named
 * to those who could see it just before.
 */
export function canHear(principal: Principal, planned: PlannedEvent, sight: Sight, journal: TransactionJournal): boolean {
  const { event, resource, other } = planned;
  if (event === 'removed') return true;
  if (!sight.canSee(principal, resource)) return false;
  if (other === undefined) return true;
  if (event === 'removed_child') return sight.couldSee(principal, other, journal.gone.find((record) => record.path === other));
  return sight.canSee(principal, other);
}

/** Every path whose record deciding who hears of these events needs. */
export function listNamedPaths(events: readonly PlannedEvent[]): string[] {
  return [...new Set(events.flatMap(({ resource, other }) => (other === undefined ? [resource] : [resource, other])))];
}
