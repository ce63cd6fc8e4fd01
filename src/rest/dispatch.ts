// Every request's path through the API: authenticate, traverse, see, pick the view, check its permission, read the body, run, send (GET revalidatable).
import type { Request, RequestHandler, Response } from 'express';
import { walk } from '../auth/access.ts';
import { authenticate } from '../auth/authenticate.ts';
import { isAllowed, refusals } from '../auth/gate.ts';
import { badRequest, forbidden, methodNotAllowed, notFound } from '../errors.ts';
import { requestIdHeader, serviceKeyHeader, userTokenHeader } from '../headers.ts';
import { traverse } from '../tree/traverse.ts';
import { forbidStoring, sendJsonText, sendRevalidated } from './caching.ts';
import { refuseUnseen } from './hidden.ts';
import { createJsonBodyReader } from './json-body.ts';
import { typeOf } from './serialize.ts';
import type { Services } from './services.ts';
import type { Principal } from '../auth/permissions.ts';
import type { Staging } from '../model/staging.ts';
import type { Route, ViewRequest, ViewResponse } from './view.ts';

/** One request as the routes see it, from HTTP or from a batch. */
export interface RouteInput {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Read only once the gate let the request through, so that a refused request is not read at all. */
  readBody(): Promise<unknown>;
  header(name: string): string | undefined;
  principal: Principal;
  clientAddress: string;
  requestId: string;
  /** In a batch: the transaction every subrequest stages its writes in, and reads through. */
  staging?: Staging;
}

/**
 * Traverse, see, pick the view, check its permission, read the body, run: the same for every request,
 * whether it came over HTTP or inside a batch.
 */
export async function routeRequest(input: RouteInput, routes: readonly Route[], services: Services): Promise<ViewResponse> {
  const { registry, codec, storage } = services;
  const typeOfRecord = (record: Parameters<typeof typeOf>[1]) => typeOf(registry.resourceTypes, record);
  const traversal = await traverse(input.staging ?? storage, input.path);
  if (!traversal) throw notFound('path');
  // Whatever the view, nothing happens to or below a resource the caller may not see.
  const reach = walk(input.principal, traversal.lineage, typeOfRecord);
  if (reach.blocked) refuseUnseen(reach.blocked, codec);
  const access = reach.access;
  const type = typeOfRecord(traversal.context);
  const ofView = routes.filter((route) => route.view === traversal.view && (route.on === undefined || route.on === type.id));
  const [, subview, ...deeper] = traversal.subpath;
  const isSubview = subview !== undefined && deeper.length === 0 && ofView.some((route) => route.subview === subview);
  const here = ofView.filter((route) => route.subview === (isSubview ? subview : undefined));
  if (here.length === 0) throw notFound('path');
  const method = input.method === 'HEAD' ? 'GET' : input.method;
  const route = here.find((candidate) => candidate.method === method);
  if (!route) throw methodNotAllowed(input.method, allowedMethods(here));
  // A named view that acts (a login, a password reset) writes at once, outside any transaction: a batch,
  // which stores all or nothing, holds only requests on resources and views that read.
  if (input.staging && route.view !== undefined && route.method !== 'GET') throw badRequest('body', 'path', `${route.method} ${route.view} cannot be part of a batch; send it on its own`, 'not_in_batch');
  if (!isAllowed(route.permission, access, type, registry)) throw forbidden('path', refusals[route.permission]);

  const viewRequest: ViewRequest = {
    method,
    principal: input.principal,
    context: traversal.context,
    type,
    access,
    subpath: traversal.subpath,
    query: input.query,
    body: route.takesBody ? await input.readBody() : undefined,
    header: input.header,
    clientAddress: input.clientAddress,
    requestId: input.requestId,
    ...(input.staging ? { staging: input.staging } : {}),
  };
  return route.handler(viewRequest, services);
}

export function createDispatcher(routes: readonly Route[], services: Services): RequestHandler {
  const { config, sessions, storage, passwords, serviceKeys } = services;
  const readJsonBody = createJsonBodyReader({ limitBytes: config.bodyLimitBytes, maxDepth: config.maxJsonDepth });

  return async (request: Request, response: Response) => {
    const clientAddress = request.socket.remoteAddress ?? 'unknown';
    const requestId = String(response.getHeader(requestIdHeader) ?? '');
    const principal = await authenticate(
      { token: request.get(userTokenHeader), serviceKey: request.get(serviceKeyHeader), origin: request.get('Origin'), address: clientAddress, requestId },
      { sessions, storage, passwords, serviceKeys },
    );
    response.locals.account = principal.userPath;
    response.locals.service = principal.service;
    const result = await routeRequest(
      {
        method: request.method,
        path: request.path,
        query: readQuery(request),
        readBody: () => readJsonBody(request, response),
        header: (name) => request.get(name),
        principal,
        clientAddress,
        requestId,
      },
      routes,
      services,
    );
    const status = result.status ?? 200;
    response.status(status);
    if (result.headers) response.set(result.headers);
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (method === 'GET' && status === 200) return sendRevalidated(request, response, result.body ?? {}, principal.userPath !== undefined);
    forbidStoring(response);
    sendJsonText(response, JSON.stringify(result.body ?? {}));
  };
}

function allowedMethods(routes: readonly Route[]): string[] {
  const methods = new Set<string>(routes.map((route) => route.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods];
}

/** Query values as single strings; a repeated parameter keeps its last value. */
function readQuery(request: Request): Record<string, string> {
  // No prototype, so that a parameter named __proto__ is only a parameter.
  const query = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(request.originalUrl.split('?')[1] ?? '')) query[name] = value;
  return query;
}
