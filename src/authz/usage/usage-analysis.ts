/**
 * Least privilege from real use, one object per process (AuthzRuntime.usage): access advisor
 * reports, unused-access findings and policy generation, each self-authorized through the
 * request's guard. Commands know nothing of the wire; src/graphql maps them.
 */
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/client.ts';
import type { AccessGuard } from '../caller.ts';
import type { CompiledPolicyCache } from '../compiled-policies.ts';
import type { EffectivePolicyStore } from '../effective-policies.ts';
import { AccessAdvisor } from './access-advisor.ts';
import { generatePolicy, type GeneratedPolicy, type PolicyGenerationInput } from './policy-generation.ts';
import { analyzeUnusedAccess, validateUnusedAccessAge, type UnusedAccessReport } from './unused-access.ts';

/** The guard's one method these commands use. */
type Guard = Pick<AccessGuard, 'require'>;

/** The usage-based analyses. */
export class UsageAnalysis {
  readonly advisor: AccessAdvisor;

  constructor(
    private readonly database: Database,
    private readonly compiled: CompiledPolicyCache,
    private readonly effective: Pick<EffectivePolicyStore, 'loadMany'>,
    /** The server's clock: windows end at its now. */
    private readonly clock: Clock,
  ) {
    this.advisor = new AccessAdvisor(database, compiled);
  }

  /** Access Analyzer's unused-access findings for the caller's account (`access-analyzer:ListFindings` on `*`). */
  async unusedAccess(guard: Guard, unusedAccessAge: number, field = 'unusedAccessAge'): Promise<UnusedAccessReport> {
    validateUnusedAccessAge(unusedAccessAge, field);
    const caller = await guard.require('access-analyzer:ListFindings', '*');
    return analyzeUnusedAccess(this.database, this.effective, caller.accountId, unusedAccessAge, new Date(this.clock.now()));
  }

  /** The same analysis for an already-authorized watcher (the subscription re-checks its permission itself). */
  analyze(accountId: string, unusedAccessAge: number): Promise<UnusedAccessReport> {
    return analyzeUnusedAccess(this.database, this.effective, accountId, unusedAccessAge, new Date(this.clock.now()));
  }

  /** A least-privilege draft from the principal's allowed decisions in the window. */
  generatePolicy(guard: Guard, input: PolicyGenerationInput): Promise<GeneratedPolicy> {
    return generatePolicy(this.database, this.compiled, guard, input);
  }
}
