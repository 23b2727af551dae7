/** Adding a picked principal to a trust policy's text: where it goes, and what is refused. */
import { describe, expect, it } from 'vitest';
import { addTrustedPrincipal } from '../../src/web/components/trust-principals.ts';

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const statementsOf = (edit: ReturnType<typeof addTrustedPrincipal>) => {
  if ('error' in edit) throw new Error(edit.error);
  return (JSON.parse(edit.document) as { Statement: unknown[] }).Statement;
};

describe('addTrustedPrincipal', () => {
  it('joins the AWS principals of the first unconditioned sts:AssumeRole allow, a single ARN becoming a list', () => {
    const edit = addTrustedPrincipal(doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' }]), ALICE);
    expect(statementsOf(edit)).toEqual([{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root', ALICE] }, Action: 'sts:AssumeRole' }]);
  });

  it('appends a statement when none trusts AWS principals without a condition', () => {
    const service = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    const conditioned = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } };
    expect(statementsOf(addTrustedPrincipal(doc([service, conditioned]), ` ${ALICE} `))).toEqual([
      service,
      conditioned,
      { Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'sts:AssumeRole' },
    ]);
  });

  it('refuses an empty choice, a principal already trusted and a document that is not JSON', () => {
    expect(addTrustedPrincipal(doc([]), ' ')).toEqual({ error: 'choose a user or role to trust' });
    expect(addTrustedPrincipal(doc([{ Effect: 'Allow', Principal: { AWS: [ALICE] }, Action: ['sts:AssumeRole'] }]), ALICE)).toEqual({ error: `${ALICE} is already trusted` });
    expect(addTrustedPrincipal('{ "Version": ', ALICE)).toMatchObject({ error: expect.stringMatching(/not valid JSON/) });
    expect(addTrustedPrincipal('[]', ALICE)).toMatchObject({ error: expect.stringMatching(/JSON object/) });
  });
});
