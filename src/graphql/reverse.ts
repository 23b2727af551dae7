/**
 * The reverse questions on the wire: `whoCan` (this file) and the `whatCan…` fields
 * (reverse-what-can.ts). Each is a Relay connection over the full sorted answer of
 * src/authz/reverse, paged with opaque keyset cursors, carrying the revision it reflects.
 * Resolvers only map input in and answers out; src/authz/reverse decides and self-authorizes.
 */
import type { PageConnection } from './connection.ts';
import { pageConnection } from './connection.ts';
import { answerPage } from '../authz/reverse/answer-page.ts';
import type { ReverseAnswer, WhoCanEntry } from '../authz/reverse/reverse-queries.ts';
import type { DecidingStatement } from '../authz/reverse/grant-sources.ts';
import { toRequestContext, type ContextEntry } from '../authz/context-entries.ts';
import type { RequestContext } from '../policy/types.ts';
import type { ObjectRef } from '@pothos/core';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { factsOf } from './directory-guard.ts';
import { PolicyHolderRef } from './principal-refs.ts';
import type { Role } from '../iam/roles.ts';
import type { User } from '../iam/users.ts';
import { ContextEntryInputRef, DecisionRef, MatchedStatementRef } from './decision.ts';

/** One edge of a reverse connection: the answer item and its cursor. */
export interface ReverseEdge<T> {
  readonly cursor: string;
  readonly item: T;
}

/** A connection page of a reverse answer, with the revision the whole answer reflects. */
export interface ReverseConnection<T> {
  readonly edges: ReadonlyArray<ReverseEdge<T>>;
  readonly pageInfo: PageConnection<T>['pageInfo'];
  readonly revision: string;
  readonly totalCount: number;
}

/** The `first`/`after` arguments of the reverse questions (the input carries the question). */
export const reversePageArgs = builder.args((t) => ({
  first: t.int({ defaultValue: 100, description: 'How many items to return: 1-1000.' }),
  after: t.string({ description: "Return items after this cursor (an edge's `cursor` or `pageInfo.endCursor`)." }),
}));

/** The page of `answer` that `first`/`after` ask for, as a connection. */
export function reverseConnection<T>(answer: ReverseAnswer<T>, keyOf: (item: T) => string, args: { first?: number | null; after?: string | null }): ReverseConnection<T> {
  const { edges, pageInfo } = pageConnection(answerPage(answer.items, keyOf, args));
  return { edges: edges.map((e) => ({ cursor: e.cursor, item: e.node })), pageInfo, revision: answer.revision, totalCount: answer.items.length };
}

/** The input's context entries as the engine's context; a bad entry is a ValidationError on `input.contextEntries[i]…`. */
export function inputContext(entries: unknown): RequestContext {
  return toRequestContext(entries as readonly ContextEntry[] | null | undefined, 'input.contextEntries');
}

/**
 * The connection type of a reverse answer over `edge`: Relay's edges and pageInfo plus the
 * revision and size of the whole answer. Edges carry the answer (the decision and its reasons)
 * beside `node`, the entity itself, as the Relay spec allows.
 */
export function reverseConnectionType<T>(name: string, edge: ObjectRef<any, ReverseEdge<T>>, what: string, order: string) {
  return builder.objectRef<ReverseConnection<T>>(name).implement({
    description: `One page of the ${what} allowed, sorted by ${order}.`,
    fields: (t) => ({
      edges: t.field({ type: [edge], description: 'The items of this page, in order.', resolve: (c) => [...c.edges] }),
      pageInfo: t.field({ type: builder.pageInfoRef(), description: 'Where this page sits: whether more follow, and the cursor to continue after.', resolve: (c) => c.pageInfo }),
      revision: t.exposeString('revision', {
        description: 'The change-log revision the whole answer reflects. Each page is computed anew: pass it as `minRevision` for later pages so they are at least as fresh.',
      }),
      totalCount: t.exposeInt('totalCount', { description: `How many ${what} the whole answer holds, across all pages.` }),
    }),
  });
}

/** What kind of principal of the account an answer names. */
const AccountPrincipalTypeEnum = builder.enumType('AccountPrincipalType', {
  description: 'The kind of principal of the account a reverse answer names.',
  values: {
    ROOT: { description: "The account's root user (allowed everything in its account that no resource policy or guardrail denies)." },
    USER: { description: 'An IAM user.' },
    ROLE: { description: 'An IAM role (the decision its sessions get without session policies).' },
  } as const,
});

/** A deciding statement and how it reached the principal. */
const DecidingStatementRef = builder.objectRef<DecidingStatement>('DecidingStatement').implement({
  description: 'A statement that decided, and how it reached the principal: through groups, the principal\'s own policies, or neither (a resource policy).',
  fields: (t) => ({
    statement: t.field({ type: MatchedStatementRef, description: 'The statement, its policy and its place in the policy text.', resolve: (s) => s.statement }),
    groupArns: t.stringList({ description: "ARNs of the user's groups whose policies hold the statement; empty for roles and for a user's own policies.", resolve: (s) => [...s.groupArns] }),
    direct: t.boolean({ description: 'Whether the statement is in an identity policy of the principal itself (attached to it or embedded in it).', resolve: (s) => s.direct }),
  }),
});

/** The user or role an entry names, once the caller may read it; null for the root user (no User) and for one deleted since. */
async function principalNode(entry: WhoCanEntry, context: GraphQLContext): Promise<User | Role | null> {
  const caller = context.guard.caller;
  if (caller === undefined || entry.principalType === 'Root') return null;
  const key = { accountId: caller.accountId, id: entry.principalId };
  const row = entry.principalType === 'User' ? await context.loaders.principals.userById.load(key) : await context.loaders.principals.roleById.load(key);
  if (row === null) return null;
  await context.guard.require(entry.principalType === 'User' ? 'iam:GetUser' : 'iam:GetRole', row.arn, factsOf(row));
  return row;
}

/** One principal `whoCan` found allowed. */
const WhoCanEdgeRef = builder.objectRef<ReverseEdge<WhoCanEntry>>('WhoCanEdge').implement({
  description: 'A user or role of the account that would be allowed the action on the resource, with the decision `authorize` gives it.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` to continue after this principal.' }),
    node: t.field({
      type: PolicyHolderRef,
      nullable: true,
      description: 'The user or role itself (needs iam:GetUser or iam:GetRole on it; a refusal nulls only this field). Null for the root user.',
      resolve: (e, _args, context) => principalNode(e.item, context),
    }),
    principalArn: t.string({ description: 'The principal: a user, role or root ARN.', resolve: (e) => e.item.principalArn }),
    principalType: t.field({ type: AccountPrincipalTypeEnum, description: 'User, role or root user.', resolve: (e) => e.item.principalType.toUpperCase() as 'ROOT' | 'USER' | 'ROLE' }),
    groupArns: t.stringList({
      description: "The groups through which the grant comes (users only); empty when only the principal's own policies or a resource policy grant.",
      resolve: (e) => [...e.item.groupArns],
    }),
    statements: t.field({ type: [DecidingStatementRef], description: 'The deciding Allow statements, each with the way it reached the principal.', resolve: (e) => [...e.item.statements] }),
    decision: t.field({ type: DecisionRef, description: 'The decision `authorize` gives this principal for the question (ALLOWED), explained.', resolve: (e) => e.item.decision }),
  }),
});

/** A page of `whoCan`. */
const WhoCanConnectionRef = reverseConnectionType('WhoCanConnection', WhoCanEdgeRef, 'principals', 'ARN');

const WhoCanInputRef = builder.inputType('WhoCanInput', {
  description: 'Who can perform `action` on `resourceArn`, in this context?',
  fields: (t) => ({
    action: t.string({ required: true, description: '`service:Action`, e.g. `s3:GetObject`.' }),
    resourceArn: t.string({ required: true, description: 'The resource ARN (a registered resource brings its stored policy and tags), or `*`.' }),
    resourceOwner: t.string({ description: "Account owning the resource; default: the registered resource's, else the account in `resourceArn`, else each principal's." }),
    contextEntries: t.field({ type: [ContextEntryInputRef], description: 'Request context values, as `authorize` takes them.' }),
    minRevision: t.string({ description: 'Answer only from state that reflects at least this revision (as returned by a write).' }),
  }),
});

builder.queryFields((t) => ({
  whoCan: t.field({
    type: WhoCanConnectionRef,
    description:
      "Every user and role of the caller's account (the root user included) that `authorize` would allow `action` on `resourceArn` in the given context, " +
      'sorted by ARN, each with its deciding statements and, for users, the groups through which the grant comes. Action `iam:WhoCan` on the resource ARN; ' +
      'lists only principals on which the caller has `iam:Authorize`.',
    args: { input: t.arg({ type: WhoCanInputRef, required: true, description: 'The question: action, resource, context.' }), ...reversePageArgs },
    resolve: async (_root, { input, first, after }, context) => {
      const answer = await context.authz.reverse.whoCan(context.authz.guard, {
        action: input.action,
        resourceArn: input.resourceArn,
        resourceOwner: input.resourceOwner ?? null,
        context: inputContext(input.contextEntries),
        minRevision: input.minRevision ?? null,
      });
      return reverseConnection(answer, (e) => e.principalArn, { first, after });
    },
  }),
}));
