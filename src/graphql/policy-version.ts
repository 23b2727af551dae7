/**
 * Policy versions on the wire: the PolicyVersion type, the `policyVersion` read, and
 * CreatePolicyVersion, SetDefaultPolicyVersion and DeletePolicyVersion, each authorized on the
 * policy's ARN. Versions are immutable; only which one is the default moves.
 */
import type { WriteResult } from '../changes/outbox.ts';
import { DeleteConflictError, LimitExceededError, MalformedPolicyDocumentError, NoSuchEntityError, ValidationError } from '../errors.ts';
import type { ManagedPolicy, PolicyVersion } from '../iam/policies.ts';
import {
  createPolicyVersion,
  deletePolicyVersion,
  getPolicyVersion,
  setDefaultPolicyVersion,
  type CreatedPolicyVersion,
} from '../iam/policy-versions.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { orNull } from './directory-guard.ts';
import { loadGuardedNodes } from './node-guard.ts';
import { requireOnPolicy } from './policy-guard.ts';
import { PolicyFindingRef } from './error-types.ts';
import { resultErrors } from './mutation-result.ts';
import { ManagedPolicyRef, PolicyVersionRef } from './policy.ts';

/** The raw id of a version: its policy's unique id (never reused, unlike an ARN) and its version id. */
const versionKey = (v: PolicyVersion) => `${v.policyId}/${v.versionId}`;

builder.node(PolicyVersionRef, {
  description: 'One immutable version of a managed policy.',
  id: { resolve: versionKey },
  loadMany: (ids, context) =>
    loadGuardedNodes(
      context,
      'iam:GetPolicyVersion',
      ids,
      (caller) => context.loaders.policies.byId.loadMany(ids.map((id) => ({ accountId: caller.accountId, id: id.split('/')[0]! }))),
      async (policy, _caller, id) => {
        // As policyVersion(policyArn, versionId) shows it: GetPolicyVersion on the policy, before telling whether the version exists.
        if (policy === null) return null;
        await context.guard.require('iam:GetPolicyVersion', policy.arn, { resourceTags: policy.tags });
        const versions = await context.loaders.policies.versions.load(policy.id);
        return versions.find((v) => versionKey(v) === id) ?? null;
      },
    ),
  fields: (t) => ({
    versionId: t.exposeString('versionId', { description: '`v1`, `v2`, …; a deleted version id is never reused.' }),
    policy: t.field({
      type: ManagedPolicyRef,
      description: 'The managed policy this is a version of.',
      resolve: async (v, _args, context) => {
        const policy = await context.loaders.policies.byId.load({ accountId: context.guard.caller?.accountId ?? '', id: v.policyId });
        // A version is read through its policy, in the same request: the policy is there.
        if (policy === null) throw new NoSuchEntityError('Policy', v.policyId);
        return policy;
      },
    }),
    document: t.exposeString('document', { description: 'The policy JSON text as submitted.' }),
    isDefaultVersion: t.exposeBoolean('isDefault', { description: 'Whether this is the version in effect.' }),
    createDate: t.field({ type: 'DateTime', resolve: (v) => v.createdAt }),
  }),
});

builder.queryFields((t) => ({
  policyVersion: t.field({
    type: PolicyVersionRef,
    nullable: true,
    description: 'One version of a managed policy (GetPolicyVersion); null when there is none.',
    args: { policyArn: t.arg.string({ required: true }), versionId: t.arg.string({ required: true }) },
    resolve: async (_root, { policyArn, versionId }, context) => {
      const { caller } = await requireOnPolicy(context, 'iam:GetPolicyVersion', policyArn);
      return orNull(getPolicyVersion(context.database.db, caller.accountId, policyArn, versionId));
    },
  }),
}));

const CreatePolicyVersionInput = builder.inputType('CreatePolicyVersionInput', {
  description:
    "What createPolicyVersion (IAM CreatePolicyVersion) needs: a customer managed policy's ARN, the new version's document and whether it becomes the default. Authorized by iam:CreatePolicyVersion on the policy ARN. LimitExceeded when the policy already has five versions (delete one first) or the document is over 6,144 characters; an invalid document is a MalformedPolicyDocument with findings.",
  fields: (t) => ({
    policyArn: t.string({ required: true }),
    policyDocument: t.string({ required: true, description: 'The new version\'s policy JSON.' }),
    setAsDefault: t.boolean({ defaultValue: false, description: 'Make the new version the one in effect.' }),
  }),
});
const PolicyVersionInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({ policyArn: t.string({ required: true }), versionId: t.string({ required: true, description: '`v1`, `v2`, …' }) }),
  });
const SetDefaultPolicyVersionInput = PolicyVersionInput(
  'SetDefaultPolicyVersionInput',
  'What setDefaultPolicyVersion (IAM SetDefaultPolicyVersion) needs: a customer managed policy\'s ARN and the stored version to put in effect. Authorized by iam:SetDefaultPolicyVersion on the policy ARN; the permissions of every principal the policy touches change with it.',
);
const DeletePolicyVersionInput = PolicyVersionInput(
  'DeletePolicyVersionInput',
  'What deletePolicyVersion (IAM DeletePolicyVersion) needs: a customer managed policy\'s ARN and the version to delete. Authorized by iam:DeletePolicyVersion on the policy ARN; deleting the default version is a DeleteConflict. Version ids are never reused.',
);

const CreatePolicyVersionSuccess = builder.objectRef<WriteResult<CreatedPolicyVersion>>('CreatePolicyVersionSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'The new version, its policy, and what the validator noticed about the document.',
  fields: (t) => ({
    policy: t.field({ type: ManagedPolicyRef, resolve: (s) => s.result.policy }),
    policyVersion: t.field({ type: PolicyVersionRef, resolve: (s) => s.result.version }),
    findings: t.field({
      type: [PolicyFindingRef],
      description: 'Non-error findings about the document: security warnings, warnings and suggestions.',
      resolve: (s) => [...s.result.findings],
    }),
  }),
});

/** `<Name>Success { policy, policyVersion, revision }`. */
function versionSuccess(name: string, description: string) {
  return builder.objectRef<WriteResult<{ policy: ManagedPolicy; version: PolicyVersion }>>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description,
    fields: (t) => ({
      policy: t.field({ type: ManagedPolicyRef, resolve: (s) => s.result.policy }),
      policyVersion: t.field({ type: PolicyVersionRef, resolve: (s) => s.result.version }),
    }),
  });
}
const SetDefaultPolicyVersionSuccess = versionSuccess('SetDefaultPolicyVersion', 'The policy and its new default version.');
const DeletePolicyVersionSuccess = versionSuccess('DeletePolicyVersion', 'The policy and the version as it was before deletion.');

builder.mutationFields((t) => ({
  createPolicyVersion: t.field({
    type: CreatePolicyVersionSuccess,
    description: 'CreatePolicyVersion: store a new version (at most five per policy), optionally as the default.',
    args: { input: t.arg({ type: CreatePolicyVersionInput, required: true }) },
    errors: resultErrors('CreatePolicyVersion', [ValidationError, NoSuchEntityError, LimitExceededError, MalformedPolicyDocumentError]),
    resolve: async (_root, { input }, context) => {
      const { caller, policy } = await requireOnPolicy(context, 'iam:CreatePolicyVersion', input.policyArn);
      return createPolicyVersion(context.database, caller, input, { foundId: policy?.id });
    },
  }),
  setDefaultPolicyVersion: t.field({
    type: SetDefaultPolicyVersionSuccess,
    description: 'SetDefaultPolicyVersion: make a stored version the one in effect.',
    args: { input: t.arg({ type: SetDefaultPolicyVersionInput, required: true }) },
    errors: resultErrors('SetDefaultPolicyVersion', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, policy } = await requireOnPolicy(context, 'iam:SetDefaultPolicyVersion', input.policyArn);
      return setDefaultPolicyVersion(context.database, caller, input, { foundId: policy?.id });
    },
  }),
  deletePolicyVersion: t.field({
    type: DeletePolicyVersionSuccess,
    description: 'DeletePolicyVersion: delete a version that is not the default.',
    args: { input: t.arg({ type: DeletePolicyVersionInput, required: true }) },
    errors: resultErrors('DeletePolicyVersion', [ValidationError, NoSuchEntityError, DeleteConflictError]),
    resolve: async (_root, { input }, context) => {
      const { caller, policy } = await requireOnPolicy(context, 'iam:DeletePolicyVersion', input.policyArn);
      return deletePolicyVersion(context.database, caller, input, { foundId: policy?.id });
    },
  }),
}));
