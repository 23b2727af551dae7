/**
 * The AuthZEN endpoints beyond the certification scenario: credentials (401), the caller's own
 * permission on each subject (403, or a per-item refusal), X-Request-ID, minRevision
 * (read-after-revoke through the same consistency as authorize), the evaluation semantics, and
 * malformed requests named by JSON path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, ROOT_AUTH, startPdp, userWithPolicy, type Pdp } from './support/pdp.ts';

let pdp: Pdp;
/** A PEP that may ask about bob only. */
let bobsPep: string;
beforeAll(async () => {
  pdp = await startPdp(['authzen-certification']);
  bobsPep = await userWithPolicy(pdp, 'bobs-pep', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'iam:Authorize', Resource: `arn:aws:iam::${ACCOUNT}:user/bob` }],
  });
}, 120_000);
afterAll(async () => {
  await pdp?.close();
});

const read = (id: string, record = 'record-1') => ({ subject: { type: 'user', id }, action: { name: 'read' }, resource: { type: 'record', id: record } });

describe('credentials and permissions', () => {
  it('answers 401 without a credential and with a bad one, saying which schemes it takes', async () => {
    for (const authorization of ['', 'Basic ' + Buffer.from('AKIANOSUCHKEY0000001:wrong-secret-wrong').toString('base64'), 'Bearer not-a-session']) {
      const answer = await pdp.post('/access/v1/evaluation', read('alice'), { authorization });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/Basic/);
      expect(answer.text).not.toContain('decision');
    }
  });

  it('needs iam:Authorize on the subject: 403 for a lone evaluation, a refused item inside evaluations', async () => {
    expect((await pdp.post('/access/v1/evaluation', read('bob'), { authorization: bobsPep })).json).toEqual({ decision: true });
    const refused = await pdp.post('/access/v1/evaluation', read('alice'), { authorization: bobsPep });
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/not authorized to perform iam:Authorize on resource arn:aws:iam::111122223333:user\/alice/);
    const batch = await pdp.post('/access/v1/evaluations', { action: { name: 'read' }, resource: { type: 'record', id: 'record-1' }, evaluations: [{ subject: { type: 'user', id: 'bob' } }, { subject: { type: 'user', id: 'alice' } }] }, { authorization: bobsPep });
    expect(batch.status).toBe(200);
    expect(batch.json.evaluations[0]).toEqual({ decision: true });
    expect(batch.json.evaluations[1]).toMatchObject({ decision: false, context: { error: { status: 403 } } });
  });

  it('searches only what the caller may see: subject search needs iam:WhoCan, action search iam:Authorize on the subject', async () => {
    const whoCan = await pdp.post('/access/v1/search/subject', { subject: { type: 'user' }, action: { name: 'read' }, resource: { type: 'record', id: 'record-1' } }, { authorization: bobsPep });
    expect(whoCan.status).toBe(403);
    expect(whoCan.text).toContain('iam:WhoCan');
    const actions = await pdp.post('/access/v1/search/action', { subject: { type: 'user', id: 'alice' }, resource: { type: 'record', id: 'record-1' } }, { authorization: bobsPep });
    expect(actions.status).toBe(403);
    const own = await pdp.post('/access/v1/search/action', { subject: { type: 'user', id: 'bob' }, resource: { type: 'record', id: 'record-1' } }, { authorization: bobsPep });
    expect(own.json.results).toEqual([{ name: 'read' }]);
  });

  it('publishes the metadata without a credential', async () => {
    expect((await pdp.get('/.well-known/authzen-configuration', { authorization: '' })).status).toBe(200);
  });
});

describe('X-Request-ID', () => {
  it('echoes the caller’s id on answers and on errors alike', async () => {
    for (const [body, auth, status] of [[read('alice'), ROOT_AUTH, 200], [{}, ROOT_AUTH, 400], [read('alice'), '', 401]] as const) {
      const answer = await pdp.post('/access/v1/evaluation', body, { authorization: auth, 'x-request-id': 'pep-42 / retry 1' });
      expect(answer.status).toBe(status);
      expect(answer.headers.get('x-request-id')).toBe('pep-42 / retry 1');
    }
  });
});

describe('minRevision', () => {
  it('answers from state that reflects a revoking write once given its revision', async () => {
    const before = await pdp.post('/access/v1/evaluation', { subject: { type: 'user', id: 'alice' }, action: { name: 'write' }, resource: { type: 'record', id: 'record-1' } });
    expect(before.json).toEqual({ decision: true });
    const detached = await pdp.server.gql<any>(
      `mutation { detachUserPolicy(input: { userName: "alice", policyArn: "arn:aws:iam::${ACCOUNT}:policy/authzen/AuthZENEditRecords" }) { __typename ... on DetachUserPolicySuccess { revision } } }`,
      undefined,
      { authorization: ROOT_AUTH },
    );
    const revision = detached.body.data.detachUserPolicy.revision as string;
    expect(revision).toMatch(/^\d+$/);
    const after = await pdp.post('/access/v1/evaluation', { subject: { type: 'user', id: 'alice' }, action: { name: 'write' }, resource: { type: 'record', id: 'record-1' }, minRevision: revision });
    expect(after.json).toEqual({ decision: false });
    const batch = await pdp.post('/access/v1/evaluations', { subject: { type: 'user', id: 'alice' }, resource: { type: 'record', id: 'record-1' }, minRevision: revision, evaluations: [{ action: { name: 'write' } }, { action: { name: 'read' } }] });
    expect(batch.json).toEqual({ evaluations: [{ decision: false }, { decision: true }] });
    await pdp.server.gql(`mutation { attachUserPolicy(input: { userName: "alice", policyArn: "arn:aws:iam::${ACCOUNT}:policy/authzen/AuthZENEditRecords" }) { __typename } }`, undefined, { authorization: ROOT_AUTH });
  });

  it('refuses a revision the change log has not reached, and one that is not a string of digits', async () => {
    const ahead = await pdp.post('/access/v1/evaluation', { ...read('alice'), minRevision: '999999999' });
    expect(ahead.status).toBe(400);
    expect(ahead.text).toMatch(/minRevision/);
    const ahead2 = await pdp.post('/access/v1/evaluations', { ...read('alice'), minRevision: '999999999', evaluations: [{}] });
    expect(ahead2.json.evaluations[0]).toMatchObject({ decision: false, context: { error: { status: 400 } } });
    expect((await pdp.post('/access/v1/evaluation', { ...read('alice'), minRevision: 12 })).status).toBe(400);
  });
});

describe('evaluations', () => {
  const three = {
    subject: { type: 'user', id: 'bob' },
    resource: { type: 'record', id: 'record-1' },
    evaluations: [{ action: { name: 'write' } }, { action: { name: 'read' } }, { action: { name: 'write' } }],
  };

  it('executes all by default, stops after the first permit with permit_on_first_permit, after the first denial with deny_on_first_deny', async () => {
    expect((await pdp.post('/access/v1/evaluations', three)).json).toEqual({ evaluations: [{ decision: false }, { decision: true }, { decision: false }] });
    expect((await pdp.post('/access/v1/evaluations', { ...three, options: { evaluations_semantic: 'permit_on_first_permit' } })).json).toEqual({
      evaluations: [{ decision: false }, { decision: true }],
    });
    expect((await pdp.post('/access/v1/evaluations', { ...three, options: { evaluations_semantic: 'deny_on_first_deny' } })).json).toEqual({
      evaluations: [{ decision: false, context: { id: '200', reason: 'deny_on_first_deny' } }],
    });
    const unknown = await pdp.post('/access/v1/evaluations', { ...three, options: { evaluations_semantic: 'first_come' } });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('options.evaluations_semantic');
  });

  it('denies, with the reason, a subject that names no principal; refuses the whole request when evaluations is not an array', async () => {
    const answer = await pdp.post('/access/v1/evaluation', { subject: { type: 'spaceship', id: 'x' }, action: { name: 'read' }, resource: { type: 'record', id: 'record-1' } });
    expect(answer.json).toMatchObject({ decision: false, context: { error: { status: 404 } } });
    expect((await pdp.post('/access/v1/evaluations', { evaluations: { a: 1 } })).status).toBe(400);
  });
});

describe('malformed requests', () => {
  it.each([
    ['a property name no condition key can spell', { ...read('alice'), context: { 'has space': 1 } }, 'context.has space'],
    ['an action name that is no IAM action', { subject: { type: 'user', id: 'alice' }, action: { name: 'read everything' }, resource: { type: 'record', id: 'record-1' } }, 'action.name'],
    ['a principal ARN that names no principal', { subject: { type: 'user', id: 'arn:aws:s3:::bucket' }, action: { name: 'read' }, resource: { type: 'record', id: 'record-1' } }, 'subject.id'],
    ['a resource type with a bad service', { subject: { type: 'user', id: 'alice' }, action: { name: 'read' }, resource: { type: 'Bad Service:x', id: '1' } }, 'resource.type'],
  ])('names the path of %s (400)', async (_, body, path) => {
    const answer = await pdp.post('/access/v1/evaluation', body);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(path);
  });

  it('names the item and field of each malformed item of evaluations, and answers the well-formed ones', async () => {
    const answer = await pdp.post('/access/v1/evaluations', {
      subject: { type: 'user', id: 'alice' },
      resource: { type: 'record', id: 'record-1' },
      evaluations: [
        { action: { name: 'read' } },
        { action: { name: 'read everything' } },
        { action: { name: 'read' }, context: { 'has space': 1 } },
        { action: { name: 'read' }, subject: { type: 'user', id: 'alice', properties: { ip_address: '10.0.0.999' } } },
        { action: { name: 'read' } },
      ],
    });
    expect(answer.status).toBe(200);
    const [first, badAction, badContext, badIp, last] = answer.json.evaluations;
    expect(first).toEqual({ decision: true });
    expect(last).toEqual({ decision: true });
    expect(badAction).toMatchObject({ decision: false, context: { error: { status: 400 } } });
    expect(badAction.context.error.message).toContain('evaluations[1].action.name');
    expect(badContext.context.error.message).toContain('evaluations[2].context.has space');
    // A value the engine refuses is named by the Decider, at the item's path.
    expect(badIp).toMatchObject({ decision: false, context: { error: { status: 400 } } });
    expect(badIp.context.error.message).toContain('evaluations[3].contextEntries');
  });

  it('answers 405 to a method an endpoint does not take', async () => {
    const answer = await pdp.get('/access/v1/evaluation');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
  });
});
