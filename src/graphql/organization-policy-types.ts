/**
 * enablePolicyType and disablePolicyType (AWS Organizations EnablePolicyType, DisablePolicyType):
 * which policy types the root uses (src/iam/organizations/policy-types.ts). Each is authorized as
 * its action on the root's ARN, with the type as organizations:PolicyType, by principals of the
 * management account only.
 */
import type { WriteResult } from '../changes/outbox.ts';
import { ConstraintViolationError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { disablePolicyType, enablePolicyType } from '../iam/organizations/policy-types.ts';
import { targetArn, type Organization } from '../iam/organizations/tree.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { resultErrors } from './mutation-result.ts';
import { OrganizationPolicyTypeEnum, RootRef } from './organization-refs.ts';
import { requireOrganizations } from './organizations-guard.ts';

/** `<Name>Input { rootId, policyType }`. */
function policyTypeInput(name: 'EnablePolicyType' | 'DisablePolicyType') {
  return builder.inputType(`${name}Input`, {
    description: `What ${name.charAt(0).toLowerCase()}${name.slice(1)} (AWS ${name}) needs: the root (\`r-…\`, the organization's \`root\`) and the policy type. Authorized by organizations:${name} on the root's ARN, with the type as organizations:PolicyType.`,
    fields: (t) => ({
      rootId: t.string({ required: true }),
      policyType: t.field({ type: OrganizationPolicyTypeEnum, required: true }),
    }),
  });
}

function rootSuccess(name: string, description: string) {
  return builder.objectRef<WriteResult<Organization>>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description,
    fields: (t) => ({ root: t.field({ type: RootRef, resolve: (s) => s.result }) }),
  });
}

builder.mutationFields((t) => ({
  enablePolicyType: t.field({
    type: rootSuccess('EnablePolicyType', 'The root with the type among its policyTypes.'),
    description:
      "EnablePolicyType: the type's policies can be attached and bind. Its AWS managed full-access policy (FullAWSAccess, RCPFullAWSAccess) is attached to the root, every OU and every account, so nothing is denied until you attach your own. ConstraintViolation (POLICY_TYPE_ALREADY_ENABLED) when it is enabled.",
    args: { input: t.arg({ type: policyTypeInput('EnablePolicyType'), required: true }) },
    errors: resultErrors('EnablePolicyType', [ValidationError, NoSuchEntityError, ConstraintViolationError]),
    resolve: async (_root, { input }, context) => {
      const { caller } = await requireOrganizations(context, 'organizations:EnablePolicyType', (o) => [targetArn(o, input.rootId)], { facts: { policyType: input.policyType } });
      return enablePolicyType(context.database, caller, input);
    },
  }),
  disablePolicyType: t.field({
    type: rootSuccess('DisablePolicyType', 'The root without the type among its policyTypes.'),
    description:
      'DisablePolicyType: every policy of the type is detached from every target (the policies stay) and none binds until the type is enabled again; attaching one is then ConstraintViolation (POLICY_TYPE_NOT_ENABLED). ConstraintViolation (POLICY_TYPE_NOT_ENABLED) when it is not enabled.',
    args: { input: t.arg({ type: policyTypeInput('DisablePolicyType'), required: true }) },
    errors: resultErrors('DisablePolicyType', [ValidationError, NoSuchEntityError, ConstraintViolationError]),
    resolve: async (_root, { input }, context) => {
      const { caller } = await requireOrganizations(context, 'organizations:DisablePolicyType', (o) => [targetArn(o, input.rootId)], { facts: { policyType: input.policyType } });
      return disablePolicyType(context.database, caller, input);
    },
  }),
}));
