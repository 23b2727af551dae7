/**
 * Validation of what a caller asks to put into a role session (AssumeRole and
 * AssumeRoleWithWebIdentity parameters), per the STS API reference: session name, external id,
 * source identity, session policies (inline JSON and managed policy ARNs, 2,048 characters and
 * 10 ARNs at most), and session tags with their transitive keys (50 tags at most).
 */
import type { Tag } from '../db/schema/index.ts';
import { compilePolicy } from '../policy/index.ts';
import type { Queryable } from '../iam/affected-principals.ts';
import { MalformedPolicyDocumentError, ValidationError } from '../errors.ts';
import { getPolicy } from '../iam/policies.ts';
import { validateName, validateTags } from '../iam/validation.ts';

/** STS limit on the plaintext of inline plus managed session policies. */
export const SESSION_POLICY_MAX_CHARS = 2048;
/** STS limit on managed session policy ARNs. */
export const SESSION_POLICY_ARNS_MAX = 10;

const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/;

/** Validates RoleSessionName (2-64 of `[\w+=,.@-]`). */
export function validateRoleSessionName(value: string, field = 'input.roleSessionName'): string {
  return validateName('roleSessionName', value, field);
}

/** Validates ExternalId (2-1224 of `[\w+=,.@:/-]`); undefined when not given. */
export function validateExternalId(value: string | null | undefined, field = 'input.externalId'): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!EXTERNAL_ID.test(value)) {
    throw new ValidationError(field, 'pattern', `${field} must be 2-1224 characters of letters, digits and +=,.@:/-`);
  }
  return value;
}

/** Validates SourceIdentity (2-64 of `[\w+=,.@-]`, not starting with `aws:`). */
export function validateSourceIdentity(value: string | null | undefined, field = 'input.sourceIdentity'): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!SOURCE_IDENTITY.test(value)) {
    throw new ValidationError(field, 'pattern', `${field} must be 2-64 characters of letters, digits and +=,.@-`);
  }
  if (value.toLowerCase().startsWith('aws:')) throw new ValidationError(field, 'reserved', `${field} must not start with "aws:"`);
  return value;
}

/** Session policies as validated: the inline text (if any) and the managed policy ARNs (resolved). */
export interface SessionPolicies {
  readonly policy: string | null;
  readonly policyArns: string[];
}

/**
 * Validates the inline session policy (a `session` document) and resolves the managed ones in the
 * role's account (built-in policies included). Throws MalformedPolicyDocument / ValidationError.
 */
export async function validateSessionPolicies(
  tx: Queryable,
  roleAccountId: string,
  policy: string | null | undefined,
  policyArns: readonly string[] | null | undefined,
): Promise<SessionPolicies> {
  let text: string | null = null;
  if (policy !== undefined && policy !== null) {
    if (policy.length > SESSION_POLICY_MAX_CHARS) {
      throw new ValidationError('input.policy', 'length', `input.policy must be at most ${SESSION_POLICY_MAX_CHARS} characters; got ${policy.length}`);
    }
    const compiled = compilePolicy(policy, 'session');
    if (!compiled.ok) throw new MalformedPolicyDocumentError('input.policy', compiled.findings);
    text = policy;
  }
  const arns = [...(policyArns ?? [])];
  if (arns.length > SESSION_POLICY_ARNS_MAX) {
    throw new ValidationError('input.policyArns', 'count', `input.policyArns may hold at most ${SESSION_POLICY_ARNS_MAX} ARNs; got ${arns.length}`);
  }
  const resolved: string[] = [];
  for (const [i, arn] of arns.entries()) resolved.push((await getPolicy(tx, roleAccountId, arn, `input.policyArns[${i}]`)).arn);
  return { policy: text, policyArns: resolved };
}

/** The tags and transitive keys a new session carries. */
export interface SessionTagging {
  /** Every tag of the session: inherited transitive ones, then the caller's. */
  readonly tags: Tag[];
  readonly transitiveTagKeys: string[];
  /** Only the tags passed in this request (they are what aws:RequestTag and aws:TagKeys see). */
  readonly requestTags: Tag[];
  readonly requestTransitiveKeys: string[];
}

/** What a chained call inherits from the calling role session. */
export interface InheritedSession {
  readonly tags: readonly Tag[];
  readonly transitiveTagKeys: readonly string[];
}

/**
 * Validates session tags and transitive keys. In role chaining, the caller's transitive tags are
 * inherited and cannot be overridden by a tag of the same key (AWS: "you can't override" them).
 */
export function sessionTagging(
  tags: readonly Tag[] | null | undefined,
  transitiveTagKeys: readonly string[] | null | undefined,
  inherited: InheritedSession | undefined,
): SessionTagging {
  const requestTags = validateTags(tags, 'input.tags');
  const keys = new Map(requestTags.map((t) => [t.key.toLowerCase(), t.key] as const));
  const requestTransitiveKeys = (transitiveTagKeys ?? []).map((key, i) => {
    const found = keys.get(key.toLowerCase());
    if (found === undefined) {
      throw new ValidationError(`input.transitiveTagKeys[${i}]`, 'unknown-tag', `input.transitiveTagKeys[${i}] ${JSON.stringify(key)} is not the key of a tag in input.tags`);
    }
    return found;
  });
  const inheritedKeys = new Set((inherited?.transitiveTagKeys ?? []).map((k) => k.toLowerCase()));
  const carried = (inherited?.tags ?? []).filter((t) => inheritedKeys.has(t.key.toLowerCase()));
  for (const [i, tag] of requestTags.entries()) {
    if (inheritedKeys.has(tag.key.toLowerCase())) {
      throw new ValidationError(`input.tags[${i}].key`, 'transitive-override', `input.tags[${i}].key ${JSON.stringify(tag.key)} is a transitive tag of the calling session and cannot be changed`);
    }
  }
  const all = [...carried, ...requestTags];
  if (all.length > 50) throw new ValidationError('input.tags', 'count', `a session may carry at most 50 tags; this one would carry ${all.length}`);
  return {
    tags: all,
    transitiveTagKeys: [...carried.map((t) => t.key), ...requestTransitiveKeys],
    requestTags,
    requestTransitiveKeys,
  };
}
