/**
 * Serves the built dashboard (dist/web, produced by `npm run build:web`) at `/`: files with their
 * content types, long-lived caching for Vite's content-hashed assets, revalidation for the rest,
 * gzip when the client accepts it, and index.html for the dashboard's own routes (SPA fallback).
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sendJson } from './health.ts';

/** Where `vite build` writes the dashboard (see vite.config.ts). */
export const DASHBOARD_DIRECTORY = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Content types by file extension; anything else is served as bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Text formats worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

// Vite names every file under assets/ after a hash of its content, so a name never changes meaning.
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
// index.html (and unhashed files) must be revalidated so a rebuilt dashboard is picked up at once.
const REVALIDATE_CACHE = 'no-cache';

// The bundle loads scripts and styles from its own origin only and talks to /graphql on it
// (HTTP and WebSocket); React sets inline styles through the DOM, which 'unsafe-inline' covers.
// 'self' covers same-host WebSockets in current browsers; older Safari needs them spelled out.
function contentSecurityPolicy(host: string | undefined): string {
  const sameHostSockets = host !== undefined && /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${sameHostSockets}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** One file as served: bytes, their gzip form (when worth it), and validators. */
interface CachedFile {
  readonly key: string;
  readonly body: Buffer;
  readonly gzipped: Buffer | undefined;
  readonly etag: string;
}

/** Serves GET/HEAD requests the router does not know; answers 404 (JSON) for everything else. */
export type DashboardHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void>;

/**
 * Creates the dashboard handler over `directory`. Files are read on demand and cached by
 * modification time, so a rebuild while the server runs is served without a restart.
 */
export function createDashboardHandler(directory: string = DASHBOARD_DIRECTORY): DashboardHandler {
  const root = path.resolve(directory);
  const cache = new Map<string, CachedFile>();

  const load = async (file: string): Promise<CachedFile | undefined> => {
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) return undefined;
    const key = `${info.size}-${Math.trunc(info.mtimeMs)}`;
    const cached = cache.get(file);
    if (cached !== undefined && cached.key === key) return cached;
    const body = await readFile(file);
    const compressible = COMPRESSIBLE.has(path.extname(file)) && body.length > 512;
    const entry: CachedFile = { key, body, gzipped: compressible ? gzipSync(body) : undefined, etag: `W/"${key}"` };
    cache.set(file, entry);
    return entry;
  };

  return async (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res, pathname);
    const file = resolveInside(root, pathname);
    if (file === undefined) return notFound(res, pathname);

    const direct = pathname.endsWith('/') ? undefined : await load(file);
    if (direct !== undefined) {
      const immutable = pathname.startsWith('/assets/');
      return send(req, res, direct, contentTypeOf(file), immutable ? IMMUTABLE_CACHE : REVALIDATE_CACHE);
    }
    // The dashboard's routes (/users/alice, /policies, …) are pages, not files: browsers asking
    // for a page get index.html and the client-side router takes over. Other clients keep the
    // API's JSON 404, and a missing asset stays a 404 rather than becoming HTML.
    if (!isPageRequest(req, pathname)) return notFound(res, pathname);
    const index = await load(path.join(root, 'index.html'));
    if (index === undefined) return notBuilt(res);
    return send(req, res, index, CONTENT_TYPES['.html']!, REVALIDATE_CACHE);
  };
}

/** The file a URL path names inside `root`, or undefined when it is malformed or escapes root. */
function resolveInside(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  return file === root || file.startsWith(root + path.sep) ? file : undefined;
}

/**
 * `/` and any path a browser navigates to (it asks for text/html) are dashboard pages, dots and
 * all (`/users/alice.smith`); only hashed assets never fall back to the page.
 */
function isPageRequest(req: IncomingMessage, pathname: string): boolean {
  if (pathname === '/') return true;
  return !pathname.startsWith('/assets/') && (req.headers.accept ?? '').includes('text/html');
}

/** The content type for a file name. */
function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Writes a cached file, honouring If-None-Match and Accept-Encoding. */
function send(req: IncomingMessage, res: ServerResponse, file: CachedFile, contentType: string, cacheControl: string): void {
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'cache-control': cacheControl,
    etag: file.etag,
    'x-content-type-options': 'nosniff',
  };
  if (contentType.startsWith('text/html')) {
    headers['content-security-policy'] = contentSecurityPolicy(req.headers.host);
    headers['referrer-policy'] = 'no-referrer';
  }
  if (file.gzipped !== undefined) headers.vary = 'accept-encoding';
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = file.gzipped !== undefined && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? file.gzipped! : file.body;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The API's JSON 404, unchanged for non-dashboard paths. */
function notFound(res: ServerResponse, pathname: string): void {
  sendJson(res, 404, { error: 'not found', path: pathname });
}

/** Shown instead of the dashboard when dist/web has not been built. */
function notBuilt(res: ServerResponse): void {
  const text =
    '<!doctype html><meta charset="utf-8"><title>Portcullis</title>' +
    '<p>The dashboard has not been built. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) ' +
    'and reload. The GraphQL API is at <a href="/graphql">/graphql</a>.</p>';
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '5' });
  res.end(text);
}
