/** A user allowed one action through an attached managed policy, created over HTTP. */
import { ATTACH, CREATE_POLICY, CREATE_USER, allowDocument, must } from './directory.ts';
import { ROOT_AUTH } from './env.ts';

/** The action the grant allows. */
export const ALLOW_ACTION = 'drill:Read';

/** What `setUpGrant` made, and the revision that includes it. */
export interface Grant {
  readonly userName: string;
  readonly userArn: string;
  readonly policyArn: string;
  readonly revision: string;
}

/** Creates user `<prefix>-user`, policy `<prefix>-policy` allowing ALLOW_ACTION, and attaches it. */
export async function setUpGrant(graphqlUrl: string, prefix: string): Promise<Grant> {
  const userName = `${prefix}-user`;
  const user = await must(graphqlUrl, ROOT_AUTH, CREATE_USER, { u: userName });
  const policy = await must(graphqlUrl, ROOT_AUTH, CREATE_POLICY, { n: `${prefix}-policy`, d: allowDocument(ALLOW_ACTION) });
  const policyArn = policy['createPolicy'].policy.arn as string;
  const attached = await must(graphqlUrl, ROOT_AUTH, ATTACH, { u: userName, p: policyArn });
  return { userName, userArn: user['createUser'].user.arn as string, policyArn, revision: attached['attachUserPolicy'].revision as string };
}
