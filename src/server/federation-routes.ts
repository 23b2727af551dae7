/**
 * Console sign-in through an identity provider over plain HTTP redirects (the browser, not the
 * console's GraphQL client, follows them):
 * - GET /federation/oidc/start?account=<id or alias>&provider=<id from signInProviders> sends the
 *   browser to the provider, with the PKCE verifier in an HttpOnly cookie scoped to these paths;
 * - GET /federation/oidc/callback (the redirect URI to register at the provider) verifies the
 *   answer and sends the browser to the console with a one-time code in the URL fragment
 *   (`/#federated-sign-in=<code>`), which the console exchanges with completeFederatedSignIn; a
 *   refusal goes to `/#federated-sign-in-error=<reason>`.
 * Both are anonymous, rate limited per client address like anonymous GraphQL, and never cached.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from '../clock.ts';
import { FederatedSignInFailedError } from '../sts/federated-sign-in.ts';
import { beginOidcSignIn, finishOidcSignIn, PENDING_SECONDS } from '../sts/oidc-sign-in.ts';
import { schemeOf } from './authzen-routes.ts';
import { requestFacts } from './context.ts';
import { sendJson } from './health.ts';
import { rateLimitKey, type Limiter } from './rate-limit.ts';
import type { RequestScope } from './request-scope.ts';

/** The paths, and the redirect URI to register at the provider (on this server's origin). */
export const FEDERATION_PATHS = { oidcStart: '/federation/oidc/start', oidcCallback: '/federation/oidc/callback' } as const;

const VERIFIER_COOKIE = 'portcullis_oidc_pkce';
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** What the routes use, built once by createApp. */
export interface FederationRouteServices {
  readonly config: Pick<Config, 'trustedProxies'>;
  readonly database: Database;
  readonly rateLimiter: Limiter;
  readonly clock: Clock;
}

type Route = (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => Promise<void>;

/** A 302 that no cache keeps. */
function redirect(res: ServerResponse, location: string, cookie?: string): void {
  const headers: Record<string, string> = { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
  if (cookie !== undefined) headers['set-cookie'] = cookie;
  res.writeHead(302, headers);
  res.end();
}

/** The verifier cookie (or its removal, with `value` undefined). */
function verifierCookie(value: string | undefined, secure: boolean): string {
  const attributes = [`Path=/federation/oidc`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${value === undefined ? 0 : PENDING_SECONDS}`];
  if (secure) attributes.push('Secure');
  return [`${VERIFIER_COOKIE}=${value ?? ''}`, ...attributes].join('; ');
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || undefined;
  }
  return undefined;
}

/** GET only, within the client address's rate limit; answers and returns false otherwise. */
async function admitted(req: IncomingMessage, res: ServerResponse, services: FederationRouteServices): Promise<boolean> {
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    sendJson(res, 405, { error: 'this path accepts GET only' });
    return false;
  }
  const taken = await services.rateLimiter.take(rateLimitKey(undefined, requestFacts(req, services.config.trustedProxies).sourceIp));
  if (!taken.allowed) {
    res.setHeader('retry-after', String(taken.retryAfterSeconds));
    sendJson(res, 429, { error: 'rate limited' });
    return false;
  }
  return true;
}

/** Sends the browser back to the console's sign-in page with the refusal's reason. */
function refused(res: ServerResponse, error: unknown, secure: boolean): void {
  if (!(error instanceof FederatedSignInFailedError)) throw error;
  redirect(res, `/#federated-sign-in-error=${encodeURIComponent(error.reason)}`, verifierCookie(undefined, secure));
}

/** The federation routes by exact path. */
export function federationRoutes(services: FederationRouteServices): Array<[string, Route]> {
  const start: Route = async (req, res) => {
    if (!(await admitted(req, res, services))) return;
    const secure = schemeOf(req, services) === 'https';
    const host = req.headers.host ?? '';
    const query = new URL(req.url ?? '/', 'http://local').searchParams;
    if (!HOST.test(host)) {
      sendJson(res, 400, { error: 'the request has no usable Host header' });
      return;
    }
    try {
      const begun = await beginOidcSignIn(services.database, {
        account: (query.get('account') ?? '').trim(),
        providerId: query.get('provider') ?? '',
        redirectUri: `${secure ? 'https' : 'http'}://${host}${FEDERATION_PATHS.oidcCallback}`,
        facts: requestFacts(req, services.config.trustedProxies),
        now: new Date(services.clock.now()),
      });
      redirect(res, begun.authorizationUrl, verifierCookie(begun.codeVerifier, secure));
    } catch (error) {
      refused(res, error, secure);
    }
  };
  const callback: Route = async (req, res) => {
    if (!(await admitted(req, res, services))) return;
    const secure = schemeOf(req, services) === 'https';
    try {
      const code = await finishOidcSignIn(services.database, {
        callbackQuery: new URL(req.url ?? '/', 'http://local').searchParams,
        codeVerifier: cookieValue(req, VERIFIER_COOKIE),
        facts: requestFacts(req, services.config.trustedProxies),
        now: new Date(services.clock.now()),
      });
      redirect(res, `/#federated-sign-in=${code}`, verifierCookie(undefined, secure));
    } catch (error) {
      refused(res, error, secure);
    }
  };
  return [
    [FEDERATION_PATHS.oidcStart, start],
    [FEDERATION_PATHS.oidcCallback, callback],
  ];
}
