/**
 * Updates of an OpenID Connect provider on the wire, named as IAM names them:
 * addClientIDToOpenIDConnectProvider, removeClientIDFromOpenIDConnectProvider,
 * updateOpenIDConnectProviderThumbprint, tagOpenIDConnectProvider, untagOpenIDConnectProvider and
 * the query openIDConnectProviderTags (ListOpenIDConnectProviderTags). Each is authorized as
 * `iam:<Action>` on the provider ARN, with the provider's tags as aws:ResourceTag/* and, for
 * tagging, the tags or keys as request facts.
 */
import type { ActionFacts } from '../authz/action-keys.ts';
import type { Caller } from '../authz/caller.ts';
import { LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import {
  addClientIdToOidcProvider,
  listOidcProviderTags,
  removeClientIdFromOidcProvider,
  tagOidcProvider,
  untagOidcProvider,
  updateOidcProviderThumbprint,
} from '../iam/oidc-provider-updates.ts';
import type { Tag } from '../iam/tag-set.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { orNull } from './directory-guard.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { OidcProviderRef } from './oidc.ts';
import { requireOnOidcProvider } from './oidc-guard.ts';
import { TagInputRef, TagRef } from './tag.ts';

const ARN_DESCRIPTION = 'The provider ARN, `arn:aws:iam::<account>:oidc-provider/<host and path>`.';

/** Declares one `<field>(input: <Name>Input!): <Name>Result` update of a provider. */
function providerUpdate<Fields extends Record<string, unknown>>(options: {
  readonly name: string;
  readonly description: string;
  readonly inputDescription: string;
  readonly fields: (t: PothosSchemaTypes.InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<never>, 'InputObject'>) => Record<string, unknown>;
  readonly errors: Array<new (...args: never[]) => Error>;
  readonly facts?: (input: Fields) => ActionFacts;
  readonly run: (context: GraphQLContext, caller: Caller, input: Fields & { openIDConnectProviderArn: string }) => Promise<unknown>;
}) {
  const field = options.name.charAt(0).toLowerCase() + options.name.slice(1);
  const Input = builder.inputType(`${options.name}Input`, {
    description: options.inputDescription,
    fields: (t) => ({ openIDConnectProviderArn: t.string({ required: true, description: ARN_DESCRIPTION }), ...(options.fields(t as never) as object) }) as never,
  });
  const Success = entitySuccess(options.name, 'openIDConnectProvider', OidcProviderRef, 'The provider after the change.');
  builder.mutationFields((t) => ({
    [field]: t.field({
      type: Success,
      description: options.description,
      args: { input: t.arg({ type: Input, required: true }) },
      errors: resultErrors(options.name, [ValidationError, NoSuchEntityError, ...(options.errors as never[])]),
      resolve: async (_root, { input }, context) => {
        const values = input as unknown as Fields & { openIDConnectProviderArn: string };
        const caller = await requireOnOidcProvider(context, `iam:${options.name}`, values.openIDConnectProviderArn, options.facts?.(values));
        return options.run(context, caller, values) as never;
      },
    }),
  }));
}

providerUpdate<{ clientID: string }>({
  name: 'AddClientIDToOpenIDConnectProvider',
  description: 'AddClientIDToOpenIDConnectProvider: accept one more audience (`aud`). Idempotent: adding a registered client id changes nothing.',
  inputDescription:
    'What addClientIDToOpenIDConnectProvider needs: the provider ARN and a client id of 1-255 characters. Authorized by iam:AddClientIDToOpenIDConnectProvider on the provider; LimitExceeded past 100 client ids.',
  fields: (t) => ({ clientID: t.string({ required: true, description: 'The audience to accept, 1-255 characters.' }) }),
  errors: [LimitExceededError],
  run: (context, caller, input) => addClientIdToOidcProvider(context.database, caller, input),
});

providerUpdate<{ clientID: string }>({
  name: 'RemoveClientIDFromOpenIDConnectProvider',
  description: 'RemoveClientIDFromOpenIDConnectProvider: stop accepting one audience. Idempotent: removing an absent client id changes nothing.',
  inputDescription: 'What removeClientIDFromOpenIDConnectProvider needs: the provider ARN and the client id. Authorized by iam:RemoveClientIDFromOpenIDConnectProvider on the provider.',
  fields: (t) => ({ clientID: t.string({ required: true, description: 'The audience to stop accepting, 1-255 characters.' }) }),
  errors: [],
  run: (context, caller, input) => removeClientIdFromOidcProvider(context.database, caller, input),
});

providerUpdate<{ thumbprintList: string[] }>({
  name: 'UpdateOpenIDConnectProviderThumbprint',
  description: "UpdateOpenIDConnectProviderThumbprint: replace the provider's whole thumbprint list.",
  inputDescription:
    'What updateOpenIDConnectProviderThumbprint needs: the provider ARN and the new list of at most 5 SHA-1 thumbprints (40 hex digits each). Authorized by iam:UpdateOpenIDConnectProviderThumbprint on the provider.',
  fields: (t) => ({ thumbprintList: t.stringList({ required: true, description: 'SHA-1 certificate thumbprints, 40 hex digits each; at most 5.' }) }),
  errors: [],
  run: (context, caller, input) => updateOidcProviderThumbprint(context.database, caller, input),
});

providerUpdate<{ tags: Tag[] }>({
  name: 'TagOpenIDConnectProvider',
  description: 'TagOpenIDConnectProvider: add or overwrite tags (keys compared case-insensitively; at most 50 per provider).',
  inputDescription:
    'What tagOpenIDConnectProvider needs: the provider ARN and the tags to add or overwrite. Authorized by iam:TagOpenIDConnectProvider on the provider, with the tags as aws:RequestTag/<key> and aws:TagKeys.',
  fields: (t) => ({ tags: t.field({ type: [TagInputRef], required: true, description: 'Tags to add or overwrite.' }) }),
  errors: [LimitExceededError],
  facts: (input) => ({ requestTags: input.tags }),
  run: (context, caller, input) => tagOidcProvider(context.database, caller, input),
});

providerUpdate<{ tagKeys: string[] }>({
  name: 'UntagOpenIDConnectProvider',
  description: 'UntagOpenIDConnectProvider: remove tags by key (any case); absent keys are ignored.',
  inputDescription:
    'What untagOpenIDConnectProvider needs: the provider ARN and the tag keys to remove. Authorized by iam:UntagOpenIDConnectProvider on the provider, with the keys as aws:TagKeys.',
  fields: (t) => ({ tagKeys: t.stringList({ required: true, description: 'Keys of the tags to remove.' }) }),
  errors: [],
  facts: (input) => ({ tagKeys: input.tagKeys }),
  run: (context, caller, input) => untagOidcProvider(context.database, caller, input),
});

builder.queryFields((t) => ({
  openIDConnectProviderTags: t.field({
    type: [TagRef],
    nullable: true,
    description: "ListOpenIDConnectProviderTags: the provider's tags; null when there is no such provider. Needs iam:ListOpenIDConnectProviderTags on the provider.",
    args: { openIDConnectProviderArn: t.arg.string({ required: true, description: ARN_DESCRIPTION }) },
    resolve: async (_root, { openIDConnectProviderArn }, context) => {
      const caller = await requireOnOidcProvider(context, 'iam:ListOpenIDConnectProviderTags', openIDConnectProviderArn);
      return orNull(listOidcProviderTags(context.database.db, caller.accountId, openIDConnectProviderArn));
    },
  }),
}));
