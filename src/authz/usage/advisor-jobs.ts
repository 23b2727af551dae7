/**
 * Access advisor job ids. AWS's GenerateServiceLastAccessedDetails starts a job and
 * GetServiceLastAccessedDetails reads its report; here the report is computed when read (from
 * the usage tables, which are the job's input), so a job is only its parameters: the entity ARN,
 * the granularity and when it was asked for, sealed in the id. Any instance can read any job, and
 * nothing is stored. The id says nothing a caller of the get operations could not ask for anyway;
 * the get operations still check that the entity is in the caller's account.
 */
import { ValidationError } from '../../errors.ts';

/** AWS's AccessAdvisorUsageGranularityType. */
export type Granularity = 'SERVICE_LEVEL' | 'ACTION_LEVEL';

/** What a job reports on. */
export interface AdvisorJob {
  readonly arn: string;
  readonly granularity: Granularity;
  readonly createdAt: Date;
}

const VERSION = 'aa1';

/** The job id of `job` (opaque text, like AWS's 36-character ids but longer). */
export function jobIdOf(job: AdvisorJob): string {
  return Buffer.from(`${VERSION}\n${job.granularity}\n${job.createdAt.getTime()}\n${job.arn}`, 'utf8').toString('base64url');
}

/** The job `jobId` names; a ValidationError on `field` when it names none. */
export function parseJobId(jobId: string, field: string): AdvisorJob {
  const invalid = () => new ValidationError(field, 'jobId', `${field} is not a job id returned by generateServiceLastAccessedDetails, got "${jobId.slice(0, 80)}"`);
  if (jobId.length === 0 || jobId.length > 3_000 || !/^[A-Za-z0-9_-]+$/.test(jobId)) throw invalid();
  const parts = Buffer.from(jobId, 'base64url').toString('utf8').split('\n');
  if (parts.length !== 4 || parts[0] !== VERSION) throw invalid();
  const [, granularity, created, arn] = parts as [string, string, string, string];
  const ms = Number(created);
  if ((granularity !== 'SERVICE_LEVEL' && granularity !== 'ACTION_LEVEL') || !Number.isSafeInteger(ms) || arn.length === 0) throw invalid();
  return { arn, granularity, createdAt: new Date(ms) };
}
