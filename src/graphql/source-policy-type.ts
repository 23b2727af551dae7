/**
 * `MatchedStatement.sourcePolicyType`: AWS's SourcePolicyType as an enum. AWS spells the values in
 * kebab case (`aws-managed`); the wire uses UPPER_SNAKE like every other enum, so a client that
 * misspells one in a comparison learns it from its generated types rather than at run time.
 */
import type { MatchedStatement } from '../policy/types.ts';
import { builder } from './builder.ts';

export const SourcePolicyTypeEnum = builder.enumType('SourcePolicyType', {
  description: 'Where a matched statement comes from (AWS SourcePolicyType, plus the layers AWS does not name).',
  values: {
    USER: { value: 'user', description: "An inline policy of a user (AWS `user`)." },
    GROUP: { value: 'group', description: "An inline policy of a group (AWS `group`)." },
    ROLE: { value: 'role', description: "An inline policy of a role (AWS `role`)." },
    AWS_MANAGED: { value: 'aws-managed', description: 'A built-in managed policy (AWS `aws-managed`).' },
    USER_MANAGED: { value: 'user-managed', description: "A customer managed policy of the account (AWS `user-managed`)." },
    RESOURCE: { value: 'resource', description: 'The resource-based policy (AWS `resource`).' },
    PERMISSIONS_BOUNDARY: { value: 'permissions-boundary', description: 'A permissions boundary.' },
    SESSION: { value: 'session', description: 'A session policy.' },
    GUARDRAIL: { value: 'guardrail', description: 'A service control policy (SCP) of the organization.' },
    RESOURCE_GUARDRAIL: { value: 'resource-guardrail', description: 'A resource control policy (RCP) of the organization.' },
    NONE: { value: 'none', description: 'Any other identity policy, e.g. one given in a simulation\'s `policyInputList` (AWS `none`).' },
  } as const,
});

/** AWS's SourcePolicyType for a matched statement. */
export function sourcePolicyType(s: MatchedStatement): typeof SourcePolicyTypeEnum.$inferType {
  if (s.layer === 'resource') return 'resource';
  if (s.layer === 'boundary') return 'permissions-boundary';
  if (s.layer === 'session') return 'session';
  if (s.layer === 'guardrail') return 'guardrail';
  if (s.layer === 'resourceGuardrail') return 'resource-guardrail';
  if (s.policyArn !== undefined) return s.policyArn.startsWith('arn:aws:iam::aws:') ? 'aws-managed' : 'user-managed';
  const inline = /:(user|group|role)\//.exec(s.policyId);
  return (inline?.[1] as 'user' | 'group' | 'role' | undefined) ?? 'none';
}
