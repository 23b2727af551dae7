/**
 * Authentication: turns an `Authorization` header (HTTP, or the WebSocket `connection_init`
 * payload's `authorization`) into a Caller.
 * - `Basic base64(accessKeyId:secret)`: an active access key whose scrypt hash verifies.
 * - `Bearer <sessionToken>`: an STS or sign-in session found by the token's SHA-256, not
 *   expired, not revoked.
 * scrypt is deliberately slow, so verified (key id, SHA-256 of the secret) pairs are cached and
 * dropped precisely when the change log says the key, its user or the session changed.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accounts } from '../db/schema/accounts.ts';
import { accessKeys } from '../db/schema/credentials.ts';
import { roles, users } from '../db/schema/principals.ts';
import { stsSessions } from '../db/schema/sessions.ts';
import type { Tag } from '../db/schema/columns.ts';
import type { ChangeBus } from '../changes/bus.ts';
import { systemClock, type Clock } from '../clock.ts';
import { UnauthenticatedError } from '../errors.ts';
import { namesInChanges, type ChangeEvent } from '../changes/change.ts';
import type { Caller } from './caller.ts';
import { LruCache } from './lru.ts';

/** Checks a secret against its stored scrypt hash (src/iam/secrets.ts). */
export type SecretVerifier = (secret: string, storedHash: string) => Promise<boolean>;

/** A cached, verified credential and the identifiers whose changes make it stale. */
interface CachedCredential {
  /** SHA-256 of the secret (access keys) that was verified; empty for bearer sessions. */
  readonly secretDigest: Buffer;
  readonly caller: Caller;
  /** Bearer sessions: when the session stops being valid. */
  readonly expiresAt?: number;
  /** Access key id, principal unique ids and ARNs: any change naming one drops the entry. */
  readonly dependsOn: readonly string[];
}

/** Cached credentials per kind; at most this many of each. */
const CACHE_CAPACITY = 10_000;

/** How a cache is read: `get` counts a miss (for /metrics), `peek` does not. */
type CacheLookup = 'get' | 'peek';

/** What an Authorization header presents: an access key and its secret, or a session token. */
type PresentedCredential =
  | { readonly scheme: 'basic'; readonly keyId: string; readonly secret: string }
  | { readonly scheme: 'bearer'; readonly token: string };

/**
 * The credential of an Authorization header; undefined when it is absent or empty (anonymous).
 * Throws UnauthenticatedError naming what is malformed.
 */
function presentedCredential(header: string | null | undefined): PresentedCredential | undefined {
  if (header == null || header.trim() === '') return undefined;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (match === null) throw new UnauthenticatedError('authorization header must be "Basic <credentials>" or "Bearer <token>"');
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'bearer') return { scheme, token: match[2]! };
  if (scheme !== 'basic') throw new UnauthenticatedError(`authorization scheme "${match[1]!.slice(0, 20)}" is not supported; use Basic or Bearer`);
  const decoded = Buffer.from(match[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) {
    throw new UnauthenticatedError('basic credentials must be base64 of "accessKeyId:secretAccessKey"');
  }
  const keyId = decoded.slice(0, colon);
  // PostgreSQL cannot compare text holding NUL; no key id holds one.
  if (keyId.includes('\u0000')) throw new UnauthenticatedError('the access key id or secret access key is not valid');
  return { scheme, keyId, secret: decoded.slice(colon + 1) };
}

/** Builds Callers from credentials, with a change-log-invalidated cache. */
export class Authenticator {
  /** Verified access keys by key id. */
  readonly keys = new LruCache<string, CachedCredential>(CACHE_CAPACITY);
  /** Valid sessions by SHA-256 of the token. */
  readonly sessions = new LruCache<string, CachedCredential>(CACHE_CAPACITY);
  /** Bumped by every change batch; a load that saw a bump is used once but not cached. */
  private generation = 0;

  constructor(
    private readonly database: Database,
    private readonly verifySecret: SecretVerifier,
    bus: ChangeBus,
    /** Sessions expire by its wall time. */
    private readonly clock: Clock = systemClock,
  ) {
    bus.subscribe((events) => this.onChanges(events));
  }

  /**
   * The caller for an Authorization header value; undefined when the header is absent or
   * empty (an anonymous request). Throws UnauthenticatedError when a credential is present but invalid.
   */
  async authenticate(header: string | null | undefined): Promise<Caller | undefined> {
    const presented = presentedCredential(header);
    if (presented === undefined) return undefined;
    return presented.scheme === 'basic' ? this.authenticateAccessKey(presented.keyId, presented.secret) : this.authenticateSession(presented.token);
  }

  /**
   * The caller of `header` when its credential is cached and still valid, without a promise;
   * undefined otherwise (absent, malformed, unknown or expired: `authenticate` says which).
   */
  cached(header: string | null | undefined): Caller | undefined {
    let presented: PresentedCredential | undefined;
    try {
      presented = presentedCredential(header);
    } catch {
      return undefined;
    }
    if (presented === undefined) return undefined;
    // Peeked: a miss here is counted once, by the `authenticate` that follows it.
    return presented.scheme === 'basic'
      ? this.cachedKey(presented.keyId, sha256(presented.secret), 'peek')
      : this.cachedSession(sha256(presented.token).toString('hex'), 'peek');
  }

  /** The cached caller of an access key whose secret has this SHA-256; undefined when not cached. */
  private cachedKey(keyId: string, secretDigest: Buffer, lookup: CacheLookup = 'get'): Caller | undefined {
    const cached = this.keys[lookup](keyId);
    return cached !== undefined && timingSafeEqual(cached.secretDigest, secretDigest) ? cached.caller : undefined;
  }

  /** The cached caller of a session token (by its SHA-256, hex) while it is unexpired; an expired entry is dropped. */
  private cachedSession(tokenHash: string, lookup: CacheLookup = 'get'): Caller | undefined {
    const cached = this.sessions[lookup](tokenHash);
    if (cached === undefined) return undefined;
    if ((cached.expiresAt ?? Infinity) > this.clock.now()) return cached.caller;
    this.sessions.invalidate(tokenHash);
    return undefined;
  }

  private async authenticateAccessKey(keyId: string, secret: string): Promise<Caller> {
    const digest = sha256(secret);
    const cached = this.cachedKey(keyId, digest);
    if (cached !== undefined) return cached;

    const generation = this.generation;
    const rows = await this.database.db
      .select({
        secretHash: accessKeys.secretHash,
        status: accessKeys.status,
        user: { id: users.id, accountId: users.accountId, arn: users.arn, name: users.name, isRoot: users.isRoot, tags: users.tags },
        accountState: accounts.state,
      })
      .from(accessKeys)
      .innerJoin(users, eq(users.id, accessKeys.userId))
      .innerJoin(accounts, eq(accounts.id, users.accountId))
      .where(eq(accessKeys.id, keyId));
    const row = rows[0];
    // One message for every failure, so a caller cannot probe which key ids exist.
    const invalid = new UnauthenticatedError('the access key id or secret access key is not valid');
    // A closed account's principals stop authenticating (CloseAccount); its data stays.
    if (row === undefined || row.status !== 'Active' || row.accountState !== 'ACTIVE') throw invalid;
    if (!(await this.verifySecret(secret, row.secretHash))) throw invalid;
    const credential = { type: 'access-key', accessKeyId: keyId } as const;
    const base = { accountId: row.user.accountId, arn: row.user.arn, credential };
    const caller: Caller = row.user.isRoot
      ? { ...base, kind: 'root', userId: row.user.id }
      : { ...base, kind: 'user', userId: row.user.id, userName: row.user.name, tags: tagRecord(row.user.tags) };
    if (generation === this.generation) {
      this.keys.set(keyId, { secretDigest: digest, caller, dependsOn: [keyId, row.user.id, row.user.arn] });
    }
    return caller;
  }

  private async authenticateSession(token: string): Promise<Caller> {
    const tokenHash = sha256(token).toString('hex');
    const cached = this.cachedSession(tokenHash);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const rows = await this.database.db
      .select({
        session: stsSessions,
        user: { id: users.id, arn: users.arn, name: users.name, isRoot: users.isRoot, tags: users.tags },
        role: { id: roles.id, arn: roles.arn, name: roles.name, tags: roles.tags },
        accountState: accounts.state,
      })
      .from(stsSessions)
      .innerJoin(accounts, eq(accounts.id, stsSessions.accountId))
      .leftJoin(users, eq(users.id, stsSessions.userId))
      .leftJoin(roles, eq(roles.id, stsSessions.roleId))
      .where(eq(stsSessions.sessionTokenHash, tokenHash));
    const row = rows[0];
    const invalid = new UnauthenticatedError('the session token is not valid, has expired or was revoked');
    if (row === undefined || row.accountState !== 'ACTIVE' || row.session.revokedAt !== null || row.session.expiresAt.getTime() <= this.clock.now()) throw invalid;
    const s = row.session;
    const credential = {
      type: 'session',
      sessionId: s.accessKeyId,
      accessKeyId: s.accessKeyId,
      issuedAt: s.issuedAt,
      expiresAt: s.expiresAt,
      ...(s.mfaAuthenticated ? { mfaAuthenticatedAt: s.issuedAt } : {}),
      ...(s.passwordResetRequired ? { passwordResetRequired: true as const } : {}),
    } as const;
    let caller: Caller;
    const dependsOn = [s.accessKeyId, s.arn];
    if (row.role !== null) {
      caller = {
        kind: 'role-session',
        accountId: s.accountId,
        arn: s.arn,
        credential,
        roleId: row.role.id,
        roleArn: row.role.arn,
        roleName: row.role.name,
        sessionName: s.sessionName ?? '',
        // Session tags override the role's tags of the same key, as aws:PrincipalTag sees them.
        tags: { ...tagRecord(row.role.tags), ...tagRecord(s.sessionTags) },
        ...(s.sourceIdentity === null ? {} : { sourceIdentity: s.sourceIdentity }),
      };
      dependsOn.push(row.role.id, row.role.arn);
    } else if (row.user !== null && s.kind === 'federation_token') {
      // GetFederationToken: the session acts as its federated-user ARN, on behalf of its user.
      caller = {
        kind: 'federated-user',
        accountId: s.accountId,
        arn: s.arn,
        credential,
        userId: row.user.id,
        userArn: row.user.arn,
        federatedUserName: s.sessionName ?? '',
      };
      dependsOn.push(row.user.id, row.user.arn);
    } else if (row.user !== null) {
      const base = { accountId: s.accountId, arn: row.user.arn, credential };
      caller = row.user.isRoot
        ? { ...base, kind: 'root', userId: row.user.id }
        : { ...base, kind: 'user', userId: row.user.id, userName: row.user.name, tags: tagRecord(row.user.tags) };
      dependsOn.push(row.user.id, row.user.arn);
    } else {
      throw invalid;
    }
    if (generation === this.generation) {
      this.sessions.set(tokenHash, { secretDigest: EMPTY, caller, expiresAt: s.expiresAt.getTime(), dependsOn });
    }
    return caller;
  }

  /**
   * Drops every cached credential that a change names (by key id, principal id or ARN), and every
   * credential of an account an `AccountClosed` row names: on every instance, since each hears the
   * change log.
   */
  private onChanges(events: readonly ChangeEvent[]): void {
    this.generation++;
    const named = namesInChanges(events);
    const closed = closedAccounts(events);
    const stale = (entry: CachedCredential): boolean => closed.has(entry.caller.accountId) || entry.dependsOn.some((id) => named.has(id));
    this.keys.invalidateWhere(stale);
    this.sessions.invalidateWhere(stale);
  }
}

const EMPTY = Buffer.alloc(32);

/** The accounts closed by a batch of changes (AccountClosed rows, payload `{ accountId }`). */
function closedAccounts(events: readonly ChangeEvent[]): ReadonlySet<string> {
  const closed = new Set<string>();
  for (const event of events) {
    const accountId = event.payload['accountId'];
    if (event.kind === 'AccountClosed' && typeof accountId === 'string') closed.add(accountId);
  }
  return closed;
}

/** SHA-256 of a UTF-8 string (one-shot: every request hashes its credential for the cache lookup). */
function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}

/** Tags as `aws:PrincipalTag` sees them. */
function tagRecord(tags: readonly Tag[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags) record[tag.key] = tag.value;
  return record;
}
