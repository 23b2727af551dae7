/**
 * The Search APIs (Authorization API 1.0, sections 8 to 10), answered by the reverse questions
 * (`authz.reverse`: who can, what can), so every result, fed back into an evaluation, is allowed.
 * Requests are read and mapped as evaluations are (mapping.ts); an entity the directory does not
 * know (a subject type no principal has, a user that does not exist) gives no results rather than
 * an error, as the certification scenario requires. Results are paged (paging.ts).
 */
import { toRequestContext } from '../authz/context-entries.ts';
import type { RequestAuthz } from '../authz/runtime.ts';
import { NoSuchEntityError, UnauthenticatedError, ValidationError } from '../errors.ts';
import type { RequestContext } from '../policy/types.ts';
import { readAction, readContext, readEntity, readMinRevision, readSearchEntity, type JsonObject } from './entities.ts';
import { actionNameOf, contextEntriesOf, iamActionOf, principalArnOf, resourceIdOf, resourceOf, splitResourceType, subjectOf, SUBJECT_TYPES } from './mapping.ts';
import { pageOf, readPage, type PageResponse } from './paging.ts';

/** A search response: one page of results. */
export interface SearchResponse<T> {
  readonly results: T[];
  readonly page: PageResponse;
}

/** The principal types of the reverse answers each subject type lists. */
const PRINCIPAL_TYPES: Readonly<Record<string, string>> = { [SUBJECT_TYPES.user]: 'User', [SUBJECT_TYPES.role]: 'Role' };

/** POST /access/v1/search/subject: the subjects of `subject.type` that may perform `action` on `resource` (`subject.id` is ignored). */
export async function searchSubjects(body: JsonObject, authz: RequestAuthz): Promise<SearchResponse<{ type: string; id: string }>> {
  const accountId = accountOf(authz);
  const subject = readSearchEntity(body['subject'], 'subject');
  const action = readAction(body['action'], 'action');
  const resource = readEntity(body['resource'], 'resource');
  const context = readContext(body['context'], 'context');
  const minRevision = readMinRevision(body);
  const page = readPage(body);
  const mapped = resourceOf(resource, accountId, 'resource');
  const iamAction = iamActionOf(action, mapped.service, 'action');
  const requestContext = contextOf({ subject: { ...subject, id: '' }, action, resource, context });
  const principalType = Object.hasOwn(PRINCIPAL_TYPES, subject.type) ? PRINCIPAL_TYPES[subject.type] : undefined;
  if (principalType === undefined) return pageOf([], page, body);
  const answer = await authz.reverse.whoCan(authz.guard, { action: iamAction, resourceArn: mapped.arn, context: requestContext, minRevision: minRevision ?? null }, 'request');
  const subjects = answer.items.filter((entry) => entry.principalType === principalType).map((entry) => subjectOf(entry.principalArn, accountId));
  return pageOf(subjects, page, body);
}

/** POST /access/v1/search/resource: the registered resources of `resource.type` on which the subject may perform `action` (`resource.id` is ignored). */
export async function searchResources(body: JsonObject, authz: RequestAuthz): Promise<SearchResponse<{ type: string; id: string }>> {
  const accountId = accountOf(authz);
  const subject = readEntity(body['subject'], 'subject');
  const action = readAction(body['action'], 'action');
  const resource = readSearchEntity(body['resource'], 'resource');
  const context = readContext(body['context'], 'context');
  const minRevision = readMinRevision(body);
  const page = readPage(body);
  const { service, resourceType } = splitResourceType(resource.type, 'resource');
  const iamAction = iamActionOf(action, service, 'action');
  const requestContext = contextOf({ subject, action, resource: { ...resource, id: '' }, context });
  const principalArn = principalArnOf(subject, accountId, 'subject');
  if (principalArn === undefined) return pageOf([], page, body);
  const answer = await unlessUnknown(() =>
    authz.reverse.whatCanResources(authz.guard, { principalArn, action: iamAction, serviceName: service, resourceType, context: requestContext, minRevision: minRevision ?? null }, 'request'),
  );
  const resources = (answer?.items ?? []).map((entry) => ({ type: resource.type, id: resourceIdOf(entry.resource.arn, resource.type, accountId) }));
  return pageOf(resources, page, body);
}

/** POST /access/v1/search/action: the actions of the resource's service the subject may perform on the resource. */
export async function searchActions(body: JsonObject, authz: RequestAuthz): Promise<SearchResponse<{ name: string }>> {
  const accountId = accountOf(authz);
  const subject = readEntity(body['subject'], 'subject');
  const resource = readEntity(body['resource'], 'resource');
  const context = readContext(body['context'], 'context');
  const minRevision = readMinRevision(body);
  const page = readPage(body);
  const mapped = resourceOf(resource, accountId, 'resource');
  const requestContext = contextOf({ subject, resource, context });
  const principalArn = principalArnOf(subject, accountId, 'subject');
  if (principalArn === undefined) return pageOf([], page, body);
  const answer = await unlessUnknown(() =>
    authz.reverse.whatCanActions(authz.guard, { principalArn, resourceArn: mapped.arn, context: requestContext, minRevision: minRevision ?? null }, 'request'),
  );
  const actions = (answer?.items ?? []).map((entry) => ({ name: actionNameOf(entry.action, mapped.service) }));
  return pageOf(actions, page, body);
}

/**
 * The reverse answer, or undefined when the search names something the directory does not know:
 * a principal that does not exist, or a resource of a service outside the catalog. The scenario
 * (C.4.6) wants an empty result for those, not an error.
 */
async function unlessUnknown<T>(ask: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ask();
  } catch (error) {
    if (error instanceof NoSuchEntityError || (error instanceof ValidationError && error.rule === 'catalog')) return undefined;
    throw error;
  }
}

/** The request context of a search: its entities' properties and its context, as for an evaluation. */
function contextOf(parts: Parameters<typeof contextEntriesOf>[0]): RequestContext {
  return toRequestContext(contextEntriesOf(parts, ''), 'context');
}

/** The caller's account (anonymous requests are refused before this). */
function accountOf(authz: RequestAuthz): string {
  const caller = authz.guard.caller;
  if (caller === undefined) throw UnauthenticatedError.needsCredential();
  return caller.accountId;
}
