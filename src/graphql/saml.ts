/**
 * SAML 2.0 providers on the wire, with IAM's operation names: createSAMLProvider, updateSAMLProvider,
 * deleteSAMLProvider, tagSAMLProvider, untagSAMLProvider (mutations); `samlProvider(samlProviderArn)`
 * (GetSAMLProvider), `samlProviders` (ListSAMLProviders) and `samlProviderTags` (ListSAMLProviderTags).
 * Each is authorized as `iam:<Operation>` on the provider ARN, with the provider's tags as
 * aws:ResourceTag/* when it exists (nothing otherwise, so a refusal reads the same either way).
 */
import type { ActionFacts } from '../authz/action-keys.ts';
import type { Caller } from '../authz/caller.ts';
import { EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import {
  createSamlProvider,
  deleteSamlProvider,
  getSamlProvider,
  listSamlProviders,
  samlProviderArn,
  tagSamlProvider,
  untagSamlProvider,
  updateSamlProvider,
  validateSamlProviderName,
  type SamlProvider,
} from '../iam/saml-providers.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { settled } from './credential-guard.ts';
import { orNull } from './directory-guard.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { TagInputRef, TagRef } from './tag.ts';

const ARN_DESCRIPTION = 'The provider ARN, `arn:aws:iam::<account>:saml-provider/<name>`.';

/** Authorizes `action` on the provider `arn`, with its tags as facts when it exists. */
async function requireOnSamlProvider(context: GraphQLContext, action: string, arn: string, facts?: ActionFacts): Promise<Caller> {
  const caller = context.guard.caller;
  if (caller === undefined) return context.guard.require(action, arn, facts);
  const provider = await getSamlProvider(context.database.db, caller.accountId, arn).catch((error: unknown) => {
    if (error instanceof NoSuchEntityError || error instanceof ValidationError) return undefined;
    throw error;
  });
  return context.guard.require(action, arn, { ...facts, resourceTags: provider?.tags });
}

/** The SAMLProvider object type (GetSAMLProvider's answer, with the ARN and name). */
export const SamlProviderRef = builder.objectRef<SamlProvider>('SAMLProvider').implement({
  description: 'A SAML 2.0 identity provider trusted as `"Principal": {"Federated": "<arn>"}` by assumeRoleWithSAML.',
  fields: (t) => ({
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    samlMetadataDocument: t.exposeString('metadataDocument', { description: 'The IdP metadata XML as uploaded.' }),
    issuer: t.exposeString('entityId', { description: "The IdP's entityID, read from the metadata: the Issuer its assertions must carry." }),
    signingCertificateCount: t.int({ description: 'How many signing certificates the metadata holds.', resolve: (p) => p.signingCertificates.length }),
    validUntilDate: t.field({ type: 'DateTime', nullable: true, description: "AWS's ValidUntil: the metadata's validUntil, after which assertions are refused; null when the metadata has none.", resolve: (p) => p.validUntil }),
    createDate: t.field({ type: 'DateTime', resolve: (p) => p.createdAt }),
    tags: t.field({ type: [TagRef], resolve: (p) => p.tags }),
  }),
});

const CreateInput = builder.inputType('CreateSAMLProviderInput', {
  description:
    "What createSAMLProvider (IAM CreateSAMLProvider) needs: a name (1-128 letters, digits and `_ . -`), the IdP's SAML metadata XML (1,000-262,144 characters, with its entityID and signing certificate) and optionally tags. Authorized by iam:CreateSAMLProvider on the ARN the provider will have, with the tags as request tags.",
  fields: (t) => ({
    name: t.string({ required: true }),
    samlMetadataDocument: t.string({ required: true, description: 'The IdP metadata XML.' }),
    tags: t.field({ type: [TagInputRef] }),
  }),
});
const UpdateInput = builder.inputType('UpdateSAMLProviderInput', {
  description: "What updateSAMLProvider (IAM UpdateSAMLProvider) needs: the provider ARN and the IdP's new metadata (e.g. after a certificate rollover). Authorized by iam:UpdateSAMLProvider on the provider.",
  fields: (t) => ({ samlProviderArn: t.string({ required: true, description: ARN_DESCRIPTION }), samlMetadataDocument: t.string({ required: true }) }),
});
const DeleteInput = builder.inputType('DeleteSAMLProviderInput', {
  description: 'What deleteSAMLProvider (IAM DeleteSAMLProvider) needs: the provider ARN. Authorized by iam:DeleteSAMLProvider on it; trust policies naming it are left as they are.',
  fields: (t) => ({ samlProviderArn: t.string({ required: true, description: ARN_DESCRIPTION }) }),
});
const TagInput = builder.inputType('TagSAMLProviderInput', {
  description: 'What tagSAMLProvider needs: the provider ARN and the tags to add or overwrite. Authorized by iam:TagSAMLProvider on the provider, with the tags as aws:RequestTag/<key> and aws:TagKeys.',
  fields: (t) => ({ samlProviderArn: t.string({ required: true, description: ARN_DESCRIPTION }), tags: t.field({ type: [TagInputRef], required: true }) }),
});
const UntagInput = builder.inputType('UntagSAMLProviderInput', {
  description: 'What untagSAMLProvider needs: the provider ARN and the tag keys to remove. Authorized by iam:UntagSAMLProvider on the provider, with the keys as aws:TagKeys.',
  fields: (t) => ({ samlProviderArn: t.string({ required: true, description: ARN_DESCRIPTION }), tagKeys: t.stringList({ required: true }) }),
});

const success = (name: string, description: string) => entitySuccess(name, 'samlProvider', SamlProviderRef, description);
const CreateSuccess = success('CreateSAMLProvider', 'The registered provider.');
const UpdateSuccess = success('UpdateSAMLProvider', 'The provider with its new metadata.');
const DeleteSuccess = success('DeleteSAMLProvider', 'The provider as it was.');
const TagSuccess = success('TagSAMLProvider', 'The provider after the change.');
const UntagSuccess = success('UntagSAMLProvider', 'The provider after the change.');

builder.queryFields((t) => ({
  samlProviders: t.field({
    type: [SamlProviderRef],
    description: "The account's SAML providers by name (ListSAMLProviders).",
    resolve: async (_root, _args, context) => {
      // AWS lists iam:ListSAMLProviders with no resource type: it is requested on `*`.
      const caller = await context.guard.require('iam:ListSAMLProviders', '*');
      return listSamlProviders(context.database.db, caller.accountId);
    },
  }),
  samlProvider: t.field({
    type: SamlProviderRef,
    nullable: true,
    description: 'One provider by ARN (GetSAMLProvider); null when there is none.',
    args: { samlProviderArn: t.arg.string({ required: true, description: ARN_DESCRIPTION }) },
    resolve: async (_root, { samlProviderArn }, context) => {
      const caller = await requireOnSamlProvider(context, 'iam:GetSAMLProvider', samlProviderArn);
      return orNull(getSamlProvider(context.database.db, caller.accountId, samlProviderArn, 'samlProviderArn'));
    },
  }),
  samlProviderTags: t.field({
    type: [TagRef],
    nullable: true,
    description: "ListSAMLProviderTags: the provider's tags; null when there is no such provider.",
    args: { samlProviderArn: t.arg.string({ required: true, description: ARN_DESCRIPTION }) },
    resolve: async (_root, { samlProviderArn }, context) => {
      const caller = await requireOnSamlProvider(context, 'iam:ListSAMLProviderTags', samlProviderArn);
      return orNull(getSamlProvider(context.database.db, caller.accountId, samlProviderArn, 'samlProviderArn').then((p) => p.tags));
    },
  }),
}));

builder.mutationFields((t) => ({
  createSAMLProvider: t.field({
    type: CreateSuccess,
    description: 'CreateSAMLProvider: register an IdP from its metadata.',
    args: { input: t.arg({ type: CreateInput, required: true }) },
    errors: resultErrors('CreateSAMLProvider', [ValidationError, EntityAlreadyExistsError, LimitExceededError]),
    resolve: async (_root, { input }, context) => {
      const { accountId } = context.guard.caller ?? (await context.guard.require('iam:CreateSAMLProvider', '*'));
      let arn: string;
      try {
        arn = samlProviderArn(accountId, validateSamlProviderName(input.name));
      } catch (error) {
        // Let the union carry the validation error, after authorizing on the account's providers.
        await context.guard.require('iam:CreateSAMLProvider', `arn:aws:iam::${accountId}:saml-provider/*`);
        throw error;
      }
      const caller = await context.guard.require('iam:CreateSAMLProvider', arn, { requestTags: input.tags });
      return settled(context, await createSamlProvider(context.database, caller, input));
    },
  }),
  updateSAMLProvider: t.field({
    type: UpdateSuccess,
    description: "UpdateSAMLProvider: replace the provider's metadata.",
    args: { input: t.arg({ type: UpdateInput, required: true }) },
    errors: resultErrors('UpdateSAMLProvider', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const caller = await requireOnSamlProvider(context, 'iam:UpdateSAMLProvider', input.samlProviderArn);
      return settled(context, await updateSamlProvider(context.database, caller, input));
    },
  }),
  deleteSAMLProvider: t.field({
    type: DeleteSuccess,
    description: 'DeleteSAMLProvider.',
    args: { input: t.arg({ type: DeleteInput, required: true }) },
    errors: resultErrors('DeleteSAMLProvider', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const caller = await requireOnSamlProvider(context, 'iam:DeleteSAMLProvider', input.samlProviderArn);
      return settled(context, await deleteSamlProvider(context.database, caller, input.samlProviderArn));
    },
  }),
  tagSAMLProvider: t.field({
    type: TagSuccess,
    description: 'TagSAMLProvider: add or overwrite tags (keys compared case-insensitively; at most 50 per provider).',
    args: { input: t.arg({ type: TagInput, required: true }) },
    errors: resultErrors('TagSAMLProvider', [ValidationError, NoSuchEntityError, LimitExceededError]),
    resolve: async (_root, { input }, context) => {
      const caller = await requireOnSamlProvider(context, 'iam:TagSAMLProvider', input.samlProviderArn, { requestTags: input.tags });
      return settled(context, await tagSamlProvider(context.database, caller, input));
    },
  }),
  untagSAMLProvider: t.field({
    type: UntagSuccess,
    description: 'UntagSAMLProvider: remove tags by key (any case); absent keys are ignored.',
    args: { input: t.arg({ type: UntagInput, required: true }) },
    errors: resultErrors('UntagSAMLProvider', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const caller = await requireOnSamlProvider(context, 'iam:UntagSAMLProvider', input.samlProviderArn, { tagKeys: input.tagKeys });
      return settled(context, await untagSamlProvider(context.database, caller, input));
    },
  }),
}));
