/** Reading resource ARNs in the console: where a resource's page is, its service, and the first resource policy offered for it. */

/** Where a registered resource's page is. */
export function resourcePath(resourceArn: string): string {
  return `/resources/${encodeURIComponent(resourceArn)}`;
}

/** The service segment of an ARN (`arn:aws:s3:::b` → `s3`), once it is typed. */
export function serviceOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 4 && parts[0] === 'arn' && parts[2] !== '' ? parts[2] : undefined;
}

/** A first resource policy to edit: the account's own principals, every action of the resource's service. */
export function starterResourcePolicy(resourceArn: string, accountId: string): string {
  const service = serviceOfArn(resourceArn) ?? 'service';
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [{ Sid: 'AccountAccess', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: `${service}:*`, Resource: resourceArn || '*' }],
    },
    null,
    2,
  );
}
