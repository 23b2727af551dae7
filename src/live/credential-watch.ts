/**
 * Live connections outlast the request that authenticated them, so the credential is watched:
 * when a committed change names it (the access key deactivated or deleted, the session revoked,
 * the user or role deleted) it is authenticated again through the same Authenticator HTTP uses,
 * whose cache that change has already invalidated; a session is also ended when it expires.
 */
import type { Caller } from '../authz/caller.ts';
import { isAuditOnly, type ChangeEvent } from '../changes/change.ts';
import { UnauthenticatedError } from '../errors.ts';
import type { LiveBatch } from './live-batch.ts';
import type { LiveHub } from './live-hub.ts';

/** setTimeout's ceiling (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Re-authentications of one header within one batch share one verification (scrypt is slow). */
const recheckMemo = new WeakMap<LiveBatch, Map<string, Promise<Caller | undefined>>>();

/**
 * Calls `onInvalid` once, with an UnauthenticatedError, when `caller`'s credential (presented as
 * the `authorization` header value) stops authenticating. Returns the function that stops watching.
 */
export function watchCredential(
  hub: LiveHub,
  authorization: string,
  caller: Caller,
  onInvalid: (error: UnauthenticatedError) => void,
): () => void {
  const runtime = hub.runtime;
  const names = credentialNames(caller);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const end = (error: UnauthenticatedError): void => {
    if (stopped) return;
    stop();
    onInvalid(error);
  };
  // A guard, not a listener: the hub holds the batch from every stream until this check settles.
  const unsubscribe = hub.guard((batch) => {
    if (stopped || !namesAny(namedIn(batch), names)) return undefined;
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
    return check.then(
      (current) => {
        if (current === undefined || current.arn !== caller.arn) end(new UnauthenticatedError('the credential of this connection is no longer valid'));
      },
      (error: unknown) => {
        // A database hiccup is not a revocation: keep the connection and let the next change re-check.
        if (error instanceof UnauthenticatedError) end(error);
        else runtime.logger.warn({ err: error }, 're-checking a live credential failed');
      },
    );
  });
  const expiresAt = caller.credential.type === 'session' ? caller.credential.expiresAt.getTime() : undefined;
  const arm = (): void => {
    if (expiresAt === undefined || stopped) return;
    const wait = expiresAt - Date.now();
    if (wait <= 0) {
      end(new UnauthenticatedError('the session of this connection has expired'));
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

/** What a batch's changes name, collected once per batch for every watched connection. */
const namedMemo = new WeakMap<LiveBatch, ReadonlySet<string>>();

/** Every entity ARN, affected principal id and string payload value of a batch's changes. */
function namedIn(batch: LiveBatch): ReadonlySet<string> {
  let named = namedMemo.get(batch);
  if (named === undefined) {
    const all = new Set<string>();
    // Audit rows (a denial, a failed sign-in) revoke nothing: a flood of them must not re-authenticate anyone.
    for (const event of batch.events) if (!isAuditOnly(event)) addNames(event, all);
    named = all;
    namedMemo.set(batch, named);
  }
  return named;
}

/** Adds what a change names: its entity, its affected principals, and its payload's string values. */
function addNames(event: ChangeEvent, into: Set<string>): void {
  into.add(event.entityArn);
  for (const id of event.affectedPrincipalIds) into.add(id);
  for (const value of Object.values(event.payload)) if (typeof value === 'string') into.add(value);
}

/** Whether any of `names` (a credential's few) is among what a batch names. */
function namesAny(named: ReadonlySet<string>, names: ReadonlySet<string>): boolean {
  for (const name of names) if (named.has(name)) return true;
  return false;
}
