/**
 * How the authorizer names a principal whose policies it loads: its ARN (user, root, role,
 * assumed-role session), or for an authenticated session caller the session's own access key
 * id, so the caller's exact session policies apply even when several sessions share one ARN.
 */

/** A principal ARN, or `session:<ASIA…>` for one specific session. */
export type PrincipalRef = string;

/** The kinds of principal ARN the authorizer understands. */
export type ParsedPrincipalArn =
  | { readonly kind: 'root'; readonly accountId: string; readonly arn: string }
  | { readonly kind: 'user'; readonly accountId: string; readonly arn: string }
  | { readonly kind: 'role'; readonly accountId: string; readonly arn: string }
  | { readonly kind: 'assumed-role'; readonly accountId: string; readonly arn: string; readonly roleName: string; readonly sessionName: string }
  | { readonly kind: 'federated-user'; readonly accountId: string; readonly arn: string; readonly name: string };

const IAM_PREFIX = 'arn:aws:iam::';
const STS_PREFIX = 'arn:aws:sts::';
const LINE_BREAK = /[\n\r\u2028\u2029]/;
/** GetFederationToken's Name rule. */
const FEDERATED_NAME = /^[\w+=,.@-]{2,32}$/;

/**
 * Parses a principal ARN, or returns undefined when it names no user, role, session or root:
 * `arn:aws:iam::<12 digits>:(root|user/…|role/…)`, `arn:aws:sts::<12 digits>:assumed-role/<role>/<session>`
 * or `arn:aws:sts::<12 digits>:federated-user/<name>` (a GetFederationToken session).
 * Scanned by hand: every question of a batch is validated with it.
 */
export function parsePrincipalArn(arn: string): ParsedPrincipalArn | undefined {
  const iam = arn.startsWith(IAM_PREFIX);
  if (!iam && !arn.startsWith(STS_PREFIX)) return undefined;
  const start = IAM_PREFIX.length;
  const end = start + 12;
  if (arn.length <= end || arn.charCodeAt(end) !== 58 /* : */) return undefined;
  for (let i = start; i < end; i++) {
    const c = arn.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const accountId = arn.slice(start, end);
  const rest = end + 1;
  if (iam) {
    if (arn.length === rest + 4 && arn.startsWith('root', rest)) return { kind: 'root', accountId, arn };
    // A user or role path and name: at least one character, none of them a line break.
    if (arn.length <= rest + 5 || LINE_BREAK.test(arn)) return undefined;
    if (arn.startsWith('user/', rest)) return { kind: 'user', accountId, arn };
    if (arn.startsWith('role/', rest)) return { kind: 'role', accountId, arn };
    return undefined;
  }
  if (arn.startsWith('federated-user/', rest)) {
    const name = arn.slice(rest + 'federated-user/'.length);
    return FEDERATED_NAME.test(name) ? { kind: 'federated-user', accountId, arn, name } : undefined;
  }
  if (!arn.startsWith('assumed-role/', rest)) return undefined;
  const role = rest + 'assumed-role/'.length;
  const slash = arn.indexOf('/', role);
  // Exactly two non-empty parts: the role name and the session name.
  if (slash <= role || slash === arn.length - 1 || arn.indexOf('/', slash + 1) >= 0) return undefined;
  return { kind: 'assumed-role', accountId, arn, roleName: arn.slice(role, slash), sessionName: arn.slice(slash + 1) };
}

/** The ref of one session, by its temporary access key id. */
export function sessionRef(accessKeyId: string): PrincipalRef {
  return `session:${accessKeyId}`;
}

/** The access key id inside a session ref, or undefined for an ARN ref. */
export function sessionKeyOf(ref: PrincipalRef): string | undefined {
  return ref.startsWith('session:') ? ref.slice('session:'.length) : undefined;
}

/** The account id field of any ARN (`arn:partition:service:region:account:…`), or undefined. */
export function accountOfArn(arn: string): string | undefined {
  // Hot path (every decision): find the 4th and 5th colons without splitting.
  let colon = -1;
  for (let i = 0; i < 4; i++) {
    colon = arn.indexOf(':', colon + 1);
    if (colon < 0) return undefined;
  }
  const end = arn.indexOf(':', colon + 1);
  if (end !== colon + 13) return undefined;
  for (let i = colon + 1; i < end; i++) {
    const c = arn.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return arn.slice(colon + 1, end);
}
