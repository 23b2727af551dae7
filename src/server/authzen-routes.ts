/**
 * AuthZEN over HTTP, on the API's port beside /graphql (src/authzen/ holds the protocol): the
 * POST endpoints under /access/v1/ and GET /.well-known/authzen-configuration. Each request gets
 * what a GraphQL request gets, without GraphQL: the outage gate, the per-credential rate limit,
 * the body size limit, authentication (Basic or Bearer, the same credential cache), a per-request
 * Decider sharing the process caches, and a line in the operation metrics. The caller's
 * `X-Request-ID` is echoed verbatim, as the spec requires.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AUTHZEN_ENDPOINTS, parseBody } from '../authzen/api.ts';
import { jsonTextOf } from '../authzen/json-text.ts';
import { pdpMetadata, AUTHZEN_PATHS } from '../authzen/metadata.ts';
import { errorMessage, errorStatus } from '../authzen/status.ts';
import type { AuthzRuntime } from '../authz/runtime.ts';
import type { Config } from '../config.ts';
import { UnauthenticatedError, ValidationError } from '../errors.ts';
import { clientAddress, reachedOverTls } from './client-address.ts';
import { requestFacts } from './context.ts';
import type { DatabaseMonitor } from './outage.ts';
import type { OperationMetrics } from './operation-metrics.ts';
import { rateLimitKey, type Limiter, type TakeResult } from './rate-limit.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';
import type { RequestScope } from './request-scope.ts';

/** What the AuthZEN routes use, built once by createApp. */
export interface AuthzenRouteServices {
  readonly config: Pick<Config, 'maxBodyBytes' | 'trustedProxies' | 'dbHealthIntervalMs'>;
  readonly authz: AuthzRuntime;
  readonly rateLimiter: Limiter;
  readonly outage: Pick<DatabaseMonitor, 'status'>;
  readonly operations: OperationMetrics;
}

/** Serves one path (the same shape as app.ts's routes). */
type Route = (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => Promise<void>;

const MEDIA_TYPE_JSON = /^application\/json\s*(;|$)/i;
/** A Host header worth naming in metadata: a host name or address and an optional port. */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The AuthZEN routes by exact path. */
export function authzenRoutes(services: AuthzenRouteServices): Array<[string, Route]> {
  const routes: Array<[string, Route]> = [...AUTHZEN_ENDPOINTS].map(([path, endpoint]) => [
    path,
    async (req, res, scope) => {
      echoRequestId(req, res);
      const started = performance.now();
      let failed = false;
      try {
        if (req.method !== 'POST') {
          res.setHeader('allow', 'POST');
          sendText(res, 405, `${path} accepts POST only`);
          return;
        }
        // Each step answers synchronously when it can (no refusal possible, a cached credential, a
        // cached decision): a lone evaluation is about as cheap as Node's HTTP, so promises count.
        const refusal = services.rateLimiter.disabled && services.outage.status.state !== 'down' ? undefined : await gate(req, services);
        if (refusal !== undefined) {
          sendText(res, refusal.status, refusal.message, refusal.headers);
          failed = true;
          return;
        }
        const caller = services.authz.authenticatedNow(req.headers.authorization) ?? (await authenticate(req, services.authz));
        const text = await readBody(req, res, services.config.maxBodyBytes);
        if (text === undefined) {
          failed = true;
          return;
        }
        if (!MEDIA_TYPE_JSON.test(req.headers['content-type'] ?? '')) {
          throw new ValidationError('content-type', 'media-type', 'the request Content-Type must be application/json');
        }
        const body = parseBody(text);
        const authz = services.authz.forRequest(caller, requestFacts(req, services.config.trustedProxies));
        const answer = endpoint(body, authz);
        sendJson(res, 200, answer instanceof Promise ? await answer : answer);
      } catch (error) {
        failed = true;
        const status = errorStatus(error);
        if (status === 500) scope.logger.error({ err: error, path }, 'AuthZEN request failed');
        const headers = status === 401 ? { 'www-authenticate': 'Basic realm="portcullis", Bearer realm="portcullis"' } : undefined;
        sendText(res, status, errorMessage(error), headers);
      } finally {
        services.operations.observe(path, 'authzen', (performance.now() - started) / 1000, failed);
      }
    },
  ]);
  routes.push([AUTHZEN_PATHS.metadata, (req, res) => serveMetadata(req, res, services)]);
  return routes;
}

/** GET /.well-known/authzen-configuration: public, cacheable for five minutes. */
async function serveMetadata(req: IncomingMessage, res: ServerResponse, services: AuthzenRouteServices): Promise<void> {
  echoRequestId(req, res);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendText(res, 405, `${AUTHZEN_PATHS.metadata} accepts GET only`);
    return;
  }
  const host = req.headers.host ?? '';
  if (!HOST.test(host)) {
    sendText(res, 400, 'the request has no usable Host header');
    return;
  }
  const body = JSON.stringify(pdpMetadata(`${schemeOf(req, services)}://${host}`, new Set(AUTHZEN_ENDPOINTS.keys())));
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    // The document names the host it was asked at, so a cache keys it by that too.
    'cache-control': 'public, max-age=300',
    vary: 'host, x-forwarded-proto',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** https on a TLS socket, or when a trusted proxy says so (X-Forwarded-Proto); else http. */
export function schemeOf(req: IncomingMessage, services: { readonly config: Pick<Config, 'trustedProxies'> }): 'http' | 'https' {
  return reachedOverTls(req, services.config.trustedProxies) ? 'https' : 'http';
}

/**
 * The spec: a response to a request with X-Request-ID carries the same value. Node has already
 * refused header values with control characters, so any value it parsed can be sent back.
 */
function echoRequestId(req: IncomingMessage, res: ServerResponse): void {
  const value = req.headers[REQUEST_ID_HEADER];
  if (typeof value === 'string' && value !== '') res.setHeader(REQUEST_ID_HEADER, value);
}

/** The outage gate and the rate limit, in that order (both before any body is read): a refusal, or undefined. */
export async function gate(req: IncomingMessage, services: Pick<AuthzenRouteServices, 'config' | 'outage' | 'rateLimiter'>): Promise<{ status: number; message: string; headers: Record<string, string> } | undefined> {
  if (services.outage.status.state === 'down') {
    const retryAfter = String(Math.max(1, Math.ceil(services.config.dbHealthIntervalMs / 1000)));
    return { status: 503, message: 'the database is unreachable; the service is unavailable, retry later', headers: { 'retry-after': retryAfter } };
  }
  const limiter = services.rateLimiter;
  if (limiter.disabled) return undefined;
  const taken: TakeResult = await limiter.take(rateLimitKey(req.headers.authorization, clientAddress(req, services.config.trustedProxies)));
  if (taken.allowed) return undefined;
  limiter.refused.http++;
  return {
    status: 429,
    message: `rate limit of ${limiter.perSecond} operations per second (burst ${limiter.burst}) exceeded for this credential; retry after ${taken.retryAfterSeconds} s`,
    headers: { 'retry-after': String(taken.retryAfterSeconds) },
  };
}

/** The caller behind the Authorization header, as for GraphQL; UnauthenticatedError (401) without a valid one. */
export async function authenticate(req: IncomingMessage, authz: AuthzRuntime) {
  await authz.start();
  // Read-your-writes: a key this instance has just created must work.
  await authz.reachOwnWrites();
  const caller = await authz.authenticate(req.headers.authorization);
  if (caller === undefined) throw UnauthenticatedError.needsCredential();
  return caller;
}

/**
 * The request body as text, at most `limit` bytes: a larger declared Content-Length is refused
 * with 413 before a byte is read, a larger streamed body when it passes the limit. Undefined when
 * the 413 has been sent.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string | undefined> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    tooLarge(res, limit, req);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        tooLarge(res, limit, req);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks, size).toString('utf8')));
    req.once('error', reject);
  });
}

function tooLarge(res: ServerResponse, limit: number, req: IncomingMessage): void {
  // The rest of the body is not read: close the connection after answering.
  res.setHeader('connection', 'close');
  sendText(res, 413, `request body exceeds the limit of ${limit} bytes (MAX_BODY_BYTES)`);
  req.resume();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = jsonTextOf(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/** An error response: the spec's body for 4xx and 5xx is "an error message string". */
function sendText(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(message), 'cache-control': 'no-store', ...headers });
  res.end(message);
}
