/**
 * The element names of the policy grammar and what each policy kind requires of them.
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import type { PolicyKind } from '../types.ts';
import type { PolicyVersion } from '../document.ts';
import type { IssueCode } from './issue-codes.ts';

/** Elements allowed at the top level of a policy. */
export const TOP_LEVEL_ELEMENTS = ['Version', 'Id', 'Statement'] as const;

/** Elements allowed in a statement. */
export const STATEMENT_ELEMENTS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
] as const;

/** The two policy language versions; the first is current. */
export const POLICY_VERSIONS: readonly PolicyVersion[] = ['2012-10-17', '2008-10-17'];

/** The version AWS assumes when `Version` is absent. */
export const DEFAULT_VERSION: PolicyVersion = '2008-10-17';

/** What one policy kind demands of its statements. */
export interface KindRules {
  /** Principal/NotPrincipal: required in resource-based policies, forbidden in identity-style ones. */
  readonly principal: 'required' | 'forbidden';
  /** Resource/NotResource: a role trust policy must not have one; others must. */
  readonly resource: 'required' | 'forbidden';
  /** IAM stores identity and trust policies and allows only A-Z, a-z, 0-9 in their Sids. */
  readonly alphanumericSid: boolean;
  /** Maximum policy size in characters, not counting white space. */
  readonly sizeQuota: number;
  readonly sizeIssue: IssueCode;
}

/**
 * Per-kind rules, including the size quotas (characters without white space):
 * - identity 6,144: managed policy document (IAM quotas; inline policies are 2,048 for users,
 *   5,120 for groups and 10,240 for roles, but the kind does not say managed or inline, so the
 *   managed quota applies): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * - boundary 6,144: a permissions boundary is a managed policy.
 * - session 2,048: "the plaintext that you use for both inline and managed session policies
 *   can't exceed 2,048 characters" (STS AssumeRole Policy parameter).
 * - guardrail 5,120: maximum size of a service control policy
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
 * - resourceGuardrail 5,120: maximum size of a resource control policy; an RCP names its
 *   Principal (always "*") like a resource policy (orgs_manage_policies_rcps_syntax).
 * - trust 2,048: default role trust policy length (IAM quotas).
 * - resource 20,480: the S3 bucket policy limit of 20 KB, the largest common resource policy.
 */
export const KIND_RULES: Readonly<Record<PolicyKind, KindRules>> = {
  identity: { principal: 'forbidden', resource: 'required', alphanumericSid: true, sizeQuota: 6144, sizeIssue: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA' },
  boundary: { principal: 'forbidden', resource: 'required', alphanumericSid: true, sizeQuota: 6144, sizeIssue: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA' },
  session: { principal: 'forbidden', resource: 'required', alphanumericSid: true, sizeQuota: 2048, sizeIssue: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA' },
  guardrail: { principal: 'forbidden', resource: 'required', alphanumericSid: true, sizeQuota: 5120, sizeIssue: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA' },
  resourceGuardrail: { principal: 'required', resource: 'required', alphanumericSid: true, sizeQuota: 5120, sizeIssue: 'POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA' },
  trust: { principal: 'required', resource: 'forbidden', alphanumericSid: true, sizeQuota: 2048, sizeIssue: 'POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA' },
  resource: { principal: 'required', resource: 'required', alphanumericSid: false, sizeQuota: 20480, sizeIssue: 'POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA' },
};
