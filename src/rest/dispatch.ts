// Every request's path through the API: authenticate, traverse, see, pick the view, check its permission, read the body, run, send (GET revalidatable).
import type { Request, RequestHandler, Response } from 'express';
import { walk } from '../auth/access.ts';
import { authenticate } from '../auth/authenticate.ts';
import { isAllowed, refusals } from '../auth/gate.ts';
import { forbidden, methodNotAllowed, notFound } from '../errors.ts';
import { requestIdHeader, userTokenHeader } from '../headers.ts';
import { traverse } from '../tree/traverse.ts';
import { forbidStoring, sendRevalidated } from './caching.ts';
import { refuseUnseen } from './hidden.ts';
import { createJsonBodyReader } from './json-body.ts';
import type { Route } from './routes.ts';
import { typeOf } from './serialize.ts';
import type { Services } from './services.ts';
import type { ViewRequest } from './view.ts';

export function createDispatcher(routes: readonly Route[], services: Services): RequestHandler {
  const { config, sessions, storage, registry, codec, passwords } = services;
  const readJsonBody = createJsonBodyReader({ limitBytes: config.bodyLimitBytes, maxDepth: config.maxJsonDepth });
  const typeOfRecord = (record: Parameters<typeof typeOf>[1]) => typeOf(registry.resourceTypes, record);

  return async (request: Request, response: Response) => {
    const principal = await authenticate(request.get(userTokenHeader), { sessions, storage, passwords });
    response.locals.account = principal.userPath;

    const traversal = await traverse(storage, request.path);
    if (!traversal) throw notFound('path');
    // Whatever the view, nothing happens to or below a resource the caller may not see.
    const reach = walk(principal, traversal.lineage, typeOfRecord);
    if (reach.blocked) refuseUnseen(reach.blocked, codec);
    const access = reach.access;
    const type = typeOfRecord(traversal.context);
    const here = routes.filter((route) => route.view === traversal.view && (route.on === undefined || route.on === type.id));
    if (here.length === 0) throw notFound('path');
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const route = here.find((candidate) => candidate.method === method);
    if (!route) throw methodNotAllowed(request.method, allowedMethods(here));
    if (!isAllowed(route.permission, access, type, registry)) throw forbidden('path', refusals[route.permission]);

    const viewRequest: ViewRequest = {
      method,
      principal,
      context: traversal.context,
      type,
      access,
      subpath: traversal.subpath,
      query: readQuery(request),
      body: route.takesBody ? await readJsonBody(request, response) : undefined,
      header: (name) => request.get(name),
      clientAddress: request.socket.remoteAddress ?? 'unknown',
      requestId: String(response.getHeader(requestIdHeader) ?? ''),
    };
    const result = await route.handler(viewRequest, services);
    const status = result.status ?? 200;
    response.status(status);
    if (result.headers) response.set(result.headers);
    if (method === 'GET' && status === 200) return sendRevalidated(request, response, result.body ?? {}, principal.userPath !== undefined);
    forbidStoring(response);
    response.json(result.body ?? {});
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
