/**
 * Unused access findings on the wire, with IAM Access Analyzer's names: `unusedAccessFindings`
 * (a query) and `unusedAccessFindingsChanged` (the live view the console uses), both as
 * `access-analyzer:ListFindings` on `*` over the caller's account.
 */
import type { UnusedAccessFinding, UnusedAction } from '../authz/usage/unused-access.ts';
import { watchUnusedAccess, type UnusedAccessUpdate } from '../live/unused-access-watch.ts';
import { builder } from './builder.ts';
import { untilRevoked } from './live.ts';

const FindingTypeEnum = builder.enumType('UnusedAccessFindingType', {
  description: "Access Analyzer's unused-access finding types (AWS's names in upper snake case).",
  values: {
    UNUSED_IAM_ROLE: { value: 'UnusedIAMRole', description: 'UnusedIAMRole: a role with no recorded use in the window.' },
    UNUSED_IAM_USER_ACCESS_KEY: { value: 'UnusedIAMUserAccessKey', description: 'UnusedIAMUserAccessKey: an active access key not used in the window.' },
    UNUSED_IAM_USER_PASSWORD: { value: 'UnusedIAMUserPassword', description: 'UnusedIAMUserPassword: a console password not used in the window.' },
    UNUSED_PERMISSION: { value: 'UnusedPermission', description: 'UnusedPermission: a granted service not used in the window, or granted actions of a used service that were not.' },
  } as const,
});

const FindingStatusEnum = builder.enumType('UnusedAccessFindingStatus', {
  description: "Access Analyzer's FindingStatus (ARCHIVED is not used here).",
  values: { ACTIVE: { description: 'The access is unused.' }, RESOLVED: { description: 'The access was used, removed or changed since.' } } as const,
});

const UnusedActionRef = builder.objectRef<UnusedAction>('UnusedAction').implement({
  description: "Access Analyzer's UnusedAction: a granted action not used in the window.",
  fields: (t) => ({
    action: t.exposeString('action', { description: '`service:Action`.' }),
    lastAccessedDate: t.expose('lastAccessed', { type: 'DateTime', nullable: true, description: 'Its last use in the tracking period; null when never.' }),
  }),
});

const FindingRef = builder.objectRef<UnusedAccessFinding>('UnusedAccessFinding').implement({
  description: 'An unused-access finding (Access Analyzer FindingSummaryV2 with the details of its type).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id: the same subject has the same id in every analysis.' }),
    findingType: t.field({ type: FindingTypeEnum, description: 'What is unused.', resolve: (f) => f.findingType }),
    resource: t.exposeString('resource', { description: 'ARN of the user or role.' }),
    resourceType: t.exposeString('resourceType', { description: '`AWS::IAM::User` or `AWS::IAM::Role`.' }),
    resourceOwnerAccount: t.exposeString('resourceOwnerAccount', { description: 'The account.' }),
    status: t.field({ type: FindingStatusEnum, description: 'ACTIVE, or RESOLVED in a live update\'s `resolved` list.', resolve: (f) => f.status }),
    analyzedDate: t.expose('analyzedAt', { type: 'DateTime', description: 'When the analysis ran.' }),
    lastAccessedDate: t.expose('lastAccessed', { type: 'DateTime', nullable: true, description: 'Last use of the subject in the tracking period; null when never.' }),
    accessKeyId: t.exposeString('accessKeyId', { nullable: true, description: 'UnusedIAMUserAccessKey: the key.' }),
    serviceNamespace: t.exposeString('serviceNamespace', { nullable: true, description: 'UnusedPermission: the service.' }),
    actions: t.field({ type: [UnusedActionRef], description: "UnusedPermission on a used service: its unused granted actions; empty when the whole service is unused.", resolve: (f) => [...f.actions] }),
  }),
});

const UpdateRef = builder.objectRef<UnusedAccessUpdate>('UnusedAccessFindingsUpdate').implement({
  description: 'The findings now, and what changed since the previous update.',
  fields: (t) => ({
    analyzedDate: t.expose('analyzedAt', { type: 'DateTime', description: 'When the analysis ran.' }),
    unusedAccessAge: t.exposeInt('unusedAccessAge', { description: 'The window, in days.' }),
    findings: t.field({ type: [FindingRef], description: 'Every active finding, sorted by resource.', resolve: (u) => [...u.findings] }),
    appeared: t.field({ type: [FindingRef], description: 'New since the previous update (every finding in the first update).', resolve: (u) => [...u.appeared] }),
    resolved: t.field({ type: [FindingRef], description: 'Active in the previous update and no longer (status RESOLVED).', resolve: (u) => [...u.resolved] }),
  }),
});

const AGE_DESCRIPTION = 'The window in days (1-365, default 90): access not used for this long is unused, as the analyzer\'s unusedAccessAge.';

builder.queryFields((t) => ({
  unusedAccessFindings: t.field({
    type: [FindingRef],
    description:
      "Unused roles, access keys, passwords and permissions of the caller's account over the window, as IAM Access Analyzer's unused-access analyzer reports them. " +
      'Action `access-analyzer:ListFindings` on `*`.',
    args: { unusedAccessAge: t.arg.int({ defaultValue: 90, description: AGE_DESCRIPTION }) },
    resolve: async (_root, { unusedAccessAge }, context) => [...(await context.authz.runtime.usage.unusedAccess(context.authz.guard, unusedAccessAge ?? 90)).findings],
  }),
}));

builder.subscriptionFields((t) => ({
  unusedAccessFindingsChanged: t.field({
    type: UpdateRef,
    description:
      "The caller's account's unused-access findings, live: the full list first, then an update whenever a finding appears or resolves " +
      '(after directory changes at once; after use within the usage flush interval). Action `access-analyzer:ListFindings` on `*`.',
    args: { unusedAccessAge: t.arg.int({ defaultValue: 90, description: AGE_DESCRIPTION }) },
    subscribe: async (_root, { unusedAccessAge }, context) => {
      const age = unusedAccessAge ?? 90;
      const runtime = context.authz.runtime;
      // Checks the window and the permission before anything is watched.
      const first = await runtime.usage.unusedAccess(context.authz.guard, age);
      const accountId = context.guard.caller!.accountId;
      let initial: typeof first | undefined = first;
      const analyze = () => {
        const ready = initial;
        initial = undefined;
        return ready !== undefined ? Promise.resolve(ready) : runtime.usage.analyze(accountId, age);
      };
      const source = watchUnusedAccess(context.live.hub, accountId, analyze, runtime.usagePollMs);
      return untilRevoked(context, source, [{ action: 'access-analyzer:ListFindings', resource: '*' }]);
    },
    resolve: (update) => update,
  }),
}));
