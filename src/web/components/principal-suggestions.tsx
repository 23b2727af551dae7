/**
 * Suggestions for principal ARN fields: the account's users and roles (first 100 of each) as a
 * <datalist>. A caller who may not list them simply gets no suggestions; the field still works.
 */
import { graphql } from '../api/generated/gql.ts';
import { useQuery } from '../api/use-query.ts';

const PRINCIPALS = graphql(`
  query PrincipalSuggestions {
    users(first: 100) {
      edges {
        node {
          arn
        }
      }
    }
    roles(first: 100) {
      edges {
        node {
          arn
        }
      }
    }
  }
`);

/** Renders the datalist; point inputs at it with `list={id}`. */
export function PrincipalSuggestions(props: { id: string }) {
  const result = useQuery(PRINCIPALS, {});
  // Either list may be refused on its own; the other still suggests.
  const arns = [...(result.data?.users?.edges ?? []), ...(result.data?.roles?.edges ?? [])].map((e) => e.node.arn);
  return (
    <datalist id={props.id}>
      {arns.map((arn) => (
        <option key={arn} value={arn} />
      ))}
    </datalist>
  );
}
