/**
 * A role's trust policy as it reads back (src/iam/trust-principals.ts): the users and roles it
 * names are looked up by the unique ids saved with it, through the request's batched loaders, so
 * a page of roles costs one statement per table, not one per principal.
 */
import { accountOfArn } from '../authz/principal-ref.ts';
import type { Role } from '../iam/roles.ts';
import { renderPrincipalIds } from '../iam/trust-principals.ts';
import type { GraphQLContext } from './context.ts';

/** The trust policy text with each named user or role shown by its current ARN, or its unique id once gone. */
export async function renderedTrustPolicy(context: GraphQLContext, role: Pick<Role, 'trustPolicy' | 'trustPrincipalIds'>): Promise<string> {
  const ids = Object.entries(role.trustPrincipalIds);
  if (ids.length === 0) return role.trustPolicy;
  const { userById, roleById } = context.loaders.principals;
  const current = new Map<string, string>();
  await Promise.all(
    ids.map(async ([arn, id]) => {
      const key = { accountId: accountOfArn(arn) ?? '', id };
      const found = arn.includes(':role/') ? await roleById.load(key) : await userById.load(key);
      if (found !== null) current.set(id, found.arn);
    }),
  );
  return renderPrincipalIds(role.trustPolicy, role.trustPrincipalIds, (_arn, id) => current.get(id));
}
