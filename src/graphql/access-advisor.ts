/**
 * Access advisor on the wire, with AWS's operation and field names in camelCase:
 * `generateServiceLastAccessedDetails` (iam:GenerateServiceLastAccessedDetails on the entity),
 * `serviceLastAccessedDetails` (iam:GetServiceLastAccessedDetails on `*`) and
 * `serviceLastAccessedDetailsWithEntities` (iam:GetServiceLastAccessedDetailsWithEntities on `*`).
 * Query fields: a job is only its parameters (src/authz/usage/advisor-jobs.ts), nothing is written.
 */
import type { AdvisorEntity } from '../authz/usage/advisor-entities.ts';
import type { EntityDetails, JobError, ServiceLastAccessed, ServiceLastAccessedDetails, ServiceLastAccessedEntities, TrackedActionLastAccessed } from '../authz/usage/access-advisor.ts';
import { builder } from './builder.ts';

const GranularityEnum = builder.enumType('AccessAdvisorUsageGranularity', {
  description: "AWS's AccessAdvisorUsageGranularityType: services only, or services and their actions.",
  values: {
    SERVICE_LEVEL: { description: 'Last access per service.' },
    ACTION_LEVEL: { description: 'Last access per service and per granted action of it.' },
  } as const,
});

const JobStatusEnum = builder.enumType('AccessAdvisorJobStatus', {
  description: "AWS's JobStatusType. Reports are computed when read, so a job is COMPLETED, or FAILED when its entity no longer exists.",
  values: { IN_PROGRESS: { description: 'Never returned here; kept for AWS compatibility.' }, COMPLETED: { description: 'The report is complete.' }, FAILED: { description: 'The entity is gone; see `error`.' } } as const,
});

const EntityTypeEnum = builder.enumType('AccessAdvisorEntityType', {
  description: "AWS's policyOwnerEntityType: what kind of IAM entity.",
  values: { USER: { description: 'An IAM user.' }, ROLE: { description: 'An IAM role.' }, GROUP: { description: 'An IAM group.' }, POLICY: { description: 'A managed policy.' } } as const,
});

const TrackedActionRef = builder.objectRef<TrackedActionLastAccessed>('TrackedActionLastAccessed').implement({
  description: "AWS's TrackedActionLastAccessed: a granted action of the service and when it was last asked about.",
  fields: (t) => ({
    actionName: t.exposeString('actionName', { description: 'The action name without its service prefix, e.g. `GetObject`.' }),
    lastAccessedEntity: t.exposeString('lastAccessedEntity', { nullable: true, description: 'ARN of the user or role that last asked, if any.' }),
    lastAccessedDate: t.expose('lastAccessedTime', { type: 'DateTime', nullable: true, description: 'When, within the 400-day tracking period; null when never.' }),
    lastAccessedRegion: t.exposeString('lastAccessedRegion', { nullable: true, description: 'Always null: Portcullis has no regions.' }),
  }),
});

const ServiceLastAccessedRef = builder.objectRef<ServiceLastAccessed>('ServiceLastAccessed').implement({
  description: "AWS's ServiceLastAccessed: a service the entity's policies grant, and its last use by the principals the report counts.",
  fields: (t) => ({
    serviceName: t.exposeString('serviceName', { description: 'The service\'s display name.' }),
    serviceNamespace: t.exposeString('serviceNamespace', { description: 'The service prefix, e.g. `s3`.' }),
    lastAuthenticatedDate: t.expose('lastAuthenticated', { type: 'DateTime', nullable: true, description: 'Last decision on an action of the service within the tracking period; null when none.' }),
    lastAuthenticatedEntity: t.exposeString('lastAuthenticatedEntity', { nullable: true, description: 'ARN of the user or role that made it.' }),
    lastAuthenticatedRegion: t.exposeString('lastAuthenticatedRegion', { nullable: true, description: 'Always null: Portcullis has no regions.' }),
    totalAuthenticatedEntities: t.exposeInt('totalAuthenticatedEntities', { description: 'How many of the counted users and roles used the service in the tracking period.' }),
    trackedActionsLastAccessed: t.field({
      type: [TrackedActionRef],
      nullable: true,
      description: 'ACTION_LEVEL jobs: each granted action of the service with its last use; null for SERVICE_LEVEL jobs.',
      resolve: (s) => (s.trackedActionsLastAccessed === null ? null : [...s.trackedActionsLastAccessed]),
    }),
  }),
});

const JobErrorRef = builder.objectRef<JobError>('AccessAdvisorJobError').implement({
  description: "AWS's ErrorDetails.",
  fields: (t) => ({ code: t.exposeString('code', { description: 'E.g. `NoSuchEntity`.' }), message: t.exposeString('message', { description: 'What went wrong.' }) }),
});

/** The fields every job answer has. */
function jobFields<T extends ServiceLastAccessedDetails | ServiceLastAccessedEntities>(t: PothosSchemaTypes.ObjectFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<any>, T>) {
  return {
    jobStatus: t.field({ type: JobStatusEnum, description: 'COMPLETED, or FAILED when the entity is gone.', resolve: (d: T) => d.jobStatus }),
    jobType: t.field({ type: GranularityEnum, description: 'The granularity the job was generated with.', resolve: (d: T) => d.jobType }),
    jobCreationDate: t.field({ type: 'DateTime', description: 'When the job was generated.', resolve: (d: T) => d.jobCreationDate }),
    jobCompletionDate: t.field({ type: 'DateTime', nullable: true, description: 'When this report was computed.', resolve: (d: T) => d.jobCompletionDate }),
    isTruncated: t.boolean({ description: 'Whether more items follow; pass `marker` to get them.', resolve: (d: T) => d.isTruncated }),
    marker: t.string({ nullable: true, description: 'Where the next page starts, when truncated.', resolve: (d: T) => d.marker }),
    error: t.field({ type: JobErrorRef, nullable: true, description: 'Why the job failed.', resolve: (d: T) => d.error }),
  };
}

const DetailsRef = builder.objectRef<ServiceLastAccessedDetails>('GetServiceLastAccessedDetailsResponse').implement({
  description: "AWS's GetServiceLastAccessedDetails response.",
  fields: (t) => ({
    ...jobFields(t),
    servicesLastAccessed: t.field({ type: [ServiceLastAccessedRef], description: 'Granted services, sorted by namespace.', resolve: (d) => [...d.servicesLastAccessed] }),
  }),
});

const EntityInfoRef = builder.objectRef<AdvisorEntity>('AccessAdvisorEntityInfo').implement({
  description: "AWS's EntityInfo.",
  fields: (t) => ({
    arn: t.exposeString('arn', { description: 'The entity ARN.' }),
    name: t.exposeString('name', { description: 'Its name.' }),
    type: t.field({ type: EntityTypeEnum, description: 'USER or ROLE.', resolve: (e) => e.type }),
    id: t.exposeString('id', { description: 'Its unique id.' }),
    path: t.exposeString('path', { description: 'Its path.' }),
  }),
});

const EntityDetailsRef = builder.objectRef<EntityDetails>('AccessAdvisorEntityDetails').implement({
  description: "AWS's EntityDetails: a user or role the report counts and when it last used the service.",
  fields: (t) => ({
    entityInfo: t.field({ type: EntityInfoRef, description: 'The user or role.', resolve: (e) => e.entityInfo }),
    lastAuthenticatedDate: t.expose('lastAuthenticated', { type: 'DateTime', nullable: true, description: 'Null when it never used the service in the tracking period.' }),
  }),
});

const EntitiesRef = builder.objectRef<ServiceLastAccessedEntities>('GetServiceLastAccessedDetailsWithEntitiesResponse').implement({
  description: "AWS's GetServiceLastAccessedDetailsWithEntities response.",
  fields: (t) => ({
    ...jobFields(t),
    entityDetailsList: t.field({ type: [EntityDetailsRef], description: 'The counted users and roles, most recent use first.', resolve: (d) => [...d.entityDetailsList] }),
  }),
});

const GenerateResultRef = builder.objectRef<{ jobId: string }>('GenerateServiceLastAccessedDetailsResponse').implement({
  description: "AWS's GenerateServiceLastAccessedDetails response.",
  fields: (t) => ({ jobId: t.exposeString('jobId', { description: 'Pass to serviceLastAccessedDetails and serviceLastAccessedDetailsWithEntities.' }) }),
});

const GenerateInputRef = builder.inputType('GenerateServiceLastAccessedDetailsInput', {
  description: "AWS's GenerateServiceLastAccessedDetails parameters.",
  fields: (t) => ({
    arn: t.string({ required: true, description: "ARN of a user, group, role or managed policy of the caller's account (or an AWS managed policy)." }),
    granularity: t.field({ type: GranularityEnum, defaultValue: 'SERVICE_LEVEL', description: 'SERVICE_LEVEL (default) or ACTION_LEVEL.' }),
  }),
});

const DetailsInputRef = builder.inputType('GetServiceLastAccessedDetailsInput', {
  description: "AWS's GetServiceLastAccessedDetails parameters.",
  fields: (t) => ({
    jobId: t.string({ required: true, description: 'From generateServiceLastAccessedDetails.' }),
    maxItems: t.int({ description: 'Services per page: 1-1000, default 100.' }),
    marker: t.string({ description: 'The `marker` of the previous page.' }),
  }),
});

const EntitiesInputRef = builder.inputType('GetServiceLastAccessedDetailsWithEntitiesInput', {
  description: "AWS's GetServiceLastAccessedDetailsWithEntities parameters.",
  fields: (t) => ({
    jobId: t.string({ required: true, description: 'From generateServiceLastAccessedDetails.' }),
    serviceNamespace: t.string({ required: true, description: 'The service prefix, e.g. `s3`.' }),
    maxItems: t.int({ description: 'Entities per page: 1-1000, default 100.' }),
    marker: t.string({ description: 'The `marker` of the previous page.' }),
  }),
});

builder.queryFields((t) => ({
  generateServiceLastAccessedDetails: t.field({
    type: GenerateResultRef,
    description:
      'Starts an access advisor report on a user, group, role or managed policy, as AWS GenerateServiceLastAccessedDetails. ' +
      'Action `iam:GenerateServiceLastAccessedDetails` on the entity ARN.',
    args: { input: t.arg({ type: GenerateInputRef, required: true, description: 'The entity and granularity.' }) },
    resolve: (_root, { input }, context) => context.authz.runtime.usage.advisor.generate(context.authz.guard, { arn: input.arn, granularity: input.granularity ?? 'SERVICE_LEVEL' }),
  }),
  serviceLastAccessedDetails: t.field({
    type: DetailsRef,
    description:
      "An access advisor report: the services the entity's policies grant and their last use within 400 days, as AWS GetServiceLastAccessedDetails. " +
      'Action `iam:GetServiceLastAccessedDetails` on `*`.',
    args: { input: t.arg({ type: DetailsInputRef, required: true, description: 'The job and page.' }) },
    resolve: (_root, { input }, context) => context.authz.runtime.usage.advisor.details(context.authz.guard, input),
  }),
  serviceLastAccessedDetailsWithEntities: t.field({
    type: EntitiesRef,
    description:
      'For a report on a group or policy (or user, role), the users and roles it counts and when each last used one service, as AWS ' +
      'GetServiceLastAccessedDetailsWithEntities. Action `iam:GetServiceLastAccessedDetailsWithEntities` on `*`.',
    args: { input: t.arg({ type: EntitiesInputRef, required: true, description: 'The job, service and page.' }) },
    resolve: (_root, { input }, context) => context.authz.runtime.usage.advisor.entities(context.authz.guard, input),
  }),
}));
