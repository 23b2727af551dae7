import type { Database } from '../db/client.ts';
import { createCredentialLoaders, type CredentialLoaders } from './credential-loaders.ts';
import { createOrganizationLoaders, type OrganizationLoaders } from './organization-loaders.ts';
import { createPolicyLoaders, type PolicyLoaders } from './policy-loaders.ts';
import { createPrincipalLoaders, type PrincipalLoaders } from './principal-loaders.ts';

/**
 * The per-request DataLoaders. Each batched lookup (users by id, policies by principal, …) adds
 * one property here and its construction in `createLoaders`, so a GraphQL operation asking N
 * questions costs a fixed number of SQL round trips.
 */
export interface Loaders {
  /** Users, groups and roles by id, a user's groups and a group's members (src/graphql/principal-loaders.ts). */
  readonly principals: PrincipalLoaders;
  /** Policy versions, usage counts, attached and inline policies of principals (src/graphql/policy-loaders.ts). */
  readonly policies: PolicyLoaders;
  /** Credential owners, access keys, MFA devices and OIDC providers (src/graphql/credential-loaders.ts). */
  readonly credentials: CredentialLoaders;
  /** The organization, its accounts and policies (src/graphql/organization-loaders.ts). */
  readonly organizations: OrganizationLoaders;
}

/**
 * Creates a fresh set of loaders for one request, each group on first use: most `authorize`
 * calls read no directory entity, and building every DataLoader up front cost about 2% of their CPU.
 */
export function createLoaders(database: Database): Loaders {
  let principals: PrincipalLoaders | undefined;
  let policies: PolicyLoaders | undefined;
  let credentials: CredentialLoaders | undefined;
  let organizations: OrganizationLoaders | undefined;
  return {
    get principals() {
      return (principals ??= createPrincipalLoaders(database));
    },
    get policies() {
      return (policies ??= createPolicyLoaders(database));
    },
    get credentials() {
      return (credentials ??= createCredentialLoaders(database));
    },
    get organizations() {
      return (organizations ??= createOrganizationLoaders(database));
    },
  };
}
