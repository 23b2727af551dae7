/**
 * What the escalation analysis reads about one account: its users and roles with their effective
 * policies, its groups with theirs, its roles' trust policies, the versions of its managed
 * policies, the policies worth attaching, and the organisation's guardrails (SCPs) as the engine's
 * GUARDRAIL layer takes them. Plain data, built from the database (load-directory.ts) or by hand
 * in tests; the analysis (analyze.ts) does no I/O.
 */
import type { CompiledPolicy, GuardrailLevels, RequestPrincipal } from '../../policy/types.ts';

/** A user or role, as the engine sees it when it makes requests. */
export interface DirectoryPrincipal {
  readonly arn: string;
  readonly type: 'User' | 'Role';
  /** The engine's principal (aws:username, tags, a role's ARN, …). */
  readonly principal: RequestPrincipal;
  /** Its identity policies, a user's groups' included; managed ones carry their ARN in `meta.arn`. */
  readonly identity: readonly CompiledPolicy[];
  /** Its permissions boundary, when it has one. */
  readonly boundary?: readonly CompiledPolicy[];
  /** Users: the ARNs of the groups it is a member of. */
  readonly groupArns: readonly string[];
  /** Users: whether a console password (login profile) is set; unknown when absent. */
  readonly hasPassword?: boolean;
}

/** A group and its own identity policies. */
export interface DirectoryGroup {
  readonly arn: string;
  readonly identity: readonly CompiledPolicy[];
}

/** A role's trust policy (undefined when it does not compile: nobody can assume the role). */
export interface DirectoryRole {
  readonly arn: string;
  readonly trust: CompiledPolicy | undefined;
}

/** One version of a managed policy; compiled on demand, since only a few are ever asked about. */
export interface DirectoryPolicyVersion {
  readonly versionId: string;
  readonly isDefault: boolean;
  readonly policy: () => CompiledPolicy | undefined;
}

/** An account's users, roles, groups and policies, as of one revision. */
export interface EscalationDirectory {
  readonly accountId: string;
  /** Users (not the root user, which already holds every permission) and roles. */
  readonly principals: readonly DirectoryPrincipal[];
  readonly groups: readonly DirectoryGroup[];
  readonly roles: readonly DirectoryRole[];
  /** Versions of the account's managed policies by policy ARN (policies without other versions may be left out). */
  readonly policyVersions: ReadonlyMap<string, readonly DirectoryPolicyVersion[]>;
  /**
   * Managed policies worth attaching, most powerful first (those that allow every action, such as
   * AdministratorAccess); the analysis tries the first few.
   */
  readonly attachable: ReadonlyArray<{ readonly arn: string; readonly policy: CompiledPolicy }>;
  /** The account's SCPs by level (every level must allow); absent when none apply. */
  readonly guardrails?: GuardrailLevels;
}
