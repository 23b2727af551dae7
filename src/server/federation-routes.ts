/**
 * Console sign-in through an identity provider over plain HTTP redirects (the browser, not the
 * console's GraphQL client, follows them):
 * - GET /federation/oidc/start?account=<id or alias>&provider=<id from signInProviders> sends the
 *   browser to the provider, with the PKCE verifier in an HttpOnly cookie scoped to these paths;
 * - GET /federation/oidc/callback (the redirect URI to register at the provider) verifies the
 *   answer and sends the browser to the console with a one-time code in the URL fragment
 *   (`/#federated-sign-in=<code>`), which the console exchanges with completeFederatedSignIn; a
 *   refusal goes to `/#federated-sign-in-error=<reason>`.
 * - GET /federation/saml/start?account=…&provider=… sends the browser to a SAML provider's single
 *   sign-on URL with an AuthnRequest (HTTP-Redirect binding; saml-sign-in.ts);
 * - POST /saml, the assertion consumer service (SAML_RECIPIENT names it), takes the IdP's
 *   HTTP-POST response, SP- or IdP-initiated, at most MAX_ACS_BODY_BYTES, and sends the browser
 *   to the console with a one-time code as the OIDC callback does.
 * All are anonymous (the provider's answer is the credential), rate limited per client address
 * like anonymous GraphQL, and never cached.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from '../clock.ts';
import { FederatedSignInFailedError } from '../sts/sign-in-codes.ts';
import { beginOidcSignIn, finishOidcSignIn, PENDING_SECONDS } from '../sts/oidc-sign-in.ts';
import { beginSamlSignIn, finishSamlSignIn } from '../sts/saml-sign-in.ts';
import { MAX_SAML_RESPONSE_CHARS } from '../sts/saml-verify.ts';
import { readBody, schemeOf } from './authzen-routes.ts';
import { requestFacts } from './context.ts';
import { sendJson } from './health.ts';
import { rateLimitKey, type Limiter } from './rate-limit.ts';
import type { RequestScope } from './request-scope.ts';

/** The paths, and the redirect URI to register at the provider (on this server's origin). */
export const FEDERATION_PATHS = {
  oidcStart: '/federation/oidc/start',
  oidcCallback: '/federation/oidc/callback',
  samlStart: '/federation/saml/start',
  samlAcs: '/saml',
} as const;

/**
 * Largest body the assertion consumer service reads: a SAMLResponse of MAX_SAML_RESPONSE_CHARS
 * base64 characters, each percent-encoded at worst, and a RelayState.
 */
export const MAX_ACS_BODY_BYTES = 3 * MAX_SAML_RESPONSE_CHARS + 8192;

const VERIFIER_COOKIE = 'portcullis_oidc_pkce';
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** What the routes use, built once by createApp. */
export interface FederationRouteServices {
  readonly config: Pick<Config, 'trustedProxies' | 'samlAudience' | 'samlRecipient' | 'samlSigningKey' | 'samlDecryptionKey'>;
  readonly database: Database;
  readonly rateLimiter: Limiter;
  readonly clock: Clock;
}

type Route = (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => Promise<void>;

/** A 302 (303 after a POST) that no cache keeps. */
function redirect(res: ServerResponse, location: string, cookie?: string, status = 302): void {
  const headers: Record<string, string> = { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
  if (cookie !== undefined) headers['set-cookie'] = cookie;
  res.writeHead(status, headers);
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

/** `method` only, within the client address's rate limit; answers and returns false otherwise. */
async function admitted(req: IncomingMessage, res: ServerResponse, services: FederationRouteServices, method: 'GET' | 'POST' = 'GET'): Promise<boolean> {
  if (req.method !== method) {
    res.setHeader('allow', method);
    sendJson(res, 405, { error: `this path accepts ${method} only` });
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

/** Sends the browser back to the console's sign-in page with the refusal's reason (clearing the OIDC cookie when given). */
function refused(res: ServerResponse, error: unknown, cookie?: string, status = 302): void {
  if (!(error instanceof FederatedSignInFailedError)) throw error;
  redirect(res, `/#federated-sign-in-error=${encodeURIComponent(error.reason)}`, cookie, status);
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
      refused(res, error, verifierCookie(undefined, secure));
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
      refused(res, error, verifierCookie(undefined, secure));
    }
  };
  const sp = { audience: services.config.samlAudience, recipient: services.config.samlRecipient, signingKey: services.config.samlSigningKey, decryptionKey: services.config.samlDecryptionKey };
  const samlStart: Route = async (req, res) => {
    if (!(await admitted(req, res, services))) return;
    const query = new URL(req.url ?? '/', 'http://local').searchParams;
    try {
      const location = await beginSamlSignIn(services.database, {
        account: (query.get('account') ?? '').trim(),
        providerId: query.get('provider') ?? '',
        sp,
        facts: requestFacts(req, services.config.trustedProxies),
        now: new Date(services.clock.now()),
      });
      redirect(res, location);
    } catch (error) {
      refused(res, error);
    }
  };
  const acs: Route = async (req, res) => {
    if (!(await admitted(req, res, services, 'POST'))) return;
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      req.resume();
      sendJson(res, 415, { error: 'the SAML endpoint takes the HTTP-POST binding: an application/x-www-form-urlencoded form with SAMLResponse' });
      return;
    }
    const body = await readBody(req, res, MAX_ACS_BODY_BYTES);
    if (body === undefined) return;
    const samlResponse = new URLSearchParams(body).get('SAMLResponse');
    if (samlResponse === null || samlResponse === '') {
      sendJson(res, 400, { error: 'the form has no SAMLResponse field' });
      return;
    }
    try {
      const code = await finishSamlSignIn(services.database, {
        samlResponse,
        sp,
        facts: requestFacts(req, services.config.trustedProxies),
        now: new Date(services.clock.now()),
      });
      redirect(res, `/#federated-sign-in=${code}`, undefined, 303);
    } catch (error) {
      refused(res, error, undefined, 303);
    }
  };
  return [
    [FEDERATION_PATHS.oidcStart, start],
    [FEDERATION_PATHS.oidcCallback, callback],
    [FEDERATION_PATHS.samlStart, samlStart],
    [FEDERATION_PATHS.samlAcs, acs],
  ];
}
