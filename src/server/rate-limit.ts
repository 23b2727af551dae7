/**
 * Per-credential rate limits: a token bucket per access key id, per session (keyed by a hash of
 * its token, never the token) or, for anonymous callers, per client IP. Over HTTP a refused
 * request answers 429 with Retry-After before any parsing or authentication work; over
 * graphql-ws each operation draws from the connection credential's bucket and a refused one
 * fails with the same RATE_LIMITED error while the socket stays open.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { LIMIT_CODES, limitError } from './limits/errors.ts';
import { clientAddress } from './client-address.ts';
import type { IpBlock } from '../policy/index.ts';
import { systemClock, type Clock } from '../clock.ts';

/** Most buckets kept; past it, full (idle) buckets are dropped first, then the oldest. */
const MAX_BUCKETS = 100_000;

/** The outcome of drawing one token. */
export type TakeResult = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** A per-key limiter: in memory (RateLimiter) or shared across instances (SharedRateLimiter). */
export interface Limiter {
  readonly perSecond: number;
  readonly burst: number;
  readonly disabled: boolean;
  /** Buckets (or local allowances) currently tracked. */
  readonly size: number;
  /** Operations refused since start, by transport (for /metrics). */
  readonly refused: Record<'http' | 'websocket', number>;
  /** Draws one token from `key`'s bucket; a promise only when the shared store must be asked. */
  take(key: string): TakeResult | Promise<TakeResult>;
  /** Deletes idle shared state (shared limiters only). */
  sweep?(): Promise<void>;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Token buckets by key, refilled continuously at `perSecond` up to `burst` (timed by the monotonic clock). */
export class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, Bucket>();
  /** Operations refused since start, by transport (for /metrics). */
  readonly refused: Record<'http' | 'websocket', number> = { http: 0, websocket: 0 };

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Whether the limiter is switched off (RATE_LIMIT_PER_SECOND=0). */
  get disabled(): boolean {
    return this.perSecond === 0;
  }

  /** Buckets currently tracked. */
  get size(): number {
    return this.buckets.size;
  }

  /** Draws one token from `key`'s bucket. */
  take(key: string): TakeResult {
    if (this.disabled) return { allowed: true };
    const now = this.clock.monotonic();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_BUCKETS) this.prune(now);
      bucket = { tokens: this.burst, updatedMs: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.perSecond);
      bucket.updatedMs = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)) };
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
    }
    // Still full of active buckets: forget the oldest tenth (Map keeps insertion order).
    let excess = this.buckets.size - Math.floor(MAX_BUCKETS * 0.9);
    for (const key of this.buckets.keys()) {
      if (excess-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}

/**
 * The bucket key of a request: `key:<access key id>` for Basic credentials, `session:<hash>` for
 * Bearer tokens, else `ip:<address>`. Reading the claimed key id costs nothing, so flooding is
 * refused before the (deliberately slow) secret check.
 */
export function rateLimitKey(authorization: string | null | undefined, address: string | undefined): string {
  const header = authorization?.trim() ?? '';
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (space > 0 && scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const id = decoded.slice(0, Math.max(0, decoded.indexOf(':')));
    if (/^\w{1,128}$/.test(id)) return `key:${id}`;
  }
  if (space > 0 && scheme === 'bearer' && value !== '') {
    return `session:${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;
  }
  return `ip:${address ?? 'unknown'}`;
}

/** The RATE_LIMITED error (HTTP 429 with Retry-After). */
export function rateLimited(retryAfterSeconds: number, limiter: Limiter): Error {
  return limitError(
    LIMIT_CODES.rateLimited,
    `rate limit of ${limiter.perSecond} operations per second (burst ${limiter.burst}) exceeded for this credential; retry after ${retryAfterSeconds} s`,
    {
      limit: limiter.perSecond,
      status: 429,
      headers: { 'retry-after': String(retryAfterSeconds) },
      extensions: { retryAfterSeconds },
    },
  );
}

/** What the plugin reads from the context of a graphql-ws operation. */
interface WebSocketContext {
  readonly socket?: unknown;
  readonly req?: IncomingMessage;
  readonly request?: Request;
}

/** Yoga plugin applying `limiter` to HTTP requests (429 before parsing) and graphql-ws operations. */
export function useRateLimit(limiter: Limiter, trustedProxies: readonly IpBlock[]): Plugin {
  if (limiter.disabled) return {};
  // Stays synchronous while the limiter answers synchronously (the common case), so the hot
  // path allocates no promise.
  const then = (taken: TakeResult | Promise<TakeResult>, refuse: (retryAfterSeconds: number) => void): void | Promise<void> => {
    if (taken instanceof Promise) return taken.then((t) => (t.allowed ? undefined : refuse(t.retryAfterSeconds)));
    if (!taken.allowed) refuse(taken.retryAfterSeconds);
  };
  const refuseOperation = (context: WebSocketContext, stop: (result: { errors: Error[] }) => void): void | Promise<void> => {
    // HTTP requests were counted in onRequest; only graphql-ws contexts carry the socket.
    if (context.socket === undefined) return;
    const taken = limiter.take(rateLimitKey(context.request?.headers.get('authorization'), clientAddress(context.req, trustedProxies)));
    return then(taken, (retryAfterSeconds) => {
      limiter.refused.websocket++;
      stop({ errors: [rateLimited(retryAfterSeconds, limiter)] });
    });
  };
  return {
    onRequest({ request, serverContext, endResponse }) {
      const req = (serverContext as { req?: IncomingMessage } | undefined)?.req;
      const taken = limiter.take(rateLimitKey(request.headers.get('authorization'), clientAddress(req, trustedProxies)));
      return then(taken, (retryAfterSeconds) => {
        limiter.refused.http++;
        const error = rateLimited(retryAfterSeconds, limiter);
        const body = JSON.stringify({ errors: [{ message: error.message, extensions: { code: LIMIT_CODES.rateLimited, limit: limiter.perSecond, retryAfterSeconds } }] });
        endResponse(
          new Response(body, {
            status: 429,
            headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfterSeconds) },
          }),
        );
      });
    },
    onExecute({ args, setResultAndStopExecution }) {
      return refuseOperation(args.contextValue as WebSocketContext, setResultAndStopExecution);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      return refuseOperation(args.contextValue as WebSocketContext, setResultAndStopExecution);
    },
  };
}
