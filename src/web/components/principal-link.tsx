/**
 * A link to the console page of an IAM principal or group named by its ARN
 * (`arn:aws:iam::<account>:user/<path><name>`, `…:role/…`, `…:group/…`); the root user and
 * other accounts' principals have no page here and show as their ARN.
 */
import { parseIamEntityArn } from '../api/iam-arn.ts';
import { groupPath } from '../pages/groups.tsx';
import { rolePath } from '../pages/roles.tsx';
import { userPath } from '../pages/users.tsx';
import { Link } from './link.tsx';

/** The kind, name and console page of an IAM user, role or group ARN of `accountId`. */
export function iamEntityOfArn(arn: string, accountId: string | undefined): { kind: 'User' | 'Role' | 'Group'; name: string; path: string } | undefined {
  const entity = parseIamEntityArn(arn);
  if (entity === undefined || (accountId !== undefined && entity.accountId !== accountId)) return undefined;
  const name = entity.name;
  switch (entity.kind) {
    case 'user':
      return { kind: 'User', name, path: userPath(name) };
    case 'role':
      return { kind: 'Role', name, path: rolePath(name) };
    default:
      return { kind: 'Group', name, path: groupPath(name) };
  }
}

/** "User alice" linking to alice's page, or the ARN as text when it has no page here. */
export function PrincipalLink(props: { arn: string; accountId: string | undefined }) {
  const entity = iamEntityOfArn(props.arn, props.accountId);
  if (entity === undefined) return <span className="mono">{props.arn}</span>;
  return (
    <>
      {entity.kind}{' '}
      <Link to={entity.path}>
        <span title={props.arn}>{entity.name}</span>
      </Link>
    </>
  );
}
