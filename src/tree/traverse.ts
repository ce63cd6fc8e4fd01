// Traversal: a request path becomes the deepest stored resource on it, plus a view name and what follows.
import type { ResourceRecord, Storage } from '../storage/storage.ts';
import { joinPath, splitPath } from './path.ts';

export interface Traversal {
  context: ResourceRecord;
  /** The first segment below the context that is not a child: the name of a view. */
  view: string | undefined;
  /** Segments after the view name. */
  subpath: string[];
}

/**
 * Reads the full path first, since most requests name a resource, and walks up only on a miss.
 * Undefined when the path is malformed or not even the root exists.
 */
export async function traverse(storage: Storage, requestPath: string): Promise<Traversal | undefined> {
  const segments = splitPath(requestPath);
  if (segments === undefined) return undefined;
  for (let depth = segments.length; depth >= 0; depth -= 1) {
    const context = await storage.readResource(joinPath(segments.slice(0, depth)));
    if (context) return { context, view: segments[depth], subpath: segments.slice(depth + 1) };
  }
  return undefined;
}
