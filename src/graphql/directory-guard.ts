/**
 * Self-authorization and read-error plumbing shared by the user, group and role type files.
 * Directory actions are authorized on the ARN of what they touch; for an existing entity that ARN
 * includes its path, which only a lookup can tell, so `principalTargetFor` looks it up first and
 * `requireOnPrincipal` hands what it found to the resolver, whose command then reads the row by
 * unique id (`foundId`) instead of looking the name up a second time.
 */
import type DataLoader from 'dataloader';
import type { ActionFacts, FactTag } from '../authz/action-keys.ts';
import type { Caller } from '../authz/caller.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import type { Group } from '../iam/groups.ts';
import type { Role } from '../iam/roles.ts';
import type { User } from '../iam/users.ts';
import { validateName } from '../iam/validation.ts';
import type { PrincipalKind } from '../iam/principal-refs.ts';
import type { GraphQLContext } from './context.ts';
import { loadGuardedNodes } from './node-guard.ts';
import type { EntityKey } from './principal-loaders.ts';

/** `arn:aws:iam::<account>:<kind><path><name>`. */
export function principalArn(accountId: string, kind: PrincipalKind, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

/**
 * Authorizes `action` on the ARN `arnOf` builds from the caller's account, returning the caller.
 * Anonymous requests are rejected by `require` (UNAUTHENTICATED) before anything is looked up.
 */
export async function requireInAccount(
  context: GraphQLContext,
  action: string,
  arnOf: (accountId: string) => string | Promise<string>,
  facts?: ActionFacts,
): Promise<Caller> {
  const accountId = context.guard.caller?.accountId;
  if (accountId === undefined) return context.guard.require(action, '*');
  return context.guard.require(action, await arnOf(accountId), facts);
}

/** The stored row of each principal kind. */
export type PrincipalRow<K extends PrincipalKind> = K extends 'user' ? User : K extends 'group' ? Group : Role;

/** A principal a request acts on: its ARN, the facts about it that condition keys test, and its row. */
export interface PrincipalTarget<K extends PrincipalKind = PrincipalKind> {
  readonly arn: string;
  /** Its tags (aws:ResourceTag/*, iam:ResourceTag/*) and permissions boundary (iam:PermissionsBoundary). */
  readonly facts: ActionFacts;
  /** The stored principal; undefined when none has the name (or the name is invalid). */
  readonly found: PrincipalRow<K> | undefined;
}

/** A stored user, role or group row, as far as condition keys look at it (groups have neither field). */
export interface TargetRow {
  readonly tags?: readonly FactTag[];
  readonly permissionsBoundaryArn?: string | null;
}

/** The facts a stored principal contributes: its tags and its permissions boundary. */
export function factsOf(row: TargetRow): ActionFacts {
  return { resourceTags: row.tags, permissionsBoundary: row.permissionsBoundaryArn };
}

/**
 * The `kind` named `name` in `accountId` as `principalArnFor` finds it, with its tags and boundary
 * from the same lookup (nothing for one that does not exist).
 */
export async function principalTargetFor<K extends PrincipalKind>(context: GraphQLContext, accountId: string, kind: K, name: string): Promise<PrincipalTarget<K>> {
  const missing: PrincipalTarget<K> = { arn: principalArn(accountId, kind, '/', name), facts: {}, found: undefined };
  try {
    validateName(NAME_KIND[kind], name);
  } catch (error) {
    if (error instanceof ValidationError) return missing;
    throw error;
  }
  // Batched: the aliases of one operation that name principals cost one statement per kind.
  const loaders = context.loaders.principals;
  const loader = kind === 'user' ? loaders.userByName : kind === 'group' ? loaders.groupByName : loaders.roleByName;
  const found = (await loader.load({ accountId, id: name })) as (TargetRow & { arn: string }) | null;
  return found === null ? missing : { arn: found.arn, facts: factsOf(found), found: found as PrincipalRow<K> };
}

/**
 * A read's answer for the principal `requireOnPrincipal` looked up: its row, or null when none has
 * the name. An invalid name is a ValidationError on `field`, as the service reports it.
 */
export function foundOrNull<K extends PrincipalKind>(found: PrincipalRow<K> | undefined, kind: K, name: string, field: string): PrincipalRow<K> | null {
  if (found !== undefined) return found;
  validateName(NAME_KIND[kind], name, field);
  return null;
}

/** The name rule of each principal kind. */
const NAME_KIND = { user: 'userName', group: 'groupName', role: 'roleName' } as const satisfies Record<PrincipalKind, string>;

/**
 * The ARN of the `kind` named `name` in `accountId`: the stored ARN (with its path) when it exists,
 * else the ARN it would have at path `/`, so a caller who may not act on it is denied before learning
 * whether it exists. Invalid names fall back the same way; the service then reports them.
 */
export async function principalArnFor(context: GraphQLContext, accountId: string, kind: PrincipalKind, name: string): Promise<string> {
  return (await principalTargetFor(context, accountId, kind, name)).arn;
}

/** The action that reads one principal of each kind: who may perform it could learn its ARN anyway. */
const READ_ACTION: Readonly<Record<PrincipalKind, string>> = { user: 'iam:GetUser', group: 'iam:GetGroup', role: 'iam:GetRole' };

/** A same-account user or role ARN: its kind, and its name after the path. */
const PRINCIPAL_ARN = /^arn:aws:iam::(\d{12}):(user|role)\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;

/**
 * The facts of the user or role an ARN names in the caller's account (its tags and boundary), or
 * none for any other ARN, or one whose path does not match the stored principal.
 */
export async function principalFactsForArn(context: GraphQLContext, arn: string): Promise<ActionFacts> {
  const match = PRINCIPAL_ARN.exec(arn);
  const accountId = context.guard.caller?.accountId;
  if (match === null || accountId === undefined || match[1] !== accountId) return {};
  const target = await principalTargetFor(context, accountId, match[2] as PrincipalKind, match[3]!);
  return target.arn === arn ? target.facts : {};
}

/** What `requireOnPrincipal` authorized: the caller, and the principal it found by name. */
export interface AuthorizedOnPrincipal<K extends PrincipalKind> {
  readonly caller: Caller;
  /**
   * The stored principal as the guard found it, or undefined when none has the name. A write hands
   * its id to the command (`foundId`), which reads the row by id inside its transaction instead of
   * by name again; given undefined, the command looks the name up and reports it as it always has.
   */
  readonly principal: PrincipalRow<K> | undefined;
}

/**
 * Authorizes `action` on the named principal's ARN (see `principalArnFor`), with its tags and
 * boundary as facts; the request's own `facts` (tags it sets, the policy it attaches, a new
 * boundary) come on top. A denial shown to a caller who may not read the principal names the
 * path-`/` ARN, as it would for a missing one.
 */
export async function requireOnPrincipal<K extends PrincipalKind>(
  context: GraphQLContext,
  action: string,
  kind: K,
  name: string,
  facts?: ActionFacts,
): Promise<AuthorizedOnPrincipal<K>> {
  const accountId = context.guard.caller?.accountId;
  if (accountId === undefined) return { caller: await context.guard.require(action, '*'), principal: undefined };
  const target = await principalTargetFor(context, accountId, kind, name);
  const shownArn = principalArn(accountId, kind, '/', name);
  const caller = await context.guard.requireConcealed(action, target.arn, shownArn, READ_ACTION[kind], { ...target.facts, ...definedFacts(facts) });
  return { caller, principal: target.found };
}

/** `facts` without its null or undefined fields, so they do not hide the target's own. */
function definedFacts(facts: ActionFacts | undefined): ActionFacts {
  if (facts === undefined) return {};
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value != null)) as ActionFacts;
}

/**
 * Authorizes a nested field as the AWS action that returns its data, on the ARN of the entity it
 * belongs to: any of `actions` allows it (tags come from both ListUserTags and GetUser), and a
 * refusal is ACCESS_DENIED naming the first. Decided from the caller's policy set the guard
 * loaded once for the request, so a list of N entities costs no SQL per row.
 */
export async function requireForField(context: GraphQLContext, arn: string, ...actions: [string, ...string[]]): Promise<void> {
  for (const action of actions) if (await context.guard.allows(action, arn)) return;
  await context.guard.require(actions[0], arn);
}

/**
 * Relay `node` lookups of principals by unique id (see loadGuardedNodes): ids outside the caller's
 * account load as null, and each principal found is authorized on its own ARN, so a denial fails
 * that lookup alone with ACCESS_DENIED.
 */
export async function loadPrincipalNodes<T extends TargetRow & { readonly arn: string }>(
  context: GraphQLContext,
  action: string,
  byId: DataLoader<EntityKey, T | null, string>,
  ids: readonly string[],
): Promise<(T | null)[]> {
  return loadGuardedNodes(
    context,
    action,
    ids,
    (caller) => byId.loadMany(ids.map((id) => ({ accountId: caller.accountId, id }))),
    async (principal) => {
      if (principal !== null) await context.guard.require(action, principal.arn, factsOf(principal));
      return principal;
    },
  );
}

/** A read's result, or null when the entity does not exist; other errors as they are. */
export async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof NoSuchEntityError) return null;
    throw error;
  }
}
