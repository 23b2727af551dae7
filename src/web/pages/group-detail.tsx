/** One group: facts, members (add, remove) and delete; policies are shown by PrincipalPolicies. */
import { graphql } from '../api/generated/gql.ts';
import { errorAt } from '../api/graphql.ts';
import { useQuery } from '../api/use-query.ts';
import { GroupMembers } from '../components/group-members.tsx';
import { DeleteEntity } from '../components/delete-entity.tsx';
import { Tabs } from '../components/tabs.tsx';
import { AccessAdvisor } from '../components/access-advisor.tsx';
import { Link } from '../components/link.tsx';
import { PRINCIPAL_KINDS } from '../api/principal-kinds.ts';
import { PrincipalPolicies } from '../components/principal-policies.tsx';
import { Empty, ErrorNotice, Loading } from '../components/notice.tsx';

const GROUP = graphql(`
  query Group($groupName: String!) {
    group(groupName: $groupName) {
      groupId
      groupName
      arn
      path
      createDate
      users(first: 100) {
        edges {
          node {
            userName
            arn
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

const DELETE_GROUP = graphql(`
  mutation DeleteGroup($input: DeleteGroupInput!) {
    deleteGroup(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

/** The group page. */
export function GroupDetailPage(props: { groupName: string }) {
  const result = useQuery(GROUP, { groupName: props.groupName });
  const group = result.data?.group;
  return (
    <>
      <p>
        <Link to="/groups">← Groups</Link>
      </p>
      <h1>Group {props.groupName}</h1>
      {result.loading && result.data === undefined ? <Loading what="group" /> : null}
      <ErrorNotice error={result.error ?? errorAt(result.errors, 'group')} />
      {result.data !== undefined && group === null && result.errors.length === 0 ? <Empty>There is no group named “{props.groupName}” in this account.</Empty> : null}
      {group == null ? null : (
        <Tabs
          label={`Group ${group.groupName}`}
          tabs={[
            {
              id: 'overview',
              label: 'Overview',
              render: () => (
        <>
          <section className="panel" aria-labelledby="group-facts">
            <h2 id="group-facts" style={{ marginTop: 0 }}>
              Summary
            </h2>
            <dl className="facts">
              <dt>ARN</dt>
              <dd className="mono">{group.arn}</dd>
              <dt>Group ID</dt>
              <dd className="mono">{group.groupId}</dd>
              <dt>Path</dt>
              <dd className="mono">{group.path}</dd>
              <dt>Created</dt>
              <dd>{new Date(group.createDate).toLocaleString()}</dd>
            </dl>
          </section>
          <section className="panel" aria-labelledby="group-members">
            <h2 id="group-members" style={{ marginTop: 0 }}>
              Members
            </h2>
            <ErrorNotice error={errorAt(result.errors, 'group', 'users')} />
            {group.users == null ? null : <GroupMembers groupName={group.groupName} members={group.users.edges.map((e) => e.node.userName)} onChange={result.reload} />}
            {group.users?.pageInfo.hasNextPage === true ? <p className="muted">Showing the first 100 members.</p> : null}
          </section>
          <PrincipalPolicies principal={PRINCIPAL_KINDS.group} name={group.groupName} />
          <DeleteEntity noun="group" name={group.groupName} mutation={DELETE_GROUP} field="deleteGroup" variables={{ input: { groupName: group.groupName } }} afterDelete="/groups" />
        </>
              ),
            },
            { id: 'access-advisor', label: 'Access advisor', render: () => <AccessAdvisor arn={group.arn} counts="members" /> },
          ]}
        />
      )}
    </>
  );
}
