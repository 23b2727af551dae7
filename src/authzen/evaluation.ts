/**
 * The Access Evaluation and Access Evaluations APIs (Authorization API 1.0, sections 6 and 7):
 * requests become `authorize` questions (mapping.ts) answered by the request's Decider — the same
 * caches, `iam:Authorize` check, revision waits, metrics and last-accessed records as GraphQL's
 * `authorize`, with no GraphQL on the way. Decisions are `{ decision }`; a question that cannot be
 * answered is a denial whose `context.error` says why (inside `evaluations`), or an HTTP error
 * for a lone evaluation the caller may not ask (403) or sent malformed (400).
 */
import { isQuestionError, type Answer, type Decider } from '../authz/decide.ts';
import type { AuthorizeQuestion } from '../authz/question.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import type { JsonObject } from './entities.ts';
import { describe, isObject, readAction, readContext, readEntity, readMinRevision, requireObject } from './entities.ts';
import { questionOf, type Evaluation, type MappedQuestion } from './mapping.ts';
import { JsonText } from './json-text.ts';
import { errorStatus } from './status.ts';

/** Most items one `evaluations` request may hold (the same cap as `authorizeBatch`); more is a 400. */
export const MAX_EVALUATIONS = 1_000;

/** `options.evaluations_semantic` values (section 7.1.2). */
export const EVALUATION_SEMANTICS = ['execute_all', 'deny_on_first_deny', 'permit_on_first_permit'] as const;
type Semantic = (typeof EVALUATION_SEMANTICS)[number];

/** One decision on the wire. */
export interface EvaluationResponse {
  readonly decision: boolean;
  readonly context?: JsonObject;
}

/** What an evaluation request is decided with: the request's Decider and the caller's account. */
export interface EvaluationScope {
  readonly decider: Decider;
  readonly accountId: string;
}

/**
 * POST /access/v1/evaluation. Throws ValidationError (400), AccessDeniedError (403) or a service
 * error (500). Answers synchronously when the Decider has everything cached (decideOne), so the
 * common request costs no promise here.
 */
export function evaluate(body: JsonObject, scope: EvaluationScope): EvaluationResponse | Promise<EvaluationResponse> {
  const minRevision = readMinRevision(body);
  const evaluation: Evaluation = {
    subject: readEntity(body['subject'], 'subject'),
    action: readAction(body['action'], 'action'),
    resource: readEntity(body['resource'], 'resource'),
    context: readContext(body['context'], 'context'),
  };
  const mapped = questionOf(evaluation, scope.accountId, minRevision, '');
  if (!('question' in mapped)) return responseOf(mapped, undefined, true);
  const answer = scope.decider.decideOne(mapped.question, LONE);
  return answer instanceof Promise ? answer.then((settled) => responseOf(mapped, settled, true)) : responseOf(mapped, answer, true);
}

/** How a lone evaluation is decided: recorded, its errors naming the request. */
const LONE = { record: true, field: () => 'request' } as const;

/** POST /access/v1/evaluations: `{ evaluations: [...] }`, or a lone decision when the request has no (or an empty) `evaluations`. */
export async function evaluateMany(body: JsonObject, scope: EvaluationScope): Promise<EvaluationResponse | JsonText> {
  const items = body['evaluations'];
  if (items === undefined || items === null || (Array.isArray(items) && items.length === 0)) return await evaluate(body, scope);
  if (!Array.isArray(items)) throw new ValidationError('evaluations', 'type', `evaluations must be an array, got ${describe(items)}`);
  if (items.length > MAX_EVALUATIONS) {
    throw new ValidationError('evaluations', 'max-items', `evaluations may hold at most ${MAX_EVALUATIONS} items, got ${items.length}`);
  }
  const semantic = readSemantic(body['options']);
  const minRevision = readMinRevision(body);
  const defaults = readDefaults(body);
  const mapped: Array<MappedQuestion | ValidationError> = new Array(items.length);
  for (let index = 0; index < items.length; index++) mapped[index] = mapItem(items[index], defaults, scope.accountId, minRevision, index);
  return new JsonText(evaluationsJson(await decide(mapped, scope, semantic, { lone: false })));
}

/**
 * One item as a question, or the ValidationError naming its malformed field. Field paths are
 * built only for a malformed item: the item is mapped without them (an empty path builds no
 * string), and only when that fails is it mapped again with its path (`evaluations[4]`) to say
 * where. Mapping is pure, so the second pass fails the same way.
 */
function mapItem(item: unknown, defaults: Defaults, accountId: string, minRevision: string | undefined, index: number): MappedQuestion | ValidationError {
  try {
    return questionOf(merge(requireObject(item, ''), defaults, ''), accountId, minRevision, '');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
  }
  const path = `evaluations[${index}]`;
  try {
    return questionOf(merge(requireObject(item, path), defaults, path), accountId, minRevision, path);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
}

/** The top-level defaults: each present part must be an object; its fields are checked per item, after merging. */
interface Defaults {
  readonly subject?: JsonObject;
  readonly action?: JsonObject;
  readonly resource?: JsonObject;
  readonly context?: JsonObject;
}

function readDefaults(body: JsonObject): Defaults {
  const part = (key: string): JsonObject | undefined => (body[key] == null ? undefined : requireObject(body[key], key));
  return { subject: part('subject'), action: part('action'), resource: part('resource'), context: part('context') };
}

/**
 * An item merged with the defaults, entity by entity: an item's entity replaces the default one
 * whole, except that a required field it lacks (`type`, `id`, `name`) comes from the default (the
 * certification scenario's rule, test 3.2.7). The context is replaced whole.
 */
function merge(item: JsonObject, defaults: Defaults, path: string): Evaluation {
  return {
    subject: readEntity(withDefault(item['subject'], defaults.subject, ENTITY_FIELDS), `${path}.subject`),
    action: readAction(withDefault(item['action'], defaults.action, ACTION_FIELDS), `${path}.action`),
    resource: readEntity(withDefault(item['resource'], defaults.resource, ENTITY_FIELDS), `${path}.resource`),
    context: readContext(item['context'] ?? defaults.context, `${path}.context`),
  };
}

const ENTITY_FIELDS = ['type', 'id'] as const;
const ACTION_FIELDS = ['name'] as const;

/** An item's own entity, its missing `required` fields taken from the default; the default when it has none. */
function withDefault(own: unknown, fallback: JsonObject | undefined, required: readonly string[]): unknown {
  if (own === undefined || own === null) return fallback;
  if (!isObject(own) || fallback === undefined || required.every((field) => own[field] !== undefined)) return own;
  const filled: Record<string, unknown> = { ...own };
  for (const field of required) if (filled[field] === undefined) filled[field] = fallback[field];
  return filled;
}

function readSemantic(options: unknown): Semantic {
  if (options === undefined || options === null) return 'execute_all';
  if (!isObject(options)) throw new ValidationError('options', 'type', `options must be a JSON object, got ${describe(options)}`);
  const value = options['evaluations_semantic'];
  if (value === undefined || value === null) return 'execute_all';
  if (typeof value !== 'string' || !(EVALUATION_SEMANTICS as readonly string[]).includes(value)) {
    throw new ValidationError('options.evaluations_semantic', 'enum', `options.evaluations_semantic must be one of ${EVALUATION_SEMANTICS.join(', ')}`);
  }
  return value as Semantic;
}

/**
 * Decides the mapped items. `execute_all` asks the Decider once for every answerable item (one
 * batch, one principal load); the short-circuit semantics ask item by item, in order, and stop at
 * the first denial (`deny_on_first_deny`) or permit (`permit_on_first_permit`), so the items after
 * it are neither evaluated nor recorded.
 */
async function decide(mapped: ReadonlyArray<MappedQuestion | ValidationError>, scope: EvaluationScope, semantic: Semantic, options: { lone: boolean }): Promise<EvaluationResponse[]> {
  const questions: AuthorizeQuestion[] = [];
  /** For each question, the index of its item in `evaluations` (for error paths). */
  const itemOf: number[] = [];
  const slots = mapped.map((item, index) => {
    if (item instanceof ValidationError || !('question' in item)) return -1;
    itemOf.push(index);
    return questions.push(item.question) - 1;
  });
  const ask = (list: readonly AuthorizeQuestion[], first: number) =>
    scope.decider.decideAll(list, { record: true, field: (i) => (options.lone ? 'request' : `evaluations[${itemOf[first + i]}]`) });
  const respond = (item: MappedQuestion | ValidationError, answer: Answer | undefined): EvaluationResponse => responseOf(item, answer, options.lone);

  if (semantic === 'execute_all') {
    const answers = questions.length === 0 ? [] : await ask(questions, 0);
    return mapped.map((item, i) => respond(item, slots[i]! < 0 ? undefined : answers[slots[i]!]));
  }
  await scope.decider.preload(() => questions);
  const responses: EvaluationResponse[] = [];
  for (let i = 0; i < mapped.length; i++) {
    const slot = slots[i]!;
    const answer = slot < 0 ? undefined : (await ask([questions[slot]!], slot))[0];
    const response = respond(mapped[i]!, answer);
    if (semantic === 'deny_on_first_deny' && !response.decision) {
      // The spec's example marks the short-circuiting denial so; an error keeps its own context.
      responses.push(response.context === undefined ? { decision: false, context: { id: '200', reason: 'deny_on_first_deny' } } : response);
      return responses;
    }
    responses.push(response);
    if (semantic === 'permit_on_first_permit' && response.decision) return responses;
  }
  return responses;
}

/**
 * One item's response. A lone evaluation's own errors are HTTP errors (thrown), except a subject
 * that names no principal (no such user or role, or a type no principal has), which no policy
 * can allow: a denial saying so, as inside `evaluations`, where every question error is that
 * item's denial with `context.error` (status and message). Anything else (the service failed) is
 * thrown: a 500 for the whole request.
 */
function responseOf(item: MappedQuestion | ValidationError, answer: Answer | undefined, lone: boolean): EvaluationResponse {
  if (item instanceof ValidationError) return failed(item, lone);
  if (!('question' in item)) {
    const type = JSON.stringify(item.unknownSubject.slice(0, 64));
    return errorResponse(404, `no principal has subject type ${type}: subjects are of type "user" or "role", or name a principal ARN`);
  }
  if (answer === undefined) throw new Error('unreachable: a mapped question has no answer');
  if (!(answer instanceof Error)) return answer.allowed ? ALLOWED : DENIED;
  if (!isQuestionError(answer)) throw answer;
  return failed(answer, lone);
}

function failed(error: Error, lone: boolean): EvaluationResponse {
  if (lone && !(error instanceof NoSuchEntityError)) throw error;
  return errorResponse(errorStatus(error), error.message);
}

function errorResponse(status: number, message: string): EvaluationResponse {
  return { decision: false, context: { error: { status, message } } };
}

// Shared, frozen: most answers are one of these two.
const ALLOWED: EvaluationResponse = Object.freeze({ decision: true });
const DENIED: EvaluationResponse = Object.freeze({ decision: false });

/** `{ "evaluations": [...] }` as JSON text, the two shared answers written as constants. */
function evaluationsJson(responses: readonly EvaluationResponse[]): string {
  let text = '{"evaluations":[';
  for (let i = 0; i < responses.length; i++) {
    const response = responses[i]!;
    if (i > 0) text += ',';
    text += response === ALLOWED ? '{"decision":true}' : response === DENIED ? '{"decision":false}' : JSON.stringify(response);
  }
  return `${text}]}`;
}
