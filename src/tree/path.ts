// Resource paths: parsing what clients send, and the absolute URLs that responses carry.

/** A child name as the server accepts it: the same rule as IName. */
export const childNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export const rootPath = '/';

/** Splits `/a/b/` (or `/a/b`) into `['a', 'b']`; undefined when a segment is empty, `.` or `..`. */
export function splitPath(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  const trimmed = path.endsWith('/') ? path.slice(1, -1) : path.slice(1);
  if (trimmed === '') return [];
  const segments = trimmed.split('/');
  return segments.every((segment) => childNamePattern.test(segment)) ? segments : undefined;
}

export function joinPath(segments: readonly string[]): string {
  return segments.length === 0 ? rootPath : `/${segments.join('/')}/`;
}

export function parentPath(path: string): string | undefined {
  if (path === rootPath) return undefined;
  return path.slice(0, path.lastIndexOf('/', path.length - 2) + 1);
}

export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/', path.length - 2) + 1, -1);
}

export function childPath(parent: string, name: string): string {
  return `${parent}${name}/`;
}

/** The zero-padded counter names of Adhocracy 3: `0000000`, or `<prefix>_0000000`. */
export function counterName(counter: number, prefix?: string): string {
  const number = String(counter).padStart(7, '0');
  return prefix ? `${prefix}_${number}` : number;
}

/** Turns paths into the absolute URLs of responses and back. */
export interface PathCodec {
  toUrl(path: string): string;
  /** Accepts an absolute URL under the public base, or a path; undefined when it is neither. */
  fromReference(reference: string): string | undefined;
}

export function createPathCodec(publicUrl: string): PathCodec {
  const base = publicUrl.replace(/\/+$/, '');
  const basePath = new URL(`${base}/`).pathname.replace(/\/$/, '');
  return {
    toUrl: (path) => `${base}${path}`,
    fromReference(reference) {
      let path = reference;
      if (!reference.startsWith('/')) {
        let url: URL;
        try {
          url = new URL(reference);
        } catch {
          return undefined;
        }
        if (`${url.protocol}//${url.host}` !== new URL(`${base}/`).origin) return undefined;
        if (!url.pathname.startsWith(`${basePath}/`)) return undefined;
        path = url.pathname.slice(basePath.length);
      }
      const segments = splitPath(path);
      return segments === undefined ? undefined : joinPath(segments);
    },
  };
}
