// Reading a JSON body: size limit before reading, content type, strict UTF-8, nesting depth, duplicate and forbidden keys.
import type { Request, Response } from 'express';
import { ApiError, badRequest, type ErrorCode } from '../errors.ts';

const jsonTypes = ['application/json', 'application/*+json'];
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** With the u flag, only a surrogate that is not part of a pair is a code point of its own. */
const loneSurrogate = /\p{Surrogate}/u;

/** Keys that would reach an object's prototype, or that PouchDB reserves (a leading `_`). */
function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype' || key.startsWith('_');
}

const bodyError = (description: string, code: ErrorCode, name = 'body') => badRequest('body', name, description, code);
const unsupported = (name: string, description: string, code: ErrorCode) =>
  new ApiError(415, [{ location: 'header', name, description, code }]);

export function createJsonBodyReader(options: { limitBytes: number; maxDepth: number }) {
  /** Resolves to the parsed body, or undefined when the request has none. */
  return async function readJsonBody(request: Request, response: Response): Promise<unknown> {
    const hasBody = request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] ?? '0') !== '0';
    if (!hasBody) return undefined;
    if (!request.is(jsonTypes)) {
      throw unsupported('Content-Type', 'The body must be JSON (Content-Type: application/json)', 'unsupported_media_type');
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw unsupported('Content-Type', 'The body must be UTF-8 JSON', 'unsupported_charset');
    }
    // Compressed bodies would make the size limit a limit on the compressed size: a small bomb, a large body.
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
      throw unsupported('Content-Encoding', 'The body must not be compressed', 'unsupported_encoding');
    }
    const bytes = await readBytes(request, response, options.limitBytes);
    let text: string;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      throw bodyError('The body is not valid UTF-8', 'invalid_utf8');
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw bodyError(`The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, 'malformed_json');
    }
    if (typeof body !== 'object' || body === null) throw bodyError('The body must be a JSON object', 'malformed_json');
    checkShape(body, options.maxDepth);
    // Parsers disagree on which of two equal keys wins; a body that means different things to different readers is refused.
    const duplicate = findDuplicateKey(text);
    if (duplicate) throw bodyError(`${JSON.stringify(duplicate.key)} appears twice in one object`, 'duplicate_key', duplicate.path);
    return body;
  };
}

/**
 * Reads the body into memory up to the limit. A declared or actual size beyond it is refused at once,
 * without reading the rest, and the connection is closed after the answer, so that a client sending
 * for ever holds neither memory nor the server's attention.
 */
function readBytes(request: Request, response: Response, limit: number): Promise<Uint8Array> {
  const tooLarge = () => {
    response.set('Connection', 'close');
    return new ApiError(413, [{ location: 'body', name: 'body', description: `The body is larger than ${limit} bytes`, code: 'too_large' }]);
  };
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stop = (error?: ApiError) => {
      request.off('data', onData).off('end', onEnd).off('error', onIncomplete).off('close', onIncomplete);
      if (error) {
        request.pause();
        reject(error);
      } else {
        resolve(concatenate(chunks, size));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(tooLarge());
      chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    };
    const onEnd = () => stop();
    // A connection closed before the end of the body: nobody reads the answer, but the view must not run.
    const onIncomplete = () => stop(bodyError('The body was incomplete', 'incomplete_body'));
    request.on('data', onData).on('end', onEnd).on('error', onIncomplete).on('close', onIncomplete);
  });
}

function concatenate(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Walks the parsed value without recursion, so that depth itself cannot overflow the stack. Every
 * string and key must be well-formed Unicode: a lone surrogate would be stored differently than read.
 */
function checkShape(root: unknown, maxDepth: number): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string' && loneSurrogate.test(value)) {
      throw bodyError('The body holds a string that is not valid Unicode (a lone surrogate)', 'invalid_unicode', path || 'body');
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) throw bodyError(`The body is nested deeper than ${maxDepth} levels`, 'too_deep', path || 'body');
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: `${path}${path ? '.' : ''}${index}`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const itemPath = path ? `${path}.${key}` : key;
      if (loneSurrogate.test(key)) throw bodyError('The body holds a key that is not valid Unicode (a lone surrogate)', 'invalid_unicode', path || 'body');
      if (isForbiddenKey(key)) throw bodyError(`${JSON.stringify(key)} is not allowed as a key`, 'forbidden_key', itemPath);
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
}

/**
 * The first key that occurs twice in one object of `text`, which must be valid JSON, with its dotted
 * path; one pass, no recursion.
 */
export function findDuplicateKey(text: string): { key: string; path: string } | undefined {
  // One entry per open object (its keys so far, and the member being read) or array (the item's index).
  const open: ({ keys: Set<string>; member: string } | { index: number })[] = [];
  let expectingKey = false;
  for (let position = 0; position < text.length; position += 1) {
    const char = text[position];
    const top = open.at(-1);
    if (char === '"') {
      let end = position + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (expectingKey && top && 'keys' in top) {
        const key = JSON.parse(text.slice(position, end + 1)) as string;
        if (top.keys.has(key)) {
          const path = [...open.slice(0, -1).map((entry) => ('keys' in entry ? entry.member : String(entry.index))), key].join('.');
          return { key, path };
        }
        top.keys.add(key);
        top.member = key;
        expectingKey = false;
      }
      position = end;
    } else if (char === '{') {
      open.push({ keys: new Set(), member: '' });
      expectingKey = true;
    } else if (char === '[') {
      open.push({ index: 0 });
    } else if (char === '}' || char === ']') {
      open.pop();
      expectingKey = false;
    } else if (char === ',') {
      if (top && 'index' in top) top.index += 1;
      expectingKey = top !== undefined && 'keys' in top;
    }
  }
  return undefined;
}
