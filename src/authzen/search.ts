/**
 * The Search APIs (Authorization API 1.0, sections 8 to 10), answered by the reverse questions
 * (`authz.reverse`: who can, what can), so every result, fed back into an evaluation, is allowed.
 * Requests are read and mapped as evaluations are (mapping.ts); an entity the directory does not
 * know (a subject type no principal has, a user that does not exist) gives no results rather than
 * an error, as the certification scenario requires. Results are paged (paging.ts).
 */
import { toRequestContext } from '../authz/context-entries.ts';
import type { RequestAuthz } from '../authz/runtime.ts';
import { UnauthenticatedError } from '../errors.ts';
import type { RequestContext } from '../policy/types.ts';
import { readAction, readContext, readEntity, readMinRevision, readSearchEntity, type JsonObject } from './entities.ts';
import { contextEntriesOf, iamActionOf, resourceOf, subjectOf, SUBJECT_TYPES } from './mapping.ts';
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
