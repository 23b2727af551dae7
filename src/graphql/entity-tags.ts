/**
 * Tags on the wire for every taggable kind (users, roles, customer managed policies), declared once
 * and generated per kind as attachments are: the `tags` field of the type, and Tag<Kind> and
 * Untag<Kind> with their inputs and success types. Each is authorized on the entity's ARN with
 * the tags it sets or the keys it removes as request facts, and hands the id of the entity the guard
 * found to the command, so the write does not look its name or ARN up again.
 */
import type { ObjectRef } from '@pothos/core';
import type { WriteResult } from '../changes/outbox.ts';
import type { Caller } from '../authz/caller.ts';
import type { ActionFacts } from '../authz/action-keys.ts';
import { LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import type { Database } from '../db/client.ts';
import { tagPolicy, untagPolicy } from '../iam/policies.ts';
import type { Tag } from '../iam/tag-set.ts';
import { tagRole, tagUser, untagRole, untagUser } from '../iam/tags.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { requireForField, requireOnPrincipal } from './directory-guard.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { ManagedPolicyRef } from './policy.ts';
import { requireOnPolicy } from './policy-guard.ts';
import { RoleRef, UserRef } from './principal-refs.ts';
import { TagInputRef, TagRef } from './tag.ts';

/** The caller a tag write was authorized for, and the id of the entity the guard found (undefined when none). */
interface Authorized {
  readonly caller: Caller;
  readonly foundId?: string;
}

/** What the tag fields read from a stored user, role or policy. */
interface TaggedEntity {
  readonly arn: string;
  readonly tags: Tag[];
}

/** What differs between the taggable kinds; the fields and mutations are otherwise one definition. */
interface Taggable {
  /** The kind as IAM action names spell it (TagUser, ListRoleTags, …). */
  readonly word: 'User' | 'Role' | 'Policy';
  /** The success types' field holding the entity. */
  readonly key: 'user' | 'role' | 'policy';
  readonly ref: ObjectRef<any, TaggedEntity>;
  /** The input field naming the entity. */
  readonly nameField: 'userName' | 'roleName' | 'policyArn';
  /** What the input names, for its description ("the user", "a customer managed policy's ARN"). */
  readonly target: string;
  /** The action besides List<Word>Tags whose answer includes the tags, and what to say about it. */
  readonly readAction: string;
  readonly tagsDescription: string;
  readonly tagDescription: string;
  readonly authorize: (context: GraphQLContext, action: string, name: string, facts: ActionFacts) => Promise<Authorized>;
  readonly tag: (database: Database, caller: Caller, name: string, tags: readonly Tag[], foundId?: string) => Promise<WriteResult<TaggedEntity>>;
  readonly untag: (database: Database, caller: Caller, name: string, tagKeys: readonly string[], foundId?: string) => Promise<WriteResult<TaggedEntity>>;
}

/** Authorizes on a user or role and passes on the id of the principal the guard found. */
function onPrincipal(kind: 'user' | 'role') {
  return async (context: GraphQLContext, action: string, name: string, facts: ActionFacts): Promise<Authorized> => {
    const { caller, principal } = await requireOnPrincipal(context, action, kind, name, facts);
    return { caller, foundId: principal?.id };
  };
}

const TAGGABLE: readonly Taggable[] = [
  {
    word: 'User',
    key: 'user',
    ref: UserRef,
    nameField: 'userName',
    target: 'the user',
    readAction: 'iam:GetUser',
    tagsDescription: 'Needs iam:ListUserTags or iam:GetUser on the user (ListUsers and GetGroup do not return tags).',
    tagDescription: 'TagUser: add or overwrite tags (keys compared case-insensitively; at most 50 per user).',
    authorize: onPrincipal('user'),
    tag: (database, caller, userName, tags, foundId) => tagUser(database, caller, { userName, tags }, foundId),
    untag: (database, caller, userName, tagKeys, foundId) => untagUser(database, caller, { userName, tagKeys }, foundId),
  },
  {
    word: 'Role',
    key: 'role',
    ref: RoleRef,
    nameField: 'roleName',
    target: 'the role',
    readAction: 'iam:GetRole',
    tagsDescription: 'Needs iam:ListRoleTags or iam:GetRole on the role (ListRoles does not return tags).',
    tagDescription: 'TagRole: add or overwrite tags (keys compared case-insensitively; at most 50 per role).',
    authorize: onPrincipal('role'),
    tag: (database, caller, roleName, tags, foundId) => tagRole(database, caller, { roleName, tags }, foundId),
    untag: (database, caller, roleName, tagKeys, foundId) => untagRole(database, caller, { roleName, tagKeys }, foundId),
  },
  {
    word: 'Policy',
    key: 'policy',
    ref: ManagedPolicyRef,
    nameField: 'policyArn',
    target: "a customer managed policy's ARN (built-in policies are a ValidationError)",
    readAction: 'iam:GetPolicy',
    tagsDescription: 'Needs iam:ListPolicyTags or iam:GetPolicy on the policy.',
    tagDescription: 'TagPolicy: add or overwrite tags on a customer managed policy (at most 50).',
    authorize: async (context, action, policyArn, facts) => {
      const { caller, policy } = await requireOnPolicy(context, action, policyArn, facts);
      return { caller, foundId: policy?.id };
    },
    tag: (database, caller, policyArn, tags, foundId) => tagPolicy(database, caller, { policyArn, tags }, foundId),
    untag: (database, caller, policyArn, tagKeys, foundId) => untagPolicy(database, caller, { policyArn, tagKeys }, foundId),
  },
];

/** Declares `tags` on the kind's type, and Tag<Kind> and Untag<Kind>. */
function tagFieldsAndMutations(kind: Taggable) {
  const { word, nameField } = kind;
  // One definition for three types: the resolver reads only `arn` and `tags`, which every row has.
  builder.objectFields(kind.ref as typeof UserRef, (t) => ({
    tags: t.field({
      type: [TagRef],
      nullable: true,
      description: kind.tagsDescription,
      resolve: async (entity, _args, context) => {
        await requireForField(context, entity.arn, `iam:List${word}Tags`, kind.readAction);
        return entity.tags;
      },
    }),
  }));
  const TagInput = builder.inputType(`Tag${word}Input`, {
    description:
      `What tag${word} (IAM Tag${word}) needs: ${kind.target} and the tags to add or overwrite (keys compared case-insensitively; at most 50 per ${kind.key}). ` +
      `Authorized by iam:Tag${word} on its ARN, with the tags as aws:RequestTag/<key> and aws:TagKeys.`,
    fields: (t) => ({ [nameField]: t.string({ required: true }), tags: t.field({ type: [TagInputRef], required: true }) }),
  });
  const UntagInput = builder.inputType(`Untag${word}Input`, {
    description:
      `What untag${word} (IAM Untag${word}) needs: ${kind.target} and the tag keys to remove (any case; absent keys are ignored). ` +
      `Authorized by iam:Untag${word} on its ARN, with the keys as aws:TagKeys.`,
    fields: (t) => ({ [nameField]: t.string({ required: true }), tagKeys: t.stringList({ required: true }) }),
  });
  const TagSuccess = entitySuccess(`Tag${word}`, kind.key, kind.ref, `The ${kind.key} with its new tags.`);
  const UntagSuccess = entitySuccess(`Untag${word}`, kind.key, kind.ref, `The ${kind.key} with the tags removed.`);
  builder.mutationFields((t) => ({
    [`tag${word}`]: t.field({
      type: TagSuccess,
      description: kind.tagDescription,
      args: { input: t.arg({ type: TagInput, required: true }) },
      errors: resultErrors(`Tag${word}`, [ValidationError, NoSuchEntityError, LimitExceededError]),
      resolve: async (_root, { input }, context) => {
        const name = String(input[nameField]);
        const tags = input['tags'] as Tag[];
        const { caller, foundId } = await kind.authorize(context, `iam:Tag${word}`, name, { requestTags: tags });
        return kind.tag(context.database, caller, name, tags, foundId);
      },
    }),
    [`untag${word}`]: t.field({
      type: UntagSuccess,
      description: `Untag${word}: remove tags by key (any case); absent keys are ignored.`,
      args: { input: t.arg({ type: UntagInput, required: true }) },
      errors: resultErrors(`Untag${word}`, [ValidationError, NoSuchEntityError]),
      resolve: async (_root, { input }, context) => {
        const name = String(input[nameField]);
        const tagKeys = input['tagKeys'] as string[];
        const { caller, foundId } = await kind.authorize(context, `iam:Untag${word}`, name, { tagKeys });
        return kind.untag(context.database, caller, name, tagKeys, foundId);
      },
    }),
  }));
}
for (const kind of TAGGABLE) tagFieldsAndMutations(kind);
