/**
 * The console's session cookie. A sign-in mutation (password sign-in, and any federated exchange
 * that issues a console session) calls `context.consoleSession.start(credentials)`; the response
 * then sets an HttpOnly, SameSite=Strict cookie holding the session token, which page scripts can
 * never read, and which every tab of the browser shares. `context.consoleSession.end()` (sign-out)
 * clears it.
 *
 * The cookie is a credential only where a cross-site page cannot forge a request with it:
 * - HTTP: only with the `X-Portcullis-Console: 1` header, which no form or simple cross-site
 *   request can send (a cross-origin fetch with it needs a CORS preflight, and CORS never allows
 *   credentials). Without the header the cookie is ignored and the request is anonymous.
 * - WebSocket (browsers send cookies on the upgrade, and WebSockets have no CORS): only when the
 *   upgrade's Origin is this server's own origin or one of CORS_ORIGINS, and only when the
 *   connection_init payload names no credential of its own.
 * An explicit Authorization header (or connection_init credential) always wins over the cookie.
 */
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { ConsoleSessionHook, ConsoleSessionCredentials } from '../graphql/context.ts';

/** The cookie's name. */
export const CONSOLE_SESSION_COOKIE = 'portcullis_session';

/** The header the console sends with every HTTP request, to make its cookie count (CSRF defence). */
export const CONSOLE_REQUEST_HEADER = 'x-portcullis-console';

/**
 * The path the cookie is sent to: the whole origin, because the console also posts to routes beside
 * /graphql (the authorization-details upload). Sending it is harmless where it is not adopted: only
 * routes that call adoptConsoleCookie (GraphQL, the upload) or the WebSocket upgrade ever read it.
 */
const COOKIE_PATH = '/';

/** The session token in a Cookie header, if any (the first cookie of our name). */
export function sessionTokenFromCookies(header: string | readonly string[] | undefined | null): string | undefined {
  if (header === undefined || header === null) return undefined;
  const text = typeof header === 'string' ? header : header.join('; ');
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== CONSOLE_SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    // Tokens are URL-safe; anything else was not set by us.
    return /^[A-Za-z0-9._~+/=-]{1,512}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * At the HTTP edge: a console request (with CONSOLE_REQUEST_HEADER) that carries the cookie and no
 * Authorization header is authenticated by the cookie, as if it had sent `Bearer <token>`; every
 * later stage (rate limit, authentication, subscriptions' credential watch) then sees one header.
 */
export function adoptConsoleCookie(req: IncomingMessage): void {
  if (req.headers.authorization !== undefined) return;
  if (req.headers[CONSOLE_REQUEST_HEADER] !== '1') return;
  const token = sessionTokenFromCookies(req.headers.cookie);
  if (token !== undefined) req.headers.authorization = `Bearer ${token}`;
}

/**
 * The credential a WebSocket upgrade's cookie carries, when its Origin may use it: the server's
 * own origin (Host header, http or https) or one of `allowedOrigins`. Undefined otherwise.
 */
export function websocketCookieAuthorization(req: IncomingMessage | undefined, allowedOrigins: readonly string[]): string | undefined {
  if (req === undefined) return undefined;
  const token = sessionTokenFromCookies(req.headers.cookie);
  if (token === undefined) return undefined;
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (origin === undefined || host === undefined) return undefined;
  const sameOrigin = origin === `http://${host}` || origin === `https://${host}`;
  return sameOrigin || allowedOrigins.includes(origin) ? `Bearer ${token}` : undefined;
}

/** Set-Cookie values waiting for each request's response. */
const pendingCookies = new WeakMap<Request, string[]>();

/**
 * The hook a request's resolvers use; `secure` adds the Secure attribute (the client came over
 * TLS); `now` is the app's clock, which sessions expire by. In-process and WebSocket operations have no HTTP response to carry a cookie: the calls
 * are then ignored, and the mutation's own result still returns the token.
 */
export function consoleSessionHook(request: Request | undefined, secure: boolean, now: () => number): ConsoleSessionHook {
  const queue = (cookie: string): void => {
    if (request === undefined) return;
    const list = pendingCookies.get(request) ?? [];
    list.push(cookie);
    pendingCookies.set(request, list);
  };
  const attributes = `Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  return {
    start: (credentials: ConsoleSessionCredentials) => {
      const expires = credentials.expiration;
      const maxAge = Math.max(0, Math.floor((expires.getTime() - now()) / 1000));
      queue(`${CONSOLE_SESSION_COOKIE}=${credentials.sessionToken}; ${attributes}; Max-Age=${maxAge}; Expires=${expires.toUTCString()}`);
    },
    end: () => {
      queue(`${CONSOLE_SESSION_COOKIE}=; ${attributes}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`);
    },
  };
}

/** Yoga plugin writing the Set-Cookie headers a request's resolvers asked for onto its response. */
export function useConsoleSessionCookies(): Plugin {
  return {
    onResponse({ request, response }) {
      const cookies = pendingCookies.get(request);
      if (cookies === undefined) return;
      pendingCookies.delete(request);
      for (const cookie of cookies) response.headers.append('set-cookie', cookie);
      // A response that sets a credential must never be stored by a shared cache.
      response.headers.set('cache-control', 'no-store');
    },
  };
}
