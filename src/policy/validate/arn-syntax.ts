/**
 * Resource ARN syntax for Resource/NotResource: `*`, or
 * `arn:partition:service:region:account-id:resource` where any field may use `*`/`?` and,
 * under Version 2012-10-17, policy variables. Service-specific rules are not checked:
 * Portcullis accepts any ARN an application brings.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
import type { IssueCode } from './issue-codes.ts';

/** An ARN syntax problem: the issue code and the reason, for the finding message. */
export interface ArnSyntaxError {
  readonly code: IssueCode;
  readonly reason: string;
}

const PARTITION = /^[a-z*?][a-z0-9*?-]*$/;
const SERVICE_CHARS = /^[A-Za-z0-9_.*?-]+$/;
const REGION = /^[a-z0-9*?-]+$/;
/** Account field: 12 digits, "aws" (AWS-owned resources), or a wildcard pattern of digits. */
function validAccount(account: string): boolean {
  if (account === 'aws' || /^[0-9]{12}$/.test(account)) return true;
  return /[*?]/.test(account) && /^[0-9*?]+$/.test(account);
}

/** True when `field` contains a policy variable, whose value is only known at request time. */
function hasVariable(field: string): boolean {
  return field.includes('${');
}

/** The problem with `value` as a resource ARN pattern, or undefined when it is well formed. */
export function arnSyntaxError(value: string): ArnSyntaxError | undefined {
  if (value === '*') return undefined;
  if (!value.startsWith('arn:')) return { code: 'INVALID_ARN_PREFIX', reason: 'a resource must be "*" or an ARN starting with "arn:"' };
  const fields: string[] = [];
  let rest = value;
  for (let i = 0; i < 5; i++) {
    const colon = rest.indexOf(':');
    if (colon < 0) {
      return { code: 'MISSING_ARN_FIELD', reason: 'an ARN needs six fields: arn:partition:service:region:account-id:resource' };
    }
    fields.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  const [, partition = '', service = '', region = '', account = ''] = fields;
  if (partition === '') return { code: 'MISSING_ARN_FIELD', reason: 'the partition field is empty' };
  if (!hasVariable(partition) && !PARTITION.test(partition)) {
    return { code: 'INVALID_PARTITION', reason: `the partition ${JSON.stringify(partition)} is not valid (e.g. "aws")` };
  }
  if (service === '') return { code: 'MISSING_ARN_FIELD', reason: 'the service field is empty' };
  if (!hasVariable(service)) {
    if (/[A-Z]/.test(service)) return { code: 'INVALID_ARN_SERVICE_CASE', reason: `the service ${JSON.stringify(service)} must be lower case` };
    if (!SERVICE_CHARS.test(service)) return { code: 'INVALID_ARN_RESOURCE', reason: `the service ${JSON.stringify(service)} has characters other than a-z, 0-9, "-", "_", "."` };
  }
  if (region !== '' && !hasVariable(region) && !REGION.test(region)) {
    return { code: 'INVALID_ARN_REGION', reason: `the region ${JSON.stringify(region)} is not valid (e.g. "us-east-1")` };
  }
  if (account !== '' && !hasVariable(account) && !validAccount(account)) {
    return { code: 'INVALID_ARN_ACCOUNT', reason: `the account ${JSON.stringify(account)} must be empty, a 12-digit account id or "aws"` };
  }
  if (rest === '') return { code: 'INVALID_ARN_RESOURCE', reason: 'the resource part after the account field is empty' };
  return undefined;
}
