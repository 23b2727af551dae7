/**
 * The one reading of IAM user, role and group ARNs in the console
 * (`arn:<partition>:iam::<account>:user/<path><name>`, `…:role/…`, `…:group/…`): which account,
 * which kind, which name. Principal links and the explorer's "through group …" read ARNs here.
 */

const IAM_ARN = /^arn:[^:]+:iam::(\d{12}):(user|role|group)\/(?:.*\/)?([^/]+)$/;

/** An IAM user, role or group as its ARN names it. */
export interface IamEntityArn {
  readonly accountId: string;
  readonly kind: 'user' | 'role' | 'group';
  /** The name, without the path. */
  readonly name: string;
}

/** The account, kind and name of an IAM user, role or group ARN; undefined for any other ARN (root, sessions, policies). */
export function parseIamEntityArn(arn: string): IamEntityArn | undefined {
  const match = IAM_ARN.exec(arn);
  if (match === null) return undefined;
  return { accountId: match[1]!, kind: match[2] as IamEntityArn['kind'], name: match[3]! };
}
