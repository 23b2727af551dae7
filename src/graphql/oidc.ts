/**
 * OpenID Connect providers on the wire: createOpenIDConnectProvider (with the issuer's JWKS
 * inline, or without it to fetch keys from the issuer), `openIDConnectProviders`, `openIDConnectProvider(arn)`, deleteOpenIDConnectProvider.
 */
import { EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { createOidcProvider, deleteOidcProvider, getOidcProvider, listOidcProviders, oidcProviderArn, validateIssuerUrl, type OidcProvider } from '../iam/oidc-providers.ts';
import { builder } from './builder.ts';
import { settled } from './credential-guard.ts';
import { orNull } from './directory-guard.ts';
import { loadGuardedNodes } from './node-guard.ts';
import { requireOnOidcProvider } from './oidc-guard.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { TagInputRef, TagRef } from './tag.ts';

/** The OpenIDConnectProvider object type (its fields below; its updates in oidc-updates.ts). */
export const OidcProviderRef = builder.objectRef<OidcProvider>('OpenIDConnectProvider');

builder.node(OidcProviderRef, {
  description: 'An OIDC identity provider trusted as `"Principal": {"Federated": "<arn>"}`.',
  // The ARN never changes: it is made of the issuer URL, which cannot be updated.
  id: { resolve: (p) => p.arn },
  loadMany: (ids, context) =>
    loadGuardedNodes(
      context,
      'iam:GetOpenIDConnectProvider',
      ids,
      (caller) => context.loaders.credentials.oidcProviderByArn.loadMany(ids.map((id) => ({ accountId: caller.accountId, id }))),
      async (provider, _caller, arn) => {
        // As openIDConnectProvider(arn) shows it: decided on the ARN asked for whether or not it exists.
        await context.guard.require('iam:GetOpenIDConnectProvider', arn, { resourceTags: provider?.tags });
        return provider;
      },
    ),
  fields: (t) => ({
    arn: t.exposeString('arn'),
    url: t.exposeString('url'),
    clientIdList: t.exposeStringList('clientIds'),
    thumbprintList: t.exposeStringList('thumbprints'),
    keyIds: t.stringList({
      description: 'The `kid` of each signing key: given inline, or fetched from the issuer (after the first token is verified, and again when a token names a key not yet known, at most once a minute).',
      resolve: (p) => (p.jwks?.keys ?? []).map((k) => (typeof k['kid'] === 'string' ? k['kid'] : '')).filter((k) => k !== ''),
    }),
    keysFetchDate: t.field({
      type: 'DateTime',
      nullable: true,
      description: "When the signing keys were last fetched from the issuer through discovery; null for keys given inline or not fetched yet.",
      resolve: (p) => (p.jwksUri === null ? null : p.jwksFetchedAt),
    }),
    tags: t.field({ type: [TagRef], resolve: (p) => p.tags }),
    createDate: t.field({ type: 'DateTime', resolve: (p) => p.createdAt }),
  }),
});

const CreateInput = builder.inputType('CreateOpenIDConnectProviderInput', {
  description:
    "What createOpenIDConnectProvider (IAM CreateOpenIDConnectProvider) needs: the issuer's https URL, the audiences it accepts, and optionally thumbprints, its signing keys and tags. Authorized by iam:CreateOpenIDConnectProvider on the ARN the provider will have (arn:aws:iam::<account>:oidc-provider/<host and path>), with the tags as request tags; EntityAlreadyExists when the issuer is already registered. Roles then trust it as `\"Principal\": {\"Federated\": \"<provider ARN>\"}` for assumeRoleWithWebIdentity.",
  fields: (t) => ({
    url: t.string({ required: true, description: 'The issuer URL (`iss`), https.' }),
    clientIdList: t.stringList({ description: 'Accepted audiences (`aud`).' }),
    thumbprintList: t.stringList({ description: "SHA-1 thumbprints of the issuer's certificates: recorded, not checked, as AWS does for issuers with publicly trusted certificates; keys are fetched over TLS verified against the system's trusted CAs (docs/security.md)." }),
    jwks: t.string({
      description: "The issuer JSON Web Key Set as JSON text: public keys that sign its tokens. Omitted: fetched from the issuer's `/.well-known/openid-configuration` `jwks_uri` when a token is verified.",
    }),
    tags: t.field({ type: [TagInputRef] }),
  }),
});
const DeleteInput = builder.inputType('DeleteOpenIDConnectProviderInput', {
  description:
    'What deleteOpenIDConnectProvider (IAM DeleteOpenIDConnectProvider) needs: the provider ARN. Authorized by iam:DeleteOpenIDConnectProvider on it. Its tokens stop buying role sessions; trust policies that name it are left as they are.',
  fields: (t) => ({ openIDConnectProviderArn: t.string({ required: true }) }),
});
const CreateSuccess = entitySuccess('CreateOpenIDConnectProvider', 'openIDConnectProvider', OidcProviderRef, 'The registered provider.');
const DeleteSuccess = entitySuccess('DeleteOpenIDConnectProvider', 'openIDConnectProvider', OidcProviderRef, 'The provider as it was.');

builder.queryFields((t) => ({
  openIDConnectProviders: t.field({
    type: [OidcProviderRef],
    description: "The account's OIDC providers (ListOpenIDConnectProviders).",
    resolve: async (_root, _args, context) => {
      // AWS lists iam:ListOpenIDConnectProviders with no resource type: it is requested on `*`, whatever the path prefix.
      const caller = await context.guard.require('iam:ListOpenIDConnectProviders', '*');
      return listOidcProviders(context.database.db, caller.accountId);
    },
  }),
  openIDConnectProvider: t.field({
    type: OidcProviderRef,
    nullable: true,
    description: 'One provider by ARN (GetOpenIDConnectProvider); null when there is none.',
    args: { openIDConnectProviderArn: t.arg.string({ required: true }) },
    resolve: async (_root, { openIDConnectProviderArn }, context) => {
      const caller = await requireOnOidcProvider(context, 'iam:GetOpenIDConnectProvider', openIDConnectProviderArn);
      return orNull(getOidcProvider(context.database.db, caller.accountId, openIDConnectProviderArn, 'openIDConnectProviderArn'));
    },
  }),
}));

builder.mutationFields((t) => ({
  createOpenIDConnectProvider: t.field({
    type: CreateSuccess,
    description: 'CreateOpenIDConnectProvider.',
    args: { input: t.arg({ type: CreateInput, required: true }) },
    errors: resultErrors('CreateOpenIDConnectProvider', [ValidationError, EntityAlreadyExistsError, LimitExceededError]),
    resolve: async (_root, { input }, context) => {
      const { accountId } = context.guard.caller ?? (await context.guard.require('iam:CreateOpenIDConnectProvider', '*'));
      let arn: string;
      try {
        arn = oidcProviderArn(accountId, validateIssuerUrl(input.url));
      } catch (error) {
        // Let the union carry the validation error, after authorizing on the account's providers.
        await context.guard.require('iam:CreateOpenIDConnectProvider', `arn:aws:iam::${accountId}:oidc-provider/*`);
        throw error;
      }
      const caller = await context.guard.require('iam:CreateOpenIDConnectProvider', arn, { requestTags: input.tags });
      return createOidcProvider(context.database, caller, input);
    },
  }),
  deleteOpenIDConnectProvider: t.field({
    type: DeleteSuccess,
    description: 'DeleteOpenIDConnectProvider.',
    args: { input: t.arg({ type: DeleteInput, required: true }) },
    errors: resultErrors('DeleteOpenIDConnectProvider', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const caller = await requireOnOidcProvider(context, 'iam:DeleteOpenIDConnectProvider', input.openIDConnectProviderArn);
      return settled(context, await deleteOidcProvider(context.database, caller, input.openIDConnectProviderArn));
    },
  }),
}));
