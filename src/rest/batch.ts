// POST /batch: several requests as one transaction, with preliminary paths; all of them are stored, or none.
import { ApiError, badRequest, type ErrorDetail } from '../errors.ts';
import { userPasswordHeader } from '../headers.ts';
import { emptyUpdate, nameSheet } from '../model/resources.ts';
import { isPlainObject } from '../model/sheet-input.ts';
import { AlreadyExistsError, RevisionConflictError } from '../storage/storage.ts';
import { childPath, type PathCodec } from '../tree/path.ts';
import { routeRequest } from './dispatch.ts';
import { serializeUpdated } from './serialize.ts';
import type { Route, View } from './view.ts';

/** What one subrequest says: a method, a path (or a preliminary path), a body, and names for what it creates. */
interface Subrequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body: unknown;
  resultPath?: string;
  resultFirstVersionPath?: string;
}

const methods = ['GET', 'POST', 'PUT'] as const;
const preliminary = /^@[A-Za-z0-9_./-]{1,200}$/;

/** Every member of the list checked, or a 400 naming the first that is wrong. */
function readSubrequests(body: unknown, max: number): Subrequest[] {
  if (!Array.isArray(body)) throw badRequest('body', 'body', 'A batch is a list of requests', 'not_a_list');
  if (body.length > max) throw badRequest('body', 'body', `A batch holds at most ${max} requests`, 'too_many_requests');
  return body.map((item: unknown, index) => {
    const at = (member: string) => `${index}.${member}`;
    if (!isPlainObject(item)) throw badRequest('body', String(index), 'Each request is an object', 'not_an_object');
    for (const key of Object.keys(item)) {
      if (!['method', 'path', 'body', 'result_path', 'result_first_version_path'].includes(key)) throw badRequest('body', at(key), `${key} is not a known member`, 'unknown_member');
    }
    const { method, path, result_path: resultPath, result_first_version_path: resultFirstVersionPath } = item;
    if (typeof method !== 'string' || !(methods as readonly string[]).includes(method)) {
      throw badRequest('body', at('method'), `method must be one of ${methods.join(', ')}`);
    }
    if (typeof path !== 'string' || path === '') throw badRequest('body', at('path'), 'path must be a path, a URL or a preliminary path');
    for (const [name, value] of [['result_path', resultPath], ['result_first_version_path', resultFirstVersionPath]] as const) {
      if (value !== undefined && value !== '' && (typeof value !== 'string' || !preliminary.test(value))) {
        throw badRequest('body', at(name), `${name} must be a preliminary path such as @paragraph`);
      }
    }
    return {
      method: method as Subrequest['method'],
      path,
      body: item.body,
      ...(typeof resultPath === 'string' && resultPath !== '' ? { resultPath } : {}),
      ...(typeof resultFirstVersionPath === 'string' && resultFirstVersionPath !== '' ? { resultFirstVersionPath } : {}),
    };
  });
}

/** The children that the batch's POSTs name, under pools given by path or URL (not preliminary paths, which exist only later). */
function namedChildrenOf(subrequests: readonly Subrequest[], codec: PathCodec): string[] {
  return subrequests.flatMap(({ method, path: target, body }) => {
    const name = isPlainObject(body) && isPlainObject(body.data) && isPlainObject(body.data[nameSheet]) ? body.data[nameSheet].name : undefined;
    if (method !== 'POST' || typeof name !== 'string' || target.startsWith('@')) return [];
    const pool = (target.startsWith('/') ? target : codec.fromReference(target))?.split('?')[0];
    return pool === undefined ? [] : [childPath(pool.endsWith('/') ? pool : `${pool}/`, name)];
  });
}

/** A copy of a JSON value with every string that is a known preliminary path replaced by its URL. */
function resolvePreliminary(value: unknown, paths: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return paths.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => resolvePreliminary(item, paths));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolvePreliminary(item, paths)]));
  return value;
}

/**
 * Runs the subrequests in order, each authorized as the caller, all staged in one transaction: the
 * first that fails ends the batch, and nothing of it is stored. Otherwise everything is stored at once,
 * with one time for every date, and the answer lists each response and what the batch touched.
 */
export function createBatchView(routes: () => readonly Route[]): View {
  return async (request, services) => {
    const { resources, codec, config } = services;
    const subrequests = readSubrequests(request.body, config.batchMaxRequests);
    const staging = resources.begin();
    // Each POST naming its child looks for that name first: all of them in one read (over CouchDB, one request instead of one each).
    await staging.readMany(namedChildrenOf(subrequests, codec));
    const paths = new Map<string, string>();
    const responses: { code: number; body: unknown }[] = [];
    const failed = (error: ApiError) => {
      responses.push({ code: error.status, body: { status: 'error', errors: error.errors, ...error.extra } });
      return error;
    };
    for (const [index, subrequest] of subrequests.entries()) {
      const target = paths.get(subrequest.path) ?? subrequest.path;
      const path = target.startsWith('/') ? target : codec.fromReference(target);
      let answer: { status?: number; body?: unknown };
      try {
        if (path === undefined) throw badRequest('body', 'path', `${subrequest.path} is neither a path nor a preliminary path made earlier in this batch`);
        const [pathOnly, search = ''] = path.split('?') as [string, string?];
        if (pathOnly.replace(/\/+$/, '').endsWith('/batch')) throw badRequest('body', 'path', 'A batch cannot hold another batch');
        answer = await routeRequest(
          {
            method: subrequest.method,
            path: pathOnly,
            query: Object.fromEntries(new URLSearchParams(search)),
            readBody: async () => resolvePreliminary(subrequest.body, paths),
            // The current password, for a change that needs it, is the batch's own.
            header: (name) => (name.toLowerCase() === userPasswordHeader.toLowerCase() ? request.header(userPasswordHeader) : undefined),
            principal: request.principal,
            clientAddress: request.clientAddress,
            requestId: request.requestId,
            staging,
          },
          routes(),
          services,
        );
      } catch (error) {
        await staging.abandon();
        if (!(error instanceof ApiError)) throw error;
        failed(error);
        return {
          status: error.status,
          body: { status: 'error', errors: errorsOf(error, index), responses, updated_resources: serializeUpdated(emptyUpdate(), codec) },
        };
      }
      const body = { ...(answer.body as Record<string, unknown>) };
      delete body.updated_resources;
      responses.push({ code: answer.status ?? 200, body });
      if (subrequest.resultPath && typeof body.path === 'string') paths.set(subrequest.resultPath, body.path);
      if (subrequest.resultFirstVersionPath && typeof body.first_version_path === 'string') paths.set(subrequest.resultFirstVersionPath, body.first_version_path);
    }
    try {
      await staging.commit();
    } catch (error) {
      if (!(error instanceof AlreadyExistsError || error instanceof RevisionConflictError)) throw error;
      // Somebody else changed what the batch read: nothing of it was stored.
      throw new ApiError(409, [{ location: 'body', name: 'body', description: 'What the batch read was changed meanwhile; nothing was stored, try again', code: 'conflict' }]);
    }
    return { body: { responses, updated_resources: serializeUpdated(await resources.updatedBy(staging), codec) } };
  };
}

/** The failed subrequest's errors, each named with its place in the batch. */
function errorsOf(error: ApiError, index: number): ErrorDetail[] {
  return error.errors.map((detail) => ({ ...detail, name: `${index}.${detail.name}` }));
}
