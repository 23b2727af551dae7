/**
 * One role: facts, trust policy and tags (both editable in place), and delete (policies and the
 * boundary are managed by PrincipalPolicies), and a "What can" tab asking what the role may do.
 */
import { formatDuration } from '../components/labels.ts';
import { graphql } from '../api/generated/gql.ts';
import { errorAt } from '../api/graphql.ts';
import { useQuery } from '../api/use-query.ts';
import { DeleteEntity } from '../components/delete-entity.tsx';
import { Link } from '../components/link.tsx';
import { PRINCIPAL_KINDS } from '../api/principal-kinds.ts';
import { PrincipalPolicies } from '../components/principal-policies.tsx';
import { Empty, ErrorNotice, Loading } from '../components/notice.tsx';
import { PrincipalTags } from '../components/principal-tags.tsx';
import { TrustPolicy } from '../components/trust-policy.tsx';
import { Tabs } from '../components/tabs.tsx';
import { WhatCan } from '../components/what-can.tsx';
import { AccessAdvisor } from '../components/access-advisor.tsx';
import { GeneratePolicy } from '../components/generate-policy.tsx';
import { EscalationPaths } from '../components/escalation-paths.tsx';

const ROLE = graphql(`
  query Role($roleName: String!) {
    role(roleName: $roleName) {
      roleId
      roleName
      arn
      path
      description
      createDate
      maxSessionDuration
      assumeRolePolicyDocument
      lastUsedDate
      tags {
        key
        value
      }
    }
  }
`);

const DELETE_ROLE = graphql(`
  mutation DeleteRole($input: DeleteRoleInput!) {
    deleteRole(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

/** The role page. */
export function RoleDetailPage(props: { roleName: string }) {
  const result = useQuery(ROLE, { roleName: props.roleName });
  const role = result.data?.role;
  return (
    <>
      <p>
        <Link to="/roles">← Roles</Link>
      </p>
      <h1>Role {props.roleName}</h1>
      {result.loading && result.data === undefined ? <Loading what="role" /> : null}
      <ErrorNotice error={result.error ?? errorAt(result.errors, 'role')} />
      {result.data !== undefined && role === null && result.errors.length === 0 ? <Empty>There is no role named “{props.roleName}” in this account.</Empty> : null}
      {role == null ? null : (
        <Tabs
          label={`Role ${role.roleName}`}
          tabs={[
            {
              id: 'overview',
              label: 'Overview',
              render: () => (
                <>
                  <section className="panel" aria-labelledby="role-facts">
                    <h2 id="role-facts" style={{ marginTop: 0 }}>
                      Summary
                    </h2>
                    <dl className="facts">
                      <dt>ARN</dt>
                      <dd className="mono">{role.arn}</dd>
                      <dt>Role ID</dt>
                      <dd className="mono">{role.roleId}</dd>
                      <dt>Description</dt>
                      <dd>{role.description ?? <span className="muted">—</span>}</dd>
                      <dt>Maximum session</dt>
                      <dd>{formatDuration(role.maxSessionDuration)}</dd>
                      <dt>Created</dt>
                      <dd>{new Date(role.createDate).toLocaleString()}</dd>
                      <dt>Last used</dt>
                      <dd>{role.lastUsedDate == null ? 'never' : new Date(role.lastUsedDate).toLocaleString()}</dd>
                    </dl>
                  </section>
                  <TrustPolicy roleName={role.roleName} document={role.assumeRolePolicyDocument} onSaved={result.reload} />
                  <section className="panel" aria-labelledby="role-tags">
                    <h2 id="role-tags" style={{ marginTop: 0 }}>
                      Tags
                    </h2>
                    <ErrorNotice error={errorAt(result.errors, 'role', 'tags')} />
                    {role.tags == null ? null : <PrincipalTags kind="role" name={role.roleName} tags={role.tags} onChange={result.reload} />}
                  </section>
                  <PrincipalPolicies principal={PRINCIPAL_KINDS.role} name={role.roleName} />
                  <DeleteEntity noun="role" name={role.roleName} mutation={DELETE_ROLE} field="deleteRole" variables={{ input: { roleName: role.roleName } }} afterDelete="/roles" />
                </>
              ),
            },
            { id: 'what-can', label: 'What can', render: () => <WhatCan principalArn={role.arn} /> },
            { id: 'access-advisor', label: 'Access advisor', render: () => <AccessAdvisor arn={role.arn} counts="self" /> },
            { id: 'generate-policy', label: 'Generate policy', render: () => <GeneratePolicy principalArn={role.arn} /> },
            { id: 'escalation', label: 'Escalation', render: () => <EscalationPaths principalArn={role.arn} /> },
          ]}
        />
      )}
    </>
  );
}
