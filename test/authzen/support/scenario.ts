/**
 * The requests of the AuthZEN Authorization API 1.0 certification scenario (openid/authzen,
 * certification/authorization-api-1_0-scenario.md), as data: one case per request, with the test
 * id and sub-level it belongs to and what the harness checks of its answer. The eight mandated
 * decisions (section C.1.4) are the only decision values checked, as the scenario says.
 */

/** A certification sub-level. */
export type Level = 'Basic Core' | 'Basic Properties' | 'Batch Core' | 'Batch Properties' | 'Search Core' | 'Search Properties';

/** What the harness expects of a response. */
export type Expectation =
  | { readonly status: 200; readonly decision?: boolean }
  | { readonly status: 200; readonly evaluations: number; readonly decisions?: ReadonlyArray<boolean | null> }
  | { readonly status: 200; readonly results: 'subjects' | 'resources' | 'actions'; readonly includes: readonly string[]; readonly type?: string }
  | { readonly status: 400 };

/** One request of the scenario. */
export interface ScenarioCase {
  readonly id: string;
  readonly level: Level;
  readonly path: string;
  readonly title: string;
  /** The JSON body, or raw text when a string. */
  readonly body: unknown;
  readonly contentType?: string;
  readonly expect: Expectation;
}

const EVALUATION = '/access/v1/evaluation';
const EVALUATIONS = '/access/v1/evaluations';
const SUBJECT_SEARCH = '/access/v1/search/subject';
const RESOURCE_SEARCH = '/access/v1/search/resource';
const ACTION_SEARCH = '/access/v1/search/action';

const alice = { type: 'user', id: 'alice' };
const bob = { type: 'user', id: 'bob' };
const bobAdmin = { type: 'user', id: 'bob', properties: { role: 'admin' } };
const record1 = { type: 'record', id: 'record-1' };
const record2 = { type: 'record', id: 'record-2' };
const archived2 = { type: 'record', id: 'record-2', properties: { status: 'archived' } };
const read = { name: 'read' };
const write = { name: 'write' };

/** Basic: the Access Evaluation API (C.2). */
export const BASIC: readonly ScenarioCase[] = [
  { id: 'C.2.2.1', level: 'Basic Core', path: EVALUATION, title: 'fixture permit (rule 1)', body: { subject: alice, action: read, resource: record1 }, expect: { status: 200, decision: true } },
  { id: 'C.2.2.2', level: 'Basic Core', path: EVALUATION, title: 'fixture deny (rule 4)', body: { subject: bob, action: write, resource: record1 }, expect: { status: 200, decision: false } },
  {
    id: 'C.2.2.3',
    level: 'Basic Core',
    path: EVALUATION,
    title: 'optional context',
    body: { subject: alice, action: read, resource: record1, context: { time: '2025-06-27T18:03-07:00', ip: '192.168.1.1' } },
    expect: { status: 200, decision: true },
  },
  { id: 'C.2.2.4', level: 'Basic Properties', path: EVALUATION, title: 'deny on resource properties (rule 5)', body: { subject: alice, action: write, resource: archived2 }, expect: { status: 200, decision: false } },
  { id: 'C.2.2.5', level: 'Basic Properties', path: EVALUATION, title: 'permit on subject properties (rule 6)', body: { subject: bobAdmin, action: write, resource: archived2 }, expect: { status: 200, decision: true } },
  {
    id: 'C.2.2.6',
    level: 'Basic Properties',
    path: EVALUATION,
    title: 'permit on action properties (rule 7)',
    body: { subject: alice, action: { name: 'delete', properties: { soft: true } }, resource: record1 },
    expect: { status: 200, decision: true },
  },
  {
    id: 'C.2.2.7',
    level: 'Basic Properties',
    path: EVALUATION,
    title: 'deny on action properties (rule 8)',
    body: { subject: alice, action: { name: 'delete', properties: { soft: false } }, resource: record1 },
    expect: { status: 200, decision: false },
  },
  {
    id: 'C.2.2.8',
    level: 'Basic Core',
    path: EVALUATION,
    title: 'additional properties',
    body: {
      subject: { type: 'user', id: 'alice', properties: { department: 'Sales', role: 'manager' } },
      action: { name: 'read', properties: { method: 'GET' } },
      resource: { type: 'record', id: 'record-1', properties: { status: 'active', owner: 'bob' } },
    },
    expect: { status: 200, decision: true },
  },
  {
    id: 'C.2.2.9',
    level: 'Basic Core',
    path: EVALUATION,
    title: 'unknown fields ignored',
    body: { subject: alice, action: read, resource: record1, foo: 'bar', futureField: { nested: true } },
    expect: { status: 200, decision: true },
  },
  ...(
    [
      ['missing subject', { action: read, resource: record1 }],
      ['missing action', { subject: alice, resource: record1 }],
      ['missing resource', { subject: alice, action: read }],
    ] as const
  ).map(([title, body]): ScenarioCase => ({ id: 'C.2.4.1', level: 'Basic Core', path: EVALUATION, title, body, expect: { status: 400 } })),
  ...(
    [
      ['subject missing type', { subject: { id: 'alice' }, action: read, resource: record1 }],
      ['subject missing id', { subject: { type: 'user' }, action: read, resource: record1 }],
      ['action missing name', { subject: alice, action: {}, resource: record1 }],
      ['resource missing type', { subject: alice, action: read, resource: { id: 'record-1' } }],
      ['resource missing id', { subject: alice, action: read, resource: { type: 'record' } }],
    ] as const
  ).map(([title, body]): ScenarioCase => ({ id: 'C.2.4.2', level: 'Basic Core', path: EVALUATION, title, body, expect: { status: 400 } })),
  { id: 'C.2.4.3', level: 'Basic Core', path: EVALUATION, title: 'invalid content type', body: JSON.stringify({ subject: alice, action: read, resource: record1 }), contentType: 'text/plain', expect: { status: 400 } },
  { id: 'C.2.4.4', level: 'Basic Core', path: EVALUATION, title: 'malformed JSON', body: '{"subject": {"type": "user", "id": "alice"', expect: { status: 400 } },
  { id: 'C.2.4.5', level: 'Basic Core', path: EVALUATION, title: 'empty body', body: '', expect: { status: 400 } },
  { id: 'C.2.4.6', level: 'Basic Core', path: EVALUATION, title: 'subject is a string', body: { subject: 'alice', action: read, resource: record1 }, expect: { status: 400 } },
  { id: 'C.2.4.6', level: 'Basic Core', path: EVALUATION, title: 'action.name is a number', body: { subject: alice, action: { name: 123 }, resource: record1 }, expect: { status: 400 } },
];

/** Batch: the Access Evaluations API (C.3). */
export const BATCH: readonly ScenarioCase[] = [
  {
    id: 'C.3.2.1',
    level: 'Batch Core',
    path: EVALUATIONS,
    title: 'evaluations array',
    body: { subject: alice, action: read, evaluations: [{ resource: record1 }, { resource: record2 }] },
    expect: { status: 200, evaluations: 2 },
  },
  {
    id: 'C.3.2.2',
    level: 'Batch Core',
    path: EVALUATIONS,
    title: 'fixture decisions, in order (rules 3 and 4)',
    body: { subject: bob, resource: record1, evaluations: [{ action: read }, { action: write }] },
    expect: { status: 200, evaluations: 2, decisions: [true, false] },
  },
  {
    id: 'C.3.2.3',
    level: 'Batch Properties',
    path: EVALUATIONS,
    title: 'resource properties per item (rules 2 and 5)',
    body: { subject: alice, action: write, evaluations: [{ resource: { type: 'record', id: 'record-1', properties: { status: 'active' } } }, { resource: archived2 }] },
    expect: { status: 200, evaluations: 2, decisions: [true, false] },
  },
  {
    id: 'C.3.2.4',
    level: 'Batch Properties',
    path: EVALUATIONS,
    title: 'subject properties per item (rules 5 and 6)',
    body: { action: write, resource: archived2, evaluations: [{ subject: alice }, { subject: bobAdmin }] },
    expect: { status: 200, evaluations: 2, decisions: [false, true] },
  },
  {
    id: 'C.3.2.5',
    level: 'Batch Core',
    path: EVALUATIONS,
    title: 'fully specified items',
    body: { evaluations: [{ subject: alice, action: read, resource: record1 }, { subject: bob, action: write, resource: record1 }] },
    expect: { status: 200, evaluations: 2, decisions: [true, false] },
  },
  {
    id: 'C.3.2.6',
    level: 'Batch Core',
    path: EVALUATIONS,
    title: 'context inheritance',
    body: {
      subject: alice,
      action: read,
      context: { time: '2025-06-27T18:03-07:00' },
      evaluations: [{ resource: record1 }, { resource: record2, context: { time: '2025-06-27T19:00-07:00', source: 'batch-override' } }],
    },
    expect: { status: 200, evaluations: 2 },
  },
  {
    id: 'C.3.2.7',
    level: 'Batch Properties',
    path: EVALUATIONS,
    title: 'default value merging',
    body: {
      subject: alice,
      action: write,
      resource: { type: 'record' },
      evaluations: [{ resource: { id: 'record-1', properties: { status: 'active' } } }, { resource: archived2 }],
    },
    expect: { status: 200, evaluations: 2, decisions: [true, false] },
  },
  {
    id: 'C.3.4.1',
    level: 'Batch Core',
    path: EVALUATIONS,
    title: 'an item missing its resource fails alone',
    body: { subject: alice, action: read, evaluations: [{ resource: record1 }, {}] },
    expect: { status: 200, evaluations: 2, decisions: [null, false] },
  },
  { id: 'C.3.4.2', level: 'Batch Core', path: EVALUATIONS, title: 'no evaluations array', body: { subject: alice, action: read, resource: record1 }, expect: { status: 200, decision: true } },
  {
    id: 'C.3.4.3',
    level: 'Batch Core',
    path: EVALUATIONS,
    title: 'empty evaluations array',
    body: { subject: alice, action: read, resource: record1, evaluations: [] },
    expect: { status: 200, decision: true },
  },
];


/** Search: the Subject, Resource and Action Search APIs (C.4). */
export const SEARCH: readonly ScenarioCase[] = [
  { id: 'C.4.2.1', level: 'Search Core', path: SUBJECT_SEARCH, title: 'subjects who can read record-1', body: { subject: { type: 'user' }, action: read, resource: record1 }, expect: { status: 200, results: 'subjects', type: 'user', includes: ['alice', 'bob'] } },
  {
    id: 'C.4.2.2',
    level: 'Search Core',
    path: SUBJECT_SEARCH,
    title: 'subject search with context',
    body: { subject: { type: 'user' }, action: read, resource: record1, context: { time: '2024-10-26T01:22-07:00' } },
    expect: { status: 200, results: 'subjects', type: 'user', includes: ['alice', 'bob'] },
  },
  {
    id: 'C.4.2.4',
    level: 'Search Properties',
    path: SUBJECT_SEARCH,
    title: 'subjects who can write archived record-2 (rule 6)',
    body: { subject: { type: 'user' }, action: write, resource: archived2 },
    expect: { status: 200, results: 'subjects', type: 'user', includes: ['bob'] },
  },
  { id: 'C.4.3.1', level: 'Search Core', path: RESOURCE_SEARCH, title: 'records alice can read', body: { subject: alice, action: read, resource: { type: 'record' } }, expect: { status: 200, results: 'resources', type: 'record', includes: ['record-1'] } },
  {
    id: 'C.4.3.3',
    level: 'Search Properties',
    path: RESOURCE_SEARCH,
    title: 'records an admin bob can write (rule 6)',
    body: { subject: bobAdmin, action: write, resource: { type: 'record' } },
    expect: { status: 200, results: 'resources', type: 'record', includes: ['record-2'] },
  },
  { id: 'C.4.4.1', level: 'Search Core', path: ACTION_SEARCH, title: 'what alice can do to record-1', body: { subject: alice, resource: record1 }, expect: { status: 200, results: 'actions', includes: ['read', 'write'] } },
  {
    id: 'C.4.4.2',
    level: 'Search Core',
    path: ACTION_SEARCH,
    title: 'action search with context',
    body: { subject: alice, resource: record1, context: { time: '2024-10-26T01:22-07:00' } },
    expect: { status: 200, results: 'actions', includes: ['read', 'write'] },
  },
  {
    id: 'C.4.4.3',
    level: 'Search Properties',
    path: ACTION_SEARCH,
    title: 'what an admin bob can do to archived record-2 (rule 6)',
    body: { subject: bobAdmin, resource: archived2 },
    expect: { status: 200, results: 'actions', includes: ['write'] },
  },
  {
    id: 'C.4.5.1',
    level: 'Search Core',
    path: SUBJECT_SEARCH,
    title: 'page limit accepted',
    body: { subject: { type: 'user' }, action: read, resource: record1, page: { limit: 1 } },
    expect: { status: 200, results: 'subjects', type: 'user', includes: [] },
  },
  { id: 'C.4.6.1', level: 'Search Core', path: ACTION_SEARCH, title: 'unknown subject: no results', body: { subject: { type: 'user', id: 'nonexistent-user' }, resource: record1 }, expect: { status: 200, results: 'actions', includes: [] } },
  {
    id: 'C.4.6.2',
    level: 'Search Core',
    path: SUBJECT_SEARCH,
    title: 'unknown subject type: no results',
    body: { subject: { type: 'spaceship' }, action: read, resource: record1 },
    expect: { status: 200, results: 'subjects', type: 'spaceship', includes: [] },
  },
  { id: 'C.4.7.1', level: 'Search Core', path: SUBJECT_SEARCH, title: 'subject search missing action', body: { subject: { type: 'user' }, resource: record1 }, expect: { status: 400 } },
  { id: 'C.4.7.1', level: 'Search Core', path: RESOURCE_SEARCH, title: 'resource search missing subject', body: { action: read, resource: { type: 'record' } }, expect: { status: 400 } },
  { id: 'C.4.7.1', level: 'Search Core', path: ACTION_SEARCH, title: 'action search missing resource', body: { subject: alice }, expect: { status: 400 } },
  { id: 'C.4.7.2', level: 'Search Core', path: SUBJECT_SEARCH, title: 'subject search, resource missing id', body: { subject: { type: 'user' }, action: read, resource: { type: 'record' } }, expect: { status: 400 } },
  { id: 'C.4.7.2', level: 'Search Core', path: RESOURCE_SEARCH, title: 'resource search, subject missing id', body: { subject: { type: 'user' }, action: read, resource: { type: 'record' } }, expect: { status: 400 } },
];
