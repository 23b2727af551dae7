/**
 * The public vocabulary of the policy engine: what callers hand to `compilePolicy` and
 * `evaluate`, and what they get back. Everything here is plain data; the engine never does I/O.
 *
 * The AWS IAM User Guide is the specification:
 * - Policy grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * - Evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** Which role a policy document plays; decides which elements it may (or must) carry. */
export type PolicyKind =
  | 'identity' // managed or inline policy of a user, group or role: no Principal
  | 'resource' // resource-based policy: Principal or NotPrincipal required
  | 'trust' // a role's assume-role policy: a resource policy on the role, Principal required
  | 'boundary' // permissions boundary: identity-policy grammar
  | 'session' // session policy passed to AssumeRole: identity-policy grammar
  | 'guardrail' // service control policy (SCP): identity-policy grammar, no Principal
  | 'resourceGuardrail'; // resource control policy (RCP): Principal required, as in a resource policy

/** Severity of a validation finding, as AWS Access Analyzer's ValidatePolicy reports it. */
export type FindingType = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

/** One problem (or advice) about a policy document, located in its text. */
export interface Finding {
  readonly findingType: FindingType;
  /** Stable machine code in Access Analyzer's style, e.g. `MISSING_ACTION`, `INVALID_ARN_RESOURCE`. */
  readonly issueCode: string;
  /** Lower-case sentence naming the element and quoting the offending input. */
  readonly message: string;
  /** JSON path of the element, e.g. `$.Statement[0].Condition.StringEquals`. */
  readonly path: string;
  /** 1-based line and column of the element in the policy text. */
  readonly line: number;
  readonly column: number;
}

/** Where a statement stands in its policy text, for highlighting (like AWS's StartPosition/EndPosition). */
export interface TextSpan {
  readonly start: { readonly line: number; readonly column: number };
  readonly end: { readonly line: number; readonly column: number };
}

/** Identifies a compiled policy in explanations. */
export interface PolicyMeta {
  /** Caller-chosen id, e.g. a managed policy ARN plus version, or `user/alice/inline/Name`. */
  readonly id: string;
  readonly name?: string;
  readonly arn?: string;
  readonly versionId?: string;
}

/** The result of `compilePolicy`: either an evaluator plus non-fatal findings, or the errors. */
export type CompileResult =
  | { readonly ok: true; readonly policy: CompiledPolicy; readonly findings: readonly Finding[] }
  | { readonly ok: false; readonly findings: readonly Finding[] };

/**
 * An immutable, compiled policy. Opaque to callers: only `evaluate` looks inside.
 * Compile once per immutable policy version and reuse.
 */
export interface CompiledPolicy {
  readonly kind: PolicyKind;
  readonly meta: PolicyMeta;
  /** Byte length of the source text without white space, as AWS counts it for quotas. */
  readonly size: number;
  /** @internal engine-private representation */
  readonly _compiled: unknown;
}

/** The type of a request context value, mirroring AWS's ContextKeyType (single or list). */
export type ContextValueType = 'string' | 'numeric' | 'boolean' | 'ip' | 'binary' | 'date';

/** A typed context value. `multi` marks a multivalued key (the `_LIST` types). */
export interface ContextValue {
  readonly type: ContextValueType;
  readonly multi: boolean;
  readonly values: readonly string[];
}

/** Request context: condition key name (any case) to typed value. Keys are matched case-insensitively. */
export type RequestContext = Readonly<Record<string, ContextValue>>;

/** What kind of principal is asking, as `aws:PrincipalType` reports it. */
export type PrincipalType = 'Account' | 'User' | 'AssumedRole' | 'FederatedUser' | 'AWSService' | 'Anonymous';

/** The principal making the request, with the facts the engine derives global keys from. */
export interface RequestPrincipal {
  readonly type: PrincipalType;
  /** `arn:aws:iam::111122223333:user/path/alice`, `…:root`, `arn:aws:sts::…:assumed-role/Role/session`. */
  readonly arn: string;
  readonly accountId: string;
  /** aws:userid: `AIDA…` for users, `AROA…:session` for role sessions, the account id for root. */
  readonly userId?: string;
  /** aws:username, IAM users only. */
  readonly userName?: string;
  /** For assumed-role sessions: the role's own ARN (`arn:aws:iam::…:role/path/Name`). */
  readonly roleArn?: string;
  /** Principal tags (user or role tags, overridden by session tags). */
  readonly tags?: Readonly<Record<string, string>>;
  readonly mfaPresent?: boolean;
  /** Seconds since MFA authentication (aws:MultiFactorAuthAge). */
  readonly mfaAgeSeconds?: number;
  /** aws:TokenIssueTime for temporary credentials. */
  readonly tokenIssueTime?: Date;
  readonly sourceIdentity?: string;
  /** For AWSService principals: the service principal name, e.g. `ec2.amazonaws.com`. */
  readonly servicePrincipal?: string;
}

/**
 * An account's place in an AWS Organization, as the organization condition keys report it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths):
 * the organization id (`o-…`) and the account's path `o-…/r-…/ou-…/…/` (its parent's entities,
 * not the account itself). Build one per account and reuse it: the engine caches the derived
 * context values per object.
 */
export interface OrganizationMembership {
  readonly organizationId: string;
  readonly path: string;
}

/**
 * Organization guardrails in levels, from the root down to the account: the policies attached to
 * the root, to each OU on the way, then to the account itself. Every level must have a policy
 * that allows (an empty level allows nothing); a Deny anywhere denies
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
 */
export type GuardrailLevels = readonly (readonly CompiledPolicy[])[];

/** One authorization question. */
export interface EvaluationRequest {
  readonly principal: RequestPrincipal;
  /** `service:Action`, matched case-insensitively. */
  readonly action: string;
  /** Resource ARN, or `*` for actions that take no resource. */
  readonly resource: string;
  /** Account that owns the resource; defaults to the principal's account. */
  readonly resourceAccount?: string;
  /**
   * Where the principal's account stands in its organization (aws:PrincipalOrgID,
   * aws:PrincipalOrgPaths); absent outside any organization. Per request, not on the principal:
   * an account moves without its principals changing.
   */
  readonly principalOrganization?: OrganizationMembership | undefined;
  /**
   * Where the resource's account stands in its organization (aws:ResourceOrgID,
   * aws:ResourceOrgPaths); default the principal's when the resource is its own account's.
   */
  readonly resourceOrganization?: OrganizationMembership | undefined;
  /** Typed context entries; they override the global keys the engine derives. */
  readonly context?: RequestContext;
  /** Clock for aws:CurrentTime / aws:EpochTime; defaults to now. */
  readonly now?: Date;
}

/**
 * Everything that bears on one principal's request, grouped by evaluation layer.
 * A layer that is absent (undefined) does not apply; an empty array present for
 * `boundary`, `session`, `guardrails` or `resourceGuardrails` means "this layer applies and allows nothing".
 * The engine indexes each policy array the first time it sees it and keeps that index with the
 * array, so an array must not change after it has been evaluated (build a new one instead).
 */
export interface PolicySet {
  /** Identity-based policies: managed (direct and via groups) and inline. */
  readonly identity: readonly CompiledPolicy[];
  /** The resource-based policy of the resource (or a role's trust policy for sts:AssumeRole*). */
  readonly resource?: CompiledPolicy;
  /** Permissions boundary of the principal (AWS allows one; several act as one set). */
  readonly boundary?: readonly CompiledPolicy[];
  /** Session policies passed when the session was created. */
  readonly session?: readonly CompiledPolicy[];
  /**
   * Service control policies of the principal's account, by level (absent for principals of the
   * management account or outside any organization): every level must allow.
   */
  readonly guardrails?: GuardrailLevels;
  /**
   * Resource control policies of the resource's account, by level (absent for resources of the
   * management account or outside any organization): every level must allow, whoever asks.
   */
  readonly resourceGuardrails?: GuardrailLevels;
}

/** The three outcomes AWS's simulator reports. */
export type EvalDecision = 'ALLOWED' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY';

/** An evaluation layer, named as in the AWS flowchart. */
export type PolicyLayer = 'guardrail' | 'resource' | 'identity' | 'boundary' | 'session' | 'resourceGuardrail';

/** A statement that took part in the decision. */
export interface MatchedStatement {
  readonly policyId: string;
  readonly policyName?: string;
  readonly policyArn?: string;
  readonly versionId?: string;
  readonly layer: PolicyLayer;
  readonly statementIndex: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly span?: TextSpan;
}

/** How one layer judged the request. `NOT_APPLICABLE`: the layer is absent for this request. */
export type LayerOutcome = 'ALLOW' | 'DENY' | 'NO_MATCH' | 'NOT_APPLICABLE';

/** Which part of a statement stopped it from matching. */
export type MismatchPart =
  | { readonly part: 'action' }
  | { readonly part: 'resource' }
  | { readonly part: 'principal' }
  | { readonly part: 'condition'; readonly operator: string; readonly key: string };

/** A statement that matched on action but failed elsewhere: the answer to "why was I denied?". */
export interface NearMiss {
  readonly statement: MatchedStatement;
  readonly failed: MismatchPart;
}

/** The engine's answer, explained. */
export interface Decision {
  readonly decision: EvalDecision;
  readonly allowed: boolean;
  /** The statements that decided: the matching Deny statements for EXPLICIT_DENY, the Allow
   *  statements that granted for ALLOWED, none for IMPLICIT_DENY. */
  readonly matchedStatements: readonly MatchedStatement[];
  readonly layers: Readonly<Partial<Record<PolicyLayer, LayerOutcome>>>;
  /** Condition keys that statements asked for and the request context lacked (as AWS names them). */
  readonly missingContextValues: readonly string[];
  readonly nearMisses: readonly NearMiss[];
}
