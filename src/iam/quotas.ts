/**
 * The IAM quotas Portcullis enforces, in one table, with AWS's default values ("IAM and AWS STS
 * quotas" in the IAM User Guide). Limits that the schema also checks come from rules.ts so the
 * two never disagree. Services call `enforceQuota` before a write that would grow a count.
 */
import { limits } from '../db/schema/rules.ts';
import { LimitExceededError } from '../errors.ts';

/** One quota: its AWS default and what it counts. */
export interface Quota {
  readonly limit: number;
  readonly description: string;
}

/** Every enforced quota, named as AWS's error messages and SummaryMap name them. */
export const quotas = {
  Users: { limit: 5000, description: 'IAM users in an account' },
  Groups: { limit: 300, description: 'IAM groups in an account' },
  Roles: { limit: 1000, description: 'IAM roles in an account' },
  Policies: { limit: 1500, description: 'customer managed policies in an account' },
  PolicyVersionsInUse: { limit: 10_000, description: 'versions of customer managed policies in an account' },
  GroupsPerUser: { limit: 10, description: 'groups an IAM user can be a member of' },
  AttachedPoliciesPerUser: { limit: 10, description: 'managed policies attached to one user' },
  AttachedPoliciesPerGroup: { limit: 10, description: 'managed policies attached to one group' },
  AttachedPoliciesPerRole: { limit: 10, description: 'managed policies attached to one role' },
  VersionsPerPolicy: { limit: limits.policyVersionsPerPolicy, description: 'stored versions of one managed policy' },
  AccessKeysPerUser: { limit: limits.accessKeysPerUser, description: 'access keys of one user' },
  MFADevicesPerUser: { limit: 8, description: 'MFA devices assigned to one user' },
  TagsPerEntity: { limit: 50, description: 'tags on one user, role or policy' },
  /** Policy sizes count characters excluding white space, as AWS does. */
  PolicySize: { limit: 6144, description: 'characters in one managed policy version' },
  UserPolicySize: { limit: 2048, description: 'characters in all inline policies of one user' },
  GroupPolicySize: { limit: 5120, description: 'characters in all inline policies of one group' },
  RolePolicySize: { limit: 10_240, description: 'characters in all inline policies of one role' },
  AssumeRolePolicySize: { limit: 2048, description: "characters in one role's trust policy" },
  /** As S3 bounds a bucket policy (20 KB); the engine checks the same for caller-supplied resource policies. */
  ResourcePolicySize: { limit: 20_480, description: "characters in one registered resource's resource policy" },
  /** Resources one importResources call may register (a JSON-lines import goes in chunks of this size). */
  ResourcesPerImport: { limit: 10_000, description: 'resources in one importResources call' },
  /** Portcullis's own: applications' services in the catalog (AWS's come from the dataset). */
  CustomServices: { limit: 100, description: 'custom services in an account' },
} as const satisfies Record<string, Quota>;

/** The name of an enforced quota. */
export type QuotaName = keyof typeof quotas;

/** The limit of a quota. */
export function quotaLimit(name: QuotaName): number {
  return quotas[name].limit;
}

/**
 * Throws LimitExceededError when `current + adding` would pass the quota. `current` is what
 * exists now (e.g. the user's group count); `adding` is how many the write adds.
 */
export function enforceQuota(name: QuotaName, current: number, adding = 1): void {
  const { limit, description } = quotas[name];
  if (current + adding > limit) {
    throw new LimitExceededError(name, limit, `cannot exceed quota for ${name}: ${limit} ${description}`);
  }
}

/** The size quota that applies to a policy document of the given use. */
export type PolicySizeUse = 'managed' | 'userInline' | 'groupInline' | 'roleInline' | 'trust' | 'resource';

const sizeQuotaByUse: Record<PolicySizeUse, QuotaName> = {
  managed: 'PolicySize',
  userInline: 'UserPolicySize',
  groupInline: 'GroupPolicySize',
  roleInline: 'RolePolicySize',
  trust: 'AssumeRolePolicySize',
  resource: 'ResourcePolicySize',
};

/** The quota name that bounds a policy of this use (for messages and the account summary). */
export function policySizeQuota(use: PolicySizeUse): QuotaName {
  return sizeQuotaByUse[use];
}

/**
 * Throws LimitExceededError when a policy of `size` characters (white space excluded, as
 * CompiledPolicy.size counts) exceeds its use's quota. For inline policies pass the aggregate
 * size of the principal's inline policies after the write.
 */
export function enforcePolicySize(use: PolicySizeUse, size: number): void {
  enforceQuota(sizeQuotaByUse[use], size, 0);
}
