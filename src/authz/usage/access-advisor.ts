/**
 * IAM access advisor: GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails and
 * GetServiceLastAccessedDetailsWithEntities, with AWS's parameters, shapes and self-authorization
 * (the first on the entity's ARN, the reads on `*`). A report lists the services the entity's
 * policies grant (granted-services.ts), each with the last time one of the counted principals
 * was decided on for it within AWS's 400-day tracking period, by whom, and how many of them did;
 * at ACTION_LEVEL, each granted action of the service with its last use. Reports are computed
 * when read (advisor-jobs.ts), so a job is always COMPLETED unless its entity is gone.
 */
import { NoSuchEntityError, ValidationError } from '../../errors.ts';
import type { Database } from '../../db/client.ts';
import type { CompiledPolicyCache } from '../compiled-policies.ts';
import type { AccessGuard } from '../caller.ts';
import { TRACKING_DAYS } from '../action-usage.ts';
import { findEntity, resolveEntity, type AdvisorEntity, type FoundEntity } from './advisor-entities.ts';
import { jobIdOf, parseJobId, type AdvisorJob, type Granularity } from './advisor-jobs.ts';
import { grantedServices } from './granted-services.ts';
import { actionUses, serviceUses } from './usage-reads.ts';

/** AWS's TrackedActionLastAccessed. */
export interface TrackedActionLastAccessed {
  readonly actionName: string;
  readonly lastAccessedEntity: string | null;
  readonly lastAccessedTime: Date | null;
  readonly lastAccessedRegion: string | null;
}

/** AWS's ServiceLastAccessed. */
export interface ServiceLastAccessed {
  readonly serviceName: string;
  readonly serviceNamespace: string;
  readonly lastAuthenticated: Date | null;
  readonly lastAuthenticatedEntity: string | null;
  readonly lastAuthenticatedRegion: string | null;
  readonly totalAuthenticatedEntities: number;
  /** ACTION_LEVEL jobs only. */
  readonly trackedActionsLastAccessed: readonly TrackedActionLastAccessed[] | null;
}

/** AWS's ErrorDetails, for a job whose entity no longer exists. */
export interface JobError {
  readonly code: string;
  readonly message: string;
}

/** Fields every job answer carries. */
interface JobAnswer {
  readonly jobStatus: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  readonly jobType: Granularity;
  readonly jobCreationDate: Date;
  readonly jobCompletionDate: Date | null;
  readonly isTruncated: boolean;
  readonly marker: string | null;
  readonly error: JobError | null;
}

/** GetServiceLastAccessedDetails' answer. */
export interface ServiceLastAccessedDetails extends JobAnswer {
  readonly servicesLastAccessed: readonly ServiceLastAccessed[];
}

/** AWS's EntityDetails. */
export interface EntityDetails {
  readonly entityInfo: AdvisorEntity;
  readonly lastAuthenticated: Date | null;
}

/** GetServiceLastAccessedDetailsWithEntities' answer. */
export interface ServiceLastAccessedEntities extends JobAnswer {
  readonly entityDetailsList: readonly EntityDetails[];
}

/** Paging as AWS's IAM list operations take it. */
export interface MarkerPage {
  readonly maxItems?: number | null;
  readonly marker?: string | null;
}

const DAY_MS = 86_400_000;

/** The access advisor operations; one per process. */
export class AccessAdvisor {
  constructor(
    private readonly database: Database,
    private readonly compiled: CompiledPolicyCache,
  ) {}

  /**
   * GenerateServiceLastAccessedDetails: checks the entity exists and returns its job id. The check
   * sees the entity's tags (aws:ResourceTag/*); whether it exists is told only to a caller allowed.
   */
  async generate(guard: Pick<AccessGuard, 'require' | 'caller'>, input: { arn: string; granularity?: Granularity | null }): Promise<{ jobId: string }> {
    const action = 'iam:GenerateServiceLastAccessedDetails';
    const accountId = guard.caller?.accountId;
    let found: FoundEntity | undefined;
    let missing: unknown;
    try {
      if (accountId !== undefined) found = await findEntity(this.database, accountId, input.arn, 'input.arn');
    } catch (error) {
      missing = error;
    }
    await guard.require(action, input.arn, found === undefined ? undefined : { resourceTags: found.tags });
    if (missing !== undefined) throw missing;
    return { jobId: jobIdOf({ arn: input.arn, granularity: input.granularity ?? 'SERVICE_LEVEL', createdAt: new Date() }) };
  }

  /** GetServiceLastAccessedDetails: the job's services, sorted by namespace, paged by `marker`. */
  async details(guard: Pick<AccessGuard, 'require'>, input: { jobId: string } & MarkerPage): Promise<ServiceLastAccessedDetails> {
    const caller = await guard.require('iam:GetServiceLastAccessedDetails', '*');
    const job = parseJobId(input.jobId, 'input.jobId');
    const { maxItems, after } = paging(input);
    const started = await this.start(job, caller.accountId);
    if ('error' in started) return { ...started.answer, servicesLastAccessed: [] };
    const { entity, now } = started;
    const resolved = await resolveEntity(this.database, this.compiled, entity, caller.accountId);
    const since = new Date(now.getTime() - TRACKING_DAYS * DAY_MS);
    const ids = resolved.principals.map((p) => p.id);
    const byId = new Map(resolved.principals.map((p) => [p.id, p]));
    const [granted, services, actions] = await Promise.all([
      grantedServices(this.database, caller.accountId, resolved.grants),
      serviceUses(this.database, ids, since),
      job.granularity === 'ACTION_LEVEL' ? actionUses(this.database, ids, since) : Promise.resolve([]),
    ]);
    const all: ServiceLastAccessed[] = granted.map(({ service, actions: grantedActions }) => {
      const namespace = service.prefix.toLowerCase();
      const uses = services.filter((u) => u.serviceNamespace === namespace);
      const latest = latestOf(uses);
      let tracked: TrackedActionLastAccessed[] | null = null;
      if (job.granularity === 'ACTION_LEVEL') {
        tracked = grantedActions.map((a) => {
          const key = `${namespace}:${a.name.toLowerCase()}`;
          const last = latestOf(actions.filter((u) => u.actionKey === key));
          return { actionName: a.name, lastAccessedEntity: last === undefined ? null : (byId.get(last.principalId)?.arn ?? null), lastAccessedTime: last?.lastAccessedAt ?? null, lastAccessedRegion: null };
        });
      }
      return {
        serviceName: service.name,
        serviceNamespace: namespace,
        lastAuthenticated: latest?.lastAccessedAt ?? null,
        lastAuthenticatedEntity: latest === undefined ? null : (byId.get(latest.principalId)?.arn ?? null),
        lastAuthenticatedRegion: null,
        totalAuthenticatedEntities: new Set(uses.map((u) => u.principalId)).size,
        trackedActionsLastAccessed: tracked,
      };
    });
    const start = after === undefined ? 0 : all.findIndex((s) => s.serviceNamespace > after);
    const page = start < 0 ? [] : all.slice(start, start + maxItems);
    const truncated = start >= 0 && start + maxItems < all.length;
    return { ...completed(job, now), servicesLastAccessed: page, isTruncated: truncated, marker: truncated ? markerOf(page.at(-1)!.serviceNamespace) : null };
  }

  /** GetServiceLastAccessedDetailsWithEntities: per counted principal, its last access to `serviceNamespace`, most recent first. */
  async entities(guard: Pick<AccessGuard, 'require'>, input: { jobId: string; serviceNamespace: string } & MarkerPage): Promise<ServiceLastAccessedEntities> {
    const caller = await guard.require('iam:GetServiceLastAccessedDetailsWithEntities', '*');
    const job = parseJobId(input.jobId, 'input.jobId');
    const namespace = input.serviceNamespace.toLowerCase();
    if (!/^[\w-]{1,64}$/.test(namespace)) throw new ValidationError('input.serviceNamespace', 'pattern', `input.serviceNamespace must be a service prefix such as "s3", got "${input.serviceNamespace.slice(0, 80)}"`);
    const { maxItems, after } = paging(input);
    const started = await this.start(job, caller.accountId);
    if ('error' in started) return { ...started.answer, entityDetailsList: [] };
    const { entity, now } = started;
    const resolved = await resolveEntity(this.database, this.compiled, entity, caller.accountId);
    const since = new Date(now.getTime() - TRACKING_DAYS * DAY_MS);
    const uses = (await serviceUses(this.database, resolved.principals.map((p) => p.id), since)).filter((u) => u.serviceNamespace === namespace);
    const lastOf = new Map(uses.map((u) => [u.principalId, u.lastAccessedAt]));
    const all = resolved.principals
      .map((p): EntityDetails => ({ entityInfo: p, lastAuthenticated: lastOf.get(p.id) ?? null }))
      .sort((a, b) => (b.lastAuthenticated?.getTime() ?? -1) - (a.lastAuthenticated?.getTime() ?? -1) || (a.entityInfo.arn < b.entityInfo.arn ? -1 : 1));
    const start = after === undefined ? 0 : Number(after);
    const page = Number.isSafeInteger(start) && start >= 0 ? all.slice(start, start + maxItems) : [];
    const truncated = start + maxItems < all.length;
    return { ...completed(job, now), entityDetailsList: page, isTruncated: truncated, marker: truncated ? markerOf(String(start + maxItems)) : null };
  }

  /** The job's entity in the caller's account, or the FAILED answer AWS gives when it is gone. */
  private async start(job: AdvisorJob, accountId: string): Promise<{ entity: AdvisorEntity; now: Date } | { error: true; answer: JobAnswer }> {
    const now = new Date();
    try {
      return { entity: await findEntity(this.database, accountId, job.arn, 'input.jobId'), now };
    } catch (error) {
      if (!(error instanceof NoSuchEntityError)) throw error;
      const answer: JobAnswer = { ...completed(job, now), jobStatus: 'FAILED', error: { code: 'NoSuchEntity', message: error.message } };
      return { error: true, answer };
    }
  }
}

/** A completed job's common fields. */
function completed(job: AdvisorJob, now: Date): JobAnswer {
  return { jobStatus: 'COMPLETED', jobType: job.granularity, jobCreationDate: job.createdAt, jobCompletionDate: now, isTruncated: false, marker: null, error: null };
}

/** The latest of `uses`, if any. */
function latestOf<T extends { lastAccessedAt: Date }>(uses: readonly T[]): T | undefined {
  let latest: T | undefined;
  for (const u of uses) if (latest === undefined || u.lastAccessedAt > latest.lastAccessedAt) latest = u;
  return latest;
}

/** MaxItems (1-1000, default 100) and the position a Marker continues after. */
function paging(input: MarkerPage): { maxItems: number; after: string | undefined } {
  const maxItems = input.maxItems ?? 100;
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) throw new ValidationError('input.maxItems', 'range', `input.maxItems must be between 1 and 1000, got ${maxItems}`);
  if (input.marker == null) return { maxItems, after: undefined };
  const after = Buffer.from(input.marker, 'base64url').toString('utf8');
  if (input.marker.length > 400 || !after.startsWith('m:')) throw new ValidationError('input.marker', 'marker', 'input.marker is not a marker this operation returned');
  return { maxItems, after: after.slice(2) };
}

function markerOf(position: string): string {
  return Buffer.from(`m:${position}`, 'utf8').toString('base64url');
}
