/**
 * The one mapping between AuthZEN entities and IAM (docs/authzen.md is its contract): a subject is
 * a principal ARN, a resource an ARN, an action an IAM action, properties and context condition
 * keys (condition-keys.ts). Both directions live here, so search answers name subjects, resources
 * and actions exactly as an evaluation request would.
 */
import type { ContextEntry } from '../authz/context-entries.ts';
import type { AuthorizeQuestion } from '../authz/question.ts';
import { parsePrincipalArn } from '../authz/principal-ref.ts';
import { ValidationError } from '../errors.ts';
import { ConditionKeys } from './condition-keys.ts';
import type { Action, Entity, JsonObject } from './entities.ts';

/** The service of a resource type written without one (`record` is `authzen:record`). */
export const DEFAULT_SERVICE = 'authzen';

/** Subject types that name a principal of the caller's account by path and name. */
export const SUBJECT_TYPES = { user: 'user', role: 'role' } as const;

const SERVICE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const RESOURCE_TYPE = /^[A-Za-z0-9_.-]{1,128}$/;
const ACTION_NAME = /^[A-Za-z0-9_.*?-]{1,128}$/;
const IAM_ACTION = /^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9_.*?-]{1,128}$/;

/** A resource as IAM sees it: its ARN and the service that owns it (the default prefix of bare action names). */
export interface MappedResource {
  readonly arn: string;
  readonly service: string;
}

/** The parts of a resource `type`: `svc:type` or a bare type of DEFAULT_SERVICE. */
export function splitResourceType(type: string, path: string): { service: string; resourceType: string } {
  const colon = type.indexOf(':');
  const service = colon < 0 ? DEFAULT_SERVICE : type.slice(0, colon);
  const resourceType = colon < 0 ? type : type.slice(colon + 1);
  if (!SERVICE.test(service) || !RESOURCE_TYPE.test(resourceType)) {
    throw new ValidationError(
      `${path}.type`,
      'resource-type',
      `${path}.type must be a resource type ("record") or "service:type" ("docs:document") of letters, digits, '_', '.' and '-'`,
    );
  }
  return { service, resourceType };
}

/**
 * The principal ARN of a subject: its id when that is an ARN, else the user or role of the
 * caller's account whose path and name the id is (`alice`, `engineering/alice`). Undefined for a
 * subject type that names no principal (no IAM principal can match it).
 */
export function principalArnOf(subject: Pick<Entity, 'type' | 'id'>, accountId: string, path: string): string | undefined {
  if (subject.id.startsWith('arn:')) {
    if (parsePrincipalArn(subject.id) === undefined) {
      throw new ValidationError(`${path}.id`, 'principal-arn', `${path}.id is an ARN but not a user, role, assumed-role session or root ARN`);
    }
    return subject.id;
  }
  const kind = SUBJECT_TYPES[subject.type as keyof typeof SUBJECT_TYPES];
  if (kind === undefined || !Object.hasOwn(SUBJECT_TYPES, subject.type)) return undefined;
  return `arn:aws:iam::${accountId}:${kind}/${subject.id}`;
}

/** The ARN of a resource: its id when that is an ARN, else `arn:aws:<service>::<account>:<type>/<id>`. */
export function resourceOf(resource: Pick<Entity, 'type' | 'id'>, accountId: string, path: string): MappedResource {
  if (resource.id.startsWith('arn:')) {
    const start = resource.id.indexOf(':', 4) + 1;
    const service = start === 0 ? '' : resource.id.slice(start, resource.id.indexOf(':', start));
    if (!SERVICE.test(service)) throw new ValidationError(`${path}.id`, 'arn', `${path}.id is an ARN without a service ("arn:partition:service:…")`);
    return { arn: resource.id, service };
  }
  const { service, resourceType } = splitResourceType(resource.type, path);
  return { arn: `arn:aws:${service}::${accountId}:${resourceType}/${resource.id}`, service };
}

/** The IAM action of an action name: the name when it is `service:Action`, else `<resource's service>:<name>`. */
export function iamActionOf(action: Pick<Action, 'name'>, service: string, path: string): string {
  const name = action.name;
  const iamAction = name.includes(':') ? name : `${service}:${name}`;
  if (!IAM_ACTION.test(iamAction) || (!name.includes(':') && !ACTION_NAME.test(name))) {
    throw new ValidationError(`${path}.name`, 'action-name', `${path}.name must be a name ("read") or "service:Action" of letters, digits, '_', '.', '-', '*' and '?'`);
  }
  return iamAction;
}

/** One evaluation as the Decider's question, or a reason it names nobody. */
export type MappedQuestion = { readonly question: AuthorizeQuestion } | { readonly unknownSubject: string };

/** The four parts of one evaluation after defaults are merged. */
export interface Evaluation {
  readonly subject: Entity;
  readonly action: Action;
  readonly resource: Entity;
  readonly context?: JsonObject | undefined;
}

/**
 * Maps one evaluation to an `authorize` question for a caller of `accountId`. `path` prefixes
 * field names in errors (e.g. `evaluations[2]`, or empty for a top-level request).
 */
export function questionOf(evaluation: Evaluation, accountId: string, minRevision: string | undefined, path: string): MappedQuestion {
  // Field paths are built only for errors: this runs once per evaluation of a batch.
  const prefix = path === '' ? '' : `${path}.`;
  const principalArn = principalArnOf(evaluation.subject, accountId, `${prefix}subject`);
  if (principalArn === undefined) return { unknownSubject: evaluation.subject.type };
  const resource = resourceOf(evaluation.resource, accountId, `${prefix}resource`);
  const action = iamActionOf(evaluation.action, resource.service, `${prefix}action`);
  const entries = contextEntriesOf(evaluation, prefix);
  const question: { -readonly [K in keyof AuthorizeQuestion]: AuthorizeQuestion[K] } = { principalArn, action, resourceArn: resource.arn };
  if (entries !== undefined) question.contextEntries = entries;
  if (minRevision !== undefined) question.minRevision = minRevision;
  return { question };
}

/**
 * The condition keys of an evaluation's properties and context (`prefix` starts their paths in
 * errors); undefined when it has none, the common case, which then allocates nothing.
 */
export function contextEntriesOf(parts: Partial<Evaluation>, prefix: string): ContextEntry[] | undefined {
  const subject = parts.subject?.properties;
  const resource = parts.resource?.properties;
  const action = parts.action?.properties;
  if (subject === undefined && resource === undefined && action === undefined && parts.context === undefined) return undefined;
  const keys = new ConditionKeys();
  keys.add('subject', subject, `${prefix}subject.properties`);
  keys.add('resource', resource, `${prefix}resource.properties`);
  keys.add('action', action, `${prefix}action.properties`);
  keys.add('context', parts.context, `${prefix}context`);
  return keys.entries.length === 0 ? undefined : keys.entries;
}

/** A principal ARN as an AuthZEN subject: path and name within the caller's account, else the full ARN. */
export function subjectOf(principalArn: string, accountId: string): { type: string; id: string } {
  const prefix = `arn:aws:iam::${accountId}:`;
  if (principalArn.startsWith(`${prefix}user/`)) return { type: SUBJECT_TYPES.user, id: principalArn.slice(prefix.length + 5) };
  if (principalArn.startsWith(`${prefix}role/`)) return { type: SUBJECT_TYPES.role, id: principalArn.slice(prefix.length + 5) };
  return { type: principalArn.includes(':role/') ? SUBJECT_TYPES.role : SUBJECT_TYPES.user, id: principalArn };
}

/**
 * A resource ARN as an AuthZEN resource of `type` (as the search asked for it): the id after
 * `<type>/` when the ARN is the one `resourceOf` would build, else the full ARN.
 */
export function resourceIdOf(arn: string, type: string, accountId: string): string {
  const { service, resourceType } = splitResourceType(type, 'resource');
  const prefix = `arn:aws:${service}::${accountId}:${resourceType}/`;
  return arn.startsWith(prefix) && arn.length > prefix.length ? arn.slice(prefix.length) : arn;
}

/** An IAM action as an AuthZEN action name: bare within the resource's service, else `service:Action`. */
export function actionNameOf(iamAction: string, service: string): string {
  return iamAction.toLowerCase().startsWith(`${service.toLowerCase()}:`) ? iamAction.slice(service.length + 1) : iamAction;
}
