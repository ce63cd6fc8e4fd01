// What a view receives and returns: plain data, so views read top to bottom and format nothing themselves.
import type { Access } from '../auth/access.ts';
import type { Principal } from '../auth/permissions.ts';
import type { ResourceType } from '../resource-type.ts';
import type { ResourceRecord } from '../storage/storage.ts';
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
}

export interface ViewResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type View = (request: ViewRequest, services: Services) => Promise<ViewResponse>;
