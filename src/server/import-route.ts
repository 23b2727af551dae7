/**
 * POST /import/account-authorization-details: importAccountAuthorizationDetails for documents
 * larger than the GraphQL request body limit (MAX_BODY_BYTES, 1 MB by default), up to 50 MB, as
 * the output of `aws iam get-account-authorization-details` of a real account often is. Only this
 * path reads bodies that large. The request gets what a GraphQL request gets: the outage gate and
 * rate limit, the same credentials, and the guard (iam:ImportAccountAuthorizationDetails on `*`).
 * The body is the JSON document itself; the answer is JSON: the outcome and `revision` (200), or
 * `{ code, message, field?, rule? }` with the GraphQL API's ErrorCode (400, 401, 403, 409, 413).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthzRuntime } from '../authz/runtime.ts';
import type { Database } from '../db/client.ts';
import { IamError } from '../errors.ts';
import { errorCodeOf } from '../graphql/wire-errors.ts';
import { importAccountAuthorizationDetails } from '../iam/authorization-details/import.ts';
import { MAX_IMPORT_BYTES } from '../iam/authorization-details/import-plan.ts';
import { authenticate, gate, type AuthzenRouteServices } from './authzen-routes.ts';
import { adoptConsoleCookie } from './console-session.ts';
import { requestFacts } from './context.ts';
import type { RequestScope } from './request-scope.ts';

/** The path of the upload route. */
export const IMPORT_PATH = '/import/account-authorization-details';

/** What the route uses, built once by createApp. */
export interface ImportRouteServices extends Pick<AuthzenRouteServices, 'config' | 'outage' | 'rateLimiter'> {
  readonly authz: AuthzRuntime;
  readonly database: Database;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  ACCESS_DENIED: 403,
  PASSWORD_RESET_REQUIRED: 403,
  ENTITY_ALREADY_EXISTS: 409,
  LIMIT_EXCEEDED: 409,
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/** The body as text, at most MAX_IMPORT_BYTES; undefined once a 413 naming the limit has been sent. */
function readDocument(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  const tooLarge = (): undefined => {
    res.setHeader('connection', 'close');
    sendJson(res, 413, { code: 'PAYLOAD_TOO_LARGE', field: '$', rule: 'size', message: `$ exceeds the ${MAX_IMPORT_BYTES} bytes (50 MB) an import reads` });
    req.resume();
    return undefined;
  };
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > MAX_IMPORT_BYTES) return Promise.resolve(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_IMPORT_BYTES) {
        req.removeAllListeners('data');
        resolve(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(size > MAX_IMPORT_BYTES ? undefined : Buffer.concat(chunks, size).toString('utf8')));
    req.once('error', reject);
  });
}

/** The route, for createApp's table of exact paths. */
export function importRoute(services: ImportRouteServices): [string, (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => Promise<void>] {
  return [
    IMPORT_PATH,
    async (req, res, scope) => {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        sendJson(res, 405, { code: 'VALIDATION_ERROR', message: `${IMPORT_PATH} accepts POST only` });
        return;
      }
      // The console uploads with its session cookie, adopted as on /graphql before the rate limit looks.
      adoptConsoleCookie(req);
      try {
        const refusal = await gate(req, services);
        if (refusal !== undefined) {
          sendJson(res, refusal.status, { code: refusal.status === 503 ? 'SERVICE_UNAVAILABLE' : 'RATE_LIMITED', message: refusal.message }, refusal.headers);
          return;
        }
        const caller = await authenticate(req, services.authz);
        const { guard } = services.authz.forRequest(caller, requestFacts(req, services.config.trustedProxies));
        await guard.require('iam:ImportAccountAuthorizationDetails', '*');
        const document = await readDocument(req, res);
        if (document === undefined) return;
        const { result, revision } = await importAccountAuthorizationDetails(services.database, caller, document);
        sendJson(res, 200, { ...result, revision });
      } catch (error) {
        if (!(error instanceof IamError)) {
          scope.logger.error({ err: error }, 'import of account authorization details failed');
          if (!res.headersSent) sendJson(res, 500, { code: 'INTERNAL_SERVER_ERROR', message: 'unexpected error' });
          return;
        }
        const code = errorCodeOf(error);
        const field = 'field' in error ? { field: error.field } : {};
        const rule = 'rule' in error ? { rule: error.rule } : {};
        const headers: Record<string, string> = code === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Basic realm="portcullis", Bearer' } : {};
        if (!res.headersSent) sendJson(res, STATUS_BY_CODE[code] ?? 400, { code, message: error.message, ...field, ...rule }, headers);
      }
    },
  ];
}
