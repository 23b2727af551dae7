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
  | { readonly kind: 'assumed-role'; readonly accountId: string; readonly arn: string; readonly roleName: string; readonly sessionName: string };

const IAM_ARN = /^arn:aws:iam::(\d{12}):(root|user\/.+|role\/.+)$/;
const ASSUMED_ROLE_ARN = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/;

/** Parses a principal ARN, or returns undefined when it names no user, role, session or root. */
export function parsePrincipalArn(arn: string): ParsedPrincipalArn | undefined {
  const iam = IAM_ARN.exec(arn);
  if (iam !== null) {
    const accountId = iam[1]!;
    const rest = iam[2]!;
    if (rest === 'root') return { kind: 'root', accountId, arn };
    return { kind: rest.startsWith('user/') ? 'user' : 'role', accountId, arn };
  }
  const sts = ASSUMED_ROLE_ARN.exec(arn);
  if (sts !== null) return { kind: 'assumed-role', accountId: sts[1]!, arn, roleName: sts[2]!, sessionName: sts[3]! };
  return undefined;
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
