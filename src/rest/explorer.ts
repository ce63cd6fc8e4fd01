// Serves the explorer page (src/explorer/: plain HTML and ES modules, no build step) at /explorer/, under a strict content security policy.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';

/** The name the page is served under, below the root; no child may take it. */
export const explorerName = 'explorer';

const explorerDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'explorer');

// Only the page's own scripts, styles and API calls: nothing inline, nothing from elsewhere, no framing.
const securityHeaders = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export function serveExplorer(): RequestHandler {
  const files = express.static(explorerDirectory, {
    index: 'index.html',
    redirect: true,
    setHeaders: (response) => response.set({ ...securityHeaders, 'Cache-Control': 'no-cache' }),
  });
  const mount = `/${explorerName}`;
  const router = express.Router();
  router.use(mount, (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    response.set(securityHeaders);
    files(request, response, next);
  });
  // Every API request passes by: it is waved on without entering the router, which would match it again
  // (as the router does, without regard to case).
  return (request, response, next) => {
    const path = request.path.toLowerCase();
    return path === mount || path.startsWith(`${mount}/`) ? router(request, response, next) : next();
  };
}
