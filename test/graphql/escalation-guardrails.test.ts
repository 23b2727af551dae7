/**
 * Escalation paths respect the organization's SCPs (issue 20, item 6: "Boundaries, denies,
 * conditions and SCPs must be respected"). A member account's user allowed to write its own
 * inline policy has a path; an SCP denying iam:PutUserPolicy on the account's OU removes it for a
 * question asked with the attachment's revision, and detaching brings it back. The management
 * account's users are never bound by SCPs, so the same permission there stays a path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessKey } from '../../src/iam/access-keys.ts';
import { putInlinePolicy } from '../../src/iam/inline-policies.ts';
import { createUser } from '../../src/iam/users.ts';
import { ACCOUNT, startInProcess, type InProcess } from '../support/in-process.ts';
import {
  attachOrganizationPolicyRows,
  createMemberAccountRows,
  createOrganizationPolicyRows,
  createOrganizationRows,
  createOuRows,
  detachOrganizationPolicyRows,
  type TestOrganization,
} from '../support/organization-rows.ts';

const MEMBER = '222233334444';
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const PATHS = `query ($arn: String!, $min: String) {
  escalationPaths(principalArn: $arn, minRevision: $min) { principal { paths { technique } } }
}`;

describe('escalation paths under SCPs', () => {
  let app: InProcess;
  let org: TestOrganization;
  let ou: string;
  let auditor: string;
  const intern = `arn:aws:iam::${MEMBER}:user/intern`;

  /** Creates `userName` in `accountId` with `statements` inline; returns its Authorization header. */
  async function userIn(accountId: string, userName: string, statements: object[]): Promise<string> {
    const actor = { arn: `arn:aws:iam::${accountId}:root`, accountId };
    await createUser(app.database, actor, { userName });
    await putInlinePolicy(app.database, actor, 'user', { principalName: userName, policyName: 'Inline', policyDocument: doc(...statements) });
    const { result } = await createAccessKey(app.database, actor, undefined, { userName });
    return `Basic ${Buffer.from(`${result.accessKey.accessKeyId}:${result.secretAccessKey}`).toString('base64')}`;
  }

  const techniques = async (authorization: string, arn: string, minRevision?: string): Promise<string[]> => {
    const answer = await app.gql(authorization, PATHS, { arn, min: minRevision ?? null });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data.escalationPaths.principal.paths.map((p: { technique: string }) => p.technique);
  };

  beforeAll(async () => {
    app = await startInProcess({ RATE_LIMIT_PER_SECOND: '0' });
    org = await createOrganizationRows(app.database, ACCOUNT);
    ou = await createOuRows(app.database, org, org.rootId, 'Interns');
    await createMemberAccountRows(app.database, org, MEMBER, ou);
    const selfWrite = (account: string) => ({ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: `arn:aws:iam::${account}:user/intern` });
    await userIn(MEMBER, 'intern', [selfWrite(MEMBER)]);
    auditor = await userIn(MEMBER, 'auditor', [{ Effect: 'Allow', Action: 'iam:EscalationPaths', Resource: '*' }]);
    await app.userWith('intern', [selfWrite(ACCOUNT)]);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it("an SCP denying the step on the account's OU removes the path; detaching restores it; the management account is not bound", async () => {
    expect(await techniques(auditor, intern)).toContain('PUT_USER_POLICY');
    const scp = await createOrganizationPolicyRows(app.database, org, 'NoInlinePolicies', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'iam:PutUserPolicy', Resource: '*' }],
    });
    const attached = await attachOrganizationPolicyRows(app.database, org, scp, ou);
    expect(await techniques(auditor, intern, attached)).not.toContain('PUT_USER_POLICY');
    // The management account's intern, with the same permission, keeps the path: SCPs never bind it.
    expect(await techniques(app.root, `arn:aws:iam::${ACCOUNT}:user/intern`, attached)).toContain('PUT_USER_POLICY');
    const detached = await detachOrganizationPolicyRows(app.database, org, scp, ou);
    expect(await techniques(auditor, intern, detached)).toContain('PUT_USER_POLICY');
  });
});
