// Traversal: a request path becomes the deepest stored resource on it with its ancestors, a view name and the rest.
import type { ResourceRecord, Storage } from '../storage/storage.ts';
import { joinPath, splitPath } from './path.ts';

export interface Traversal {
  /** The root first, the context last: permissions and hiding are inherited along it. */
  lineage: ResourceRecord[];
  context: ResourceRecord;
  /** The first segment below the context that is not a child: the name of a view. */
  view: string | undefined;
  /** Segments after the view name. */
  subpath: string[];
}

/**
 * Reads the path and all its ancestors in one request to the store. Undefined when the path is
 * malformed or not even the root exists.
 */
export async function traverse(storage: Pick<Storage, 'readResources'>, requestPath: string): Promise<Traversal | undefined> {
  const segments = splitPath(requestPath);
  if (segments === undefined) return undefined;
  const prefixes = segments.map((_, index) => joinPath(segments.slice(0, index + 1)));
  const records = await storage.readResources([joinPath([]), ...prefixes]);
  const lineage: ResourceRecord[] = [];
  for (const record of records) {
    if (!record) break;
    lineage.push(record);
  }
  const context = lineage.at(-1);
  if (!context) return undefined;
  const depth = lineage.length - 1;
  return { lineage, context, view: segments[depth], subpath: segments.slice(depth + 1) };
}
