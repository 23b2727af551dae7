/**
 * `changes`: the account's change log as a live, resumable stream of ChangeEvents
 * (change-event.ts). Replays from `afterRevision` in pages, then continues live with no gap and no
 * duplicate (src/live/change-feed.ts).
 */
import { parseRevision } from '../changes/revision.ts';
import { accountOfArn } from '../authz/principal-ref.ts';
import { ACCESS_DENIED_KIND, AUDIT_ENTITY_TYPE, AUDIT_ONLY_KINDS, isAuditOnly, type ChangeEvent } from '../changes/change.ts';
import { changeFeed } from '../live/change-feed.ts';
import { affects, watchPrincipal, type WatchedPrincipal } from '../live/watched-principals.ts';
import { ValidationError } from '../errors.ts';
import type { ChangeEntityType, ChangeKind } from '../changes/change-kinds.ts';
import { builder } from './builder.ts';
import { ChangeEntityTypeEnum, ChangeEventRef, ChangeKindEnum } from './change-event.ts';
import { untilRevoked } from './live.ts';

/** Which changes a `changes` subscriber wants; every given criterion must hold. */
interface ChangeFilter {
  readonly entityTypes?: readonly ChangeEntityType[] | null;
  readonly kinds?: readonly ChangeKind[] | null;
  readonly principalArn?: string | null;
  readonly pathPrefix?: string | null;
  readonly includeAudit?: boolean | null;
}

const ChangeFilterRef = builder.inputType('ChangeFilter', {
  description: 'Narrows `changes`; every criterion given must hold.',
  fields: (t) => ({
    entityTypes: t.field({ type: [ChangeEntityTypeEnum], description: 'Only these entity types, e.g. `[USER, POLICY]`.' }),
    kinds: t.field({ type: [ChangeKindEnum], description: 'Only these kinds, e.g. `[POLICY_ATTACHED, POLICY_DETACHED]`.' }),
    principalArn: t.string({ description: 'Only changes that may alter this user\'s, role\'s or session\'s permissions, or that are about it.' }),
    pathPrefix: t.string({ description: 'Only changes to entities whose IAM path starts with this, e.g. `/engineering/`.' }),
    includeAudit: t.boolean({
      description:
        'Also deliver audit-only rows (ACCESS_DENIED, SIGN_IN_FAILED: attempts that changed nothing). ' +
        'Default: false, unless `kinds` names such a kind or `entityTypes` includes AUDIT.',
    }),
  }),
});

/** The IAM path of a user/group/role/policy ARN (`/` when it has none), or undefined for other ARNs. */
export function pathOfArn(arn: string): string | undefined {
  const match = /^arn:aws:iam::[^:]*:(?:user|group|role|policy)(\/.*)$/.exec(arn);
  if (match === null) return undefined;
  const rest = match[1]!;
  return rest.slice(0, rest.lastIndexOf('/') + 1);
}

/** Builds the predicate for a filter; `principal` is the resolved `principalArn`, if any. */
function matcherOf(filter: ChangeFilter | null | undefined, principal: WatchedPrincipal | undefined): (event: ChangeEvent) => boolean {
  const types = filter?.entityTypes == null ? undefined : new Set(filter.entityTypes);
  const kinds = filter?.kinds == null ? undefined : new Set(filter.kinds);
  const prefix = filter?.pathPrefix ?? undefined;
  const audit = filter?.includeAudit ?? (types?.has(AUDIT_ENTITY_TYPE) === true || [ACCESS_DENIED_KIND, ...AUDIT_ONLY_KINDS].some((kind) => kinds?.has(kind) === true));
  return (event) => {
    const auditOnly = isAuditOnly(event);
    if (auditOnly && !audit) return false;
    return (
      (types === undefined || types.has(event.entityType)) &&
      (kinds === undefined || kinds.has(event.kind)) &&
      // An audit row changes nobody's permissions: it concerns the principal it refused or names.
      (principal === undefined || (auditOnly ? event.actorArn === principal.arn || event.entityArn === principal.arn : affects(event, principal))) &&
      (prefix === undefined || (pathOfArn(event.entityArn)?.startsWith(prefix) ?? false))
    );
  };
}

builder.subscriptionFields((t) => ({
  changes: t.field({
    type: ChangeEventRef,
    description:
      "The caller's account's committed changes, in revision order: first those after `afterRevision` (replayed from the change log), " +
      'then live. Resuming with the last revision received loses nothing and repeats nothing. Audit-only rows (ACCESS_DENIED, SIGN_IN_FAILED) ' +
      'only with `filter.includeAudit`. Action `iam:Changes` on `arn:aws:iam::<account>:root`.',
    args: {
      afterRevision: t.arg.string({ description: 'Replay changes after this revision first; omitted: only changes from now on.' }),
      filter: t.arg({ type: ChangeFilterRef }),
    },
    subscribe: async (_root, { afterRevision, filter }, context) => {
      const resource = `arn:aws:iam::${context.guard.caller?.accountId ?? '*'}:root`;
      const caller = await context.guard.require('iam:Changes', resource);
      const after = afterRevision == null ? undefined : parseRevision(afterRevision, 'afterRevision');
      if (filter?.pathPrefix != null && !filter.pathPrefix.startsWith('/')) {
        throw new ValidationError('filter.pathPrefix', 'pattern', `filter.pathPrefix must start with "/", got "${filter.pathPrefix.slice(0, 80)}"`);
      }
      if (filter?.principalArn != null && accountOfArn(filter.principalArn) !== caller.accountId) {
        throw new ValidationError('filter.principalArn', 'same-account', `filter.principalArn must name a principal of account ${caller.accountId}`);
      }
      const principal = filter?.principalArn == null ? undefined : await watchPrincipal(context.database, filter.principalArn, 'filter.principalArn');
      const feed = changeFeed(context.live.hub, {
        accountId: caller.accountId,
        ...(after === undefined ? {} : { afterRevision: after }),
        matches: matcherOf(filter, principal),
      });
      return untilRevoked(context, feed, [{ action: 'iam:Changes', resource }]);
    },
    resolve: (event) => event,
  }),
}));
