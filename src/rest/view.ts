// What a view receives and returns: plain data, so views read top to bottom and format nothing themselves.
import type { Access } from '../auth/access.ts';
import type { Permission } from '../auth/gate.ts';
import type { Principal } from '../auth/permissions.ts';
import type { Staging } from '../model/staging.ts';
import type { ResourceType } from '../resource-type.ts';
import type { ResourceRecord } from '../storage/storage.ts';
import type { ViewContract } from './openapi/view-contracts.ts';
import type { Services } from './services.ts';

export interface ViewRequest {
  method: string;
  principal: Principal;
  /** The resource the path traversed to, and its type. */
  context: ResourceRecord;
  type: ResourceType;
  /** The caller's roles on the context and the lineage they come from (root first, context last). */
  access: Access;
  subpath: readonly string[];
  query: Readonly<Record<string, string>>;
  /** The parsed JSON body of POST and PUT; undefined for other methods. */
  body: unknown;
  header(name: string): string | undefined;
  clientAddress: string;
  requestId: string;
  /** In a batch: the transaction to stage writes in (nothing is stored until the whole batch is). */
  staging?: Staging;
}

export interface ViewResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type View = (request: ViewRequest, services: Services) => Promise<ViewResponse>;

interface RouteBase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** The view name after the context's path; undefined for the resource itself. */
  view?: string;
  /**
   * For a view whose subpath names things (sessions/<id>): the route answers `<view>/<id>/<subview>`
   * only, and the view's routes without one answer every other subpath.
   */
  subview?: string;
  /** The content type the context must have; undefined for any. */
  on?: string;
  /** What the caller must be allowed on the context; the dispatcher checks it before the view runs. */
  permission: Permission;
  /** True when the view reads a JSON body. */
  takesBody?: boolean;
  handler: View;
}

/**
 * A named view must say what it takes and answers, for /openapi.json; the verbs on resources are
 * described from the registry instead, unless a type's own view of a verb says more.
 */
export type Route = RouteBase &
  (
    | { /** The view name after the context's path. */ view: string; contract: ViewContract }
    | { /** Undefined for the resource itself. */ view?: undefined; contract?: ViewContract }
  );
