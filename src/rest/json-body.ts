// Reading a JSON body: size limit before parsing, content type, nesting depth and keys no object may have.
import type { Request, Response } from 'express';
import express from 'express';
import { ApiError, badRequest } from '../errors.ts';

const jsonTypes = ['application/json', 'application/*+json'];

/** Keys that would reach an object's prototype, or that PouchDB reserves (a leading `_`). */
function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype' || key.startsWith('_');
}

export function createJsonBodyReader(options: { limitBytes: number; maxDepth: number }) {
  const parse = express.json({ limit: options.limitBytes, type: jsonTypes, strict: true });

  /** Resolves to the parsed body, or undefined when the request has none. */
  return async function readJsonBody(request: Request, response: Response): Promise<unknown> {
    const hasBody = request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] ?? '0') !== '0';
    if (!hasBody) return undefined;
    if (!request.is(jsonTypes)) {
      throw new ApiError(415, [
        { location: 'header', name: 'Content-Type', description: 'The body must be JSON (Content-Type: application/json)', code: 'unsupported_media_type' },
      ]);
    }
    await new Promise<void>((resolve, reject) => parse(request, response, (error?: unknown) => (error ? reject(error) : resolve())));
    checkShape(request.body, options.maxDepth);
    return request.body as unknown;
  };
}

/** Walks the parsed value without recursion, so that depth itself cannot overflow the stack. */
function checkShape(root: unknown, maxDepth: number): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) throw badRequest('body', path || 'body', `The body is nested deeper than ${maxDepth} levels`, 'too_deep');
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: `${path}${path ? '.' : ''}${index}`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const itemPath = path ? `${path}.${key}` : key;
      if (isForbiddenKey(key)) throw badRequest('body', itemPath, `${JSON.stringify(key)} is not allowed as a key`, 'forbidden_key');
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
}
