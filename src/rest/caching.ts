// HTTP caching of GET answers: a weak ETag of the answer, 304 to If-None-Match, Cache-Control as in Adhocracy 3's no_cache mode.
import { hash } from 'node:crypto';
import type { Request, Response } from 'express';
import { cachingModeHeader, userTokenHeader } from '../headers.ts';

/**
 * Adhocracy 3's default mode: caches may keep an answer but must ask every time (where the tag then
 * saves the body). Its other modes let caches serve answers unasked and need the server to purge a
 * proxy on every change, which this server does not do.
 */
const cachingMode = 'no_cache';

/**
 * The tag is a hash of the answer itself, so it changes whenever what is served changes: the
 * resource, what a pool lists and counts below it, or what the caller may see. A tag from revisions
 * would spare building the answer, but would have to cover every element, the caller's roles at every
 * level and what is hidden below; this one is exact and costs about a millisecond per megabyte.
 */
export function weakTagOf(text: string): string {
  return `W/"${hash('sha256', text, 'base64url').slice(0, 27)}"`;
}

/** Sends a GET answer with its validator, or 304 Not Modified without a body when the client has it already. */
export function sendRevalidated(request: Request, response: Response, body: unknown, isPrivate: boolean): void {
  const text = JSON.stringify(body);
  // Plain header writes: express's set() and type() look up and rewrite what needs no lookup here.
  response.setHeader('ETag', weakTagOf(text));
  // Served to a token holder, it is that caller's alone: no shared cache may keep it.
  response.setHeader('Cache-Control', isPrivate ? 'private, no-cache' : 'no-cache');
  response.vary(userTokenHeader);
  response.setHeader(cachingModeHeader, cachingMode);
  // Only a request that holds a tag can be answered 304; the others need not be checked.
  if (request.headers['if-none-match'] !== undefined && request.fresh) {
    response.status(304).end();
    return;
  }
  sendJsonText(response, text);
}

/** A JSON answer's body, with the status and headers set before. */
export function sendJsonText(response: Response, text: string): void {
  // Node's own end(): given a string, it sends the head and the body in one write, where express's send()
  // would make a buffer of the body, write the two apart, and work out freshness once more.
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.end(text);
}

/** Answers that must never be stored: errors, and whatever a method other than GET answers (tokens among them). */
export function forbidStoring(response: Response): void {
  response.set('Cache-Control', 'no-store');
}
