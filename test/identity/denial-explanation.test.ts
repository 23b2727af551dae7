/**
 * ACCESS_DENIED explains itself to callers who may simulate their own policies (issue 5: "an
 * explanation when the caller may simulate"), as AWS's policy simulator would: the deciding Deny
 * statements for an explicit deny, the statements that nearly applied for an implicit one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, accessKeyFor, createUser, send, startIdentityServer } from './support/server.ts';

const SIMULATE_SELF = { Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` };
const NO_LISTING = { Sid: 'NoListing', Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' };
const GET_OTHER_ONLY = { Sid: 'GetOtherOnly', Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT}:user/other` };
const LIST = '{ users(first: 1) { edges { node { userName } } } }';

describe('denials explain themselves to callers who may simulate', () => {
  let server: TestServer;
  let explained: string;
  let quiet: string;
  beforeAll(async () => {
    server = await startIdentityServer();
    await createUser(server, 'explained', { Version: '2012-10-17', Statement: [SIMULATE_SELF, NO_LISTING, GET_OTHER_ONLY] });
    await createUser(server, 'quiet', { Version: '2012-10-17', Statement: [NO_LISTING, GET_OTHER_ONLY] });
    explained = (await accessKeyFor(server, 'explained')).header;
    quiet = (await accessKeyFor(server, 'quiet')).header;
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  it('an explicit deny names the Deny statement that decided it', async () => {
    const error = (await send(server, explained, LIST)).body.errors?.[0];
    expect(error?.extensions).toMatchObject({
      code: 'ACCESS_DENIED',
      action: 'iam:ListUsers',
      explanation: { decision: 'EXPLICIT_DENY', matchedStatements: [{ sid: 'NoListing', effect: 'Deny', layer: 'IDENTITY' }] },
    });
  });

  it('an implicit deny names the statement that matched the action but not the resource', async () => {
    const error = (await send(server, explained, '{ user(userName: "someone") { arn } }')).body.errors?.[0];
    expect(error?.extensions?.['code']).toBe('ACCESS_DENIED');
    expect(error?.extensions?.['explanation']).toMatchObject({
      decision: 'IMPLICIT_DENY',
      matchedStatements: [],
      nearMisses: [{ statement: { sid: 'GetOtherOnly' }, failedPart: 'resource' }],
    });
  });

  it("authorize's own refusal (iam:Authorize on the principal asked about) is its answer, explained the same way", async () => {
    const ask = `mutation { authorize(input: { principalArn: "arn:aws:iam::${ACCOUNT}:user/other", action: "s3:GetObject", resourceArn: "*" }) {
      __typename ... on Decision { allowed }
      ... on AccessDenied { action explanation { decision matchedStatements { sid effect } nearMisses { failedPart statement { sid } } } } } }`;
    const answer = (await send(server, explained, ask)).body.data?.['authorize'];
    expect(answer).toMatchObject({ __typename: 'AccessDenied', action: 'iam:Authorize', explanation: { decision: 'IMPLICIT_DENY', matchedStatements: [] } });
    const unexplained = (await send(server, quiet, ask)).body.data?.['authorize'];
    expect(unexplained).toEqual({ __typename: 'AccessDenied', action: 'iam:Authorize', explanation: null });
  });

  it('a caller who may not simulate gets the denial without the explanation', async () => {
    const error = (await send(server, quiet, LIST)).body.errors?.[0];
    expect(error?.extensions?.['code']).toBe('ACCESS_DENIED');
    expect(error?.extensions).not.toHaveProperty('explanation');
  });
});
