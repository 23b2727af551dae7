/**
 * Live connections outlast the request that authenticated them, so the credential is watched:
 * when a committed change names it (the access key deactivated or deleted, the session revoked,
 * the user or role deleted) it is authenticated again through the same Authenticator HTTP uses,
 * whose cache that change has already invalidated; a session is also ended when it expires.
 */
import type { GraphQLError } from 'graphql';
import type { Caller } from '../authz/caller.ts';
import { unauthenticated } from '../authz/errors.ts';
import type { AuthzRuntime } from '../authz/runtime.ts';
import type { ChangeEvent } from './change.ts';
import { liveHubOf, type LiveBatch } from './live-hub.ts';

/** setTimeout's ceiling (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Re-authentications of one header within one batch share one verification (scrypt is slow). */
const recheckMemo = new WeakMap<LiveBatch, Map<string, Promise<Caller | undefined>>>();

/**
 * Calls `onInvalid` once, with an UNAUTHENTICATED error, when `caller`'s credential (presented as
 * the `authorization` header value) stops authenticating. Returns the function that stops watching.
 */
export function watchCredential(
  runtime: AuthzRuntime,
  authorization: string,
  caller: Caller,
  onInvalid: (error: GraphQLError) => void,
): () => void {
  const names = credentialNames(caller);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const end = (error: GraphQLError): void => {
    if (stopped) return;
    stop();
    onInvalid(error);
  };
  const unsubscribe = liveHubOf(runtime).subscribe((batch) => {
    if (stopped || !batch.events.some((event) => namesAny(event, names))) return;
    let memo = recheckMemo.get(batch);
    if (memo === undefined) {
      memo = new Map();
      recheckMemo.set(batch, memo);
    }
    let check = memo.get(authorization);
    if (check === undefined) {
      check = runtime.authenticate(authorization);
      memo.set(authorization, check);
    }
    check.then(
      (current) => {
        if (current === undefined || current.arn !== caller.arn) end(unauthenticated('the credential of this connection is no longer valid'));
      },
      (error: unknown) => {
        // A database hiccup is not a revocation: keep the connection and let the next change re-check.
        if (isGraphQLError(error)) end(error);
        else runtime.logger.warn({ err: error }, 're-checking a live credential failed');
      },
    );
  });
  const expiresAt = caller.credential.type === 'session' ? caller.credential.expiresAt.getTime() : undefined;
  const arm = (): void => {
    if (expiresAt === undefined || stopped) return;
    const wait = expiresAt - Date.now();
    if (wait <= 0) {
      end(unauthenticated('the session of this connection has expired'));
      return;
    }
    timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
  };
  function stop(): void {
    stopped = true;
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
  }
  arm();
  return stop;
}

/** Key id, principal ids and ARNs a change names when it touches this credential. */
function credentialNames(caller: Caller): ReadonlySet<string> {
  const names = new Set<string>([caller.arn, caller.credential.accessKeyId]);
  if (caller.kind === 'role-session') {
    names.add(caller.roleId);
    names.add(caller.roleArn);
  } else {
    names.add(caller.userId);
  }
  return names;
}

/** Whether a change names one of `names`: its entity, an affected principal, or a payload value. */
function namesAny(event: ChangeEvent, names: ReadonlySet<string>): boolean {
  if (names.has(event.entityArn)) return true;
  for (const id of event.affectedPrincipalIds) if (names.has(id)) return true;
  for (const value of Object.values(event.payload)) if (typeof value === 'string' && names.has(value)) return true;
  return false;
}

function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}
