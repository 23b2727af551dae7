/**
 * Policy generation from use, as IAM Access Analyzer's StartPolicyGeneration/GetGeneratedPolicy
 * (self-authorized as `access-analyzer:StartPolicyGeneration` on `*`): for a user or role of the
 * caller's account and a window of at most 90 days (AWS's CloudTrail limit), a least-privilege
 * draft from its allowed decisions (policy-draft.ts), with an access preview: which of the
 * actions its policies grant today the draft would no longer grant.
 */
import { compilePolicy, isActionGranted, type CompiledPolicy } from '../../policy/index.ts';
import { ValidationError } from '../../errors.ts';
import type { Database } from '../../db/client.ts';
import type { CompiledPolicyCache } from '../compiled-policies.ts';
import type { AccessGuard } from '../caller.ts';
import { findEntity, resolveEntity } from './advisor-entities.ts';
import { grantedServices } from './granted-services.ts';
import { draftPolicy, type PolicyDraft } from './policy-draft.ts';
import { allowedUses, MAX_ALLOWED_USES } from './usage-reads.ts';

/** What to generate a policy for. */
export interface PolicyGenerationInput {
  readonly principalArn: string;
  readonly startTime: Date;
  /** Default now. */
  readonly endTime?: Date | null;
}

/** How the draft compares with what the principal is granted today. */
export interface AccessPreview {
  /** Actions the principal's policies grant today. */
  readonly grantedActionCount: number;
  /** Of those, how many the draft would deny. */
  readonly deniedActionCount: number;
  /** The first MAX_PREVIEW_ACTIONS of them, sorted. */
  readonly deniedActions: readonly string[];
  /** Actions the draft grants that the policies do not grant today (uses allowed by a resource policy alone). */
  readonly newlyGrantedActions: readonly string[];
}

/** A generated policy and its window. */
export interface GeneratedPolicy {
  readonly principalArn: string;
  readonly startTime: Date;
  readonly endTime: Date;
  readonly draft: PolicyDraft;
  readonly preview: AccessPreview;
}

/** AWS's longest window for policy generation. */
const MAX_WINDOW_DAYS = 90;
const MAX_PREVIEW_ACTIONS = 1_000;
const DAY_MS = 86_400_000;

/** Generates a draft for `input.principalArn` from its allowed decisions in the window. */
export async function generatePolicy(database: Database, compiled: CompiledPolicyCache, guard: Pick<AccessGuard, 'require'>, input: PolicyGenerationInput): Promise<GeneratedPolicy> {
  const caller = await guard.require('access-analyzer:StartPolicyGeneration', '*');
  const now = new Date();
  const endTime = input.endTime ?? now;
  if (Number.isNaN(input.startTime.getTime()) || Number.isNaN(endTime.getTime())) throw new ValidationError('input.startDate', 'date', 'input.startDate and input.endDate must be dates');
  if (endTime <= input.startTime) throw new ValidationError('input.endDate', 'order', 'input.endDate must be after input.startDate');
  if (endTime.getTime() - input.startTime.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw new ValidationError('input.startDate', 'range', `the window from input.startDate to input.endDate must be at most ${MAX_WINDOW_DAYS} days`);
  }
  const entity = await findEntity(database, caller.accountId, input.principalArn, 'input.principalArn');
  if (entity.type !== 'USER' && entity.type !== 'ROLE') throw new ValidationError('input.principalArn', 'principal', 'input.principalArn must name a user or a role');
  const [uses, resolved] = await Promise.all([allowedUses(database, entity.id, input.startTime, endTime), resolveEntity(database, compiled, entity, caller.accountId)]);
  const draft = draftPolicy(uses.slice(0, MAX_ALLOWED_USES), uses.length <= MAX_ALLOWED_USES);
  const draftGrants = { identity: draft.statementCount === 0 ? [] : [compiledDraftOf(draft)] };
  const denied: string[] = [];
  let granted = 0;
  for (const { service, actions } of await grantedServices(database, caller.accountId, resolved.grants)) {
    for (const action of actions) {
      granted++;
      const name = `${service.prefix}:${action.name}`;
      if (!isActionGranted(draftGrants, name.toLowerCase())) denied.push(name);
    }
  }
  const newlyGranted = draft.actions.filter((a) => !isActionGranted(resolved.grants, a.toLowerCase()));
  return {
    principalArn: entity.arn,
    startTime: input.startTime,
    endTime,
    draft,
    preview: { grantedActionCount: granted, deniedActionCount: denied.length, deniedActions: denied.slice(0, MAX_PREVIEW_ACTIONS), newlyGrantedActions: newlyGranted },
  };
}

/** The draft compiled for the preview (a draft with no statement grants nothing and is not compiled). */
function compiledDraftOf(draft: PolicyDraft): CompiledPolicy {
  const compiled = compilePolicy(draft.policyDocument, 'identity', { id: 'generated-draft', name: 'GeneratedPolicy' }, { sizeQuota: Number.POSITIVE_INFINITY });
  // Invariant: the draft is built from well-formed actions and ARNs, so it always compiles.
  if (!compiled.ok) throw new Error(`generated draft failed validation: ${compiled.findings.map((f) => f.message).join('; ')}`);
  return compiled.policy;
}
