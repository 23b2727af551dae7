/**
 * A user's or role's tags, editable in place: remove one (UntagUser / UntagRole), or add or
 * overwrite some (TagUser / TagRole, `key=value, …`). Decisions see them as
 * `aws:PrincipalTag/<key>` (and `iam:ResourceTag/<key>` when the principal is the resource).
 */
import { graphql } from '../api/generated/gql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import type { Tag } from './tags.tsx';
import { TagsEditor } from './tags-editor.tsx';

const TAG_USER = graphql(`
  mutation TagUserInPlace($name: String!, $tags: [TagInput!]!) {
    result: tagUser(input: { userName: $name, tags: $tags }) {
      __typename
      ... on TagUserSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const UNTAG_USER = graphql(`
  mutation UntagUserInPlace($name: String!, $tagKeys: [String!]!) {
    result: untagUser(input: { userName: $name, tagKeys: $tagKeys }) {
      __typename
      ... on UntagUserSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const TAG_ROLE = graphql(`
  mutation TagRoleInPlace($name: String!, $tags: [TagInput!]!) {
    result: tagRole(input: { roleName: $name, tags: $tags }) {
      __typename
      ... on TagRoleSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const UNTAG_ROLE = graphql(`
  mutation UntagRoleInPlace($name: String!, $tagKeys: [String!]!) {
    result: untagRole(input: { roleName: $name, tagKeys: $tagKeys }) {
      __typename
      ... on UntagRoleSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The tags list with remove buttons and the add form. */
export function PrincipalTags(props: { kind: 'user' | 'role'; name: string; tags: readonly Tag[]; onChange: () => void }) {
  const tagUser = useResultMutation(TAG_USER, 'result', ['tags']);
  const tagRole = useResultMutation(TAG_ROLE, 'result', ['tags']);
  const untagUser = useResultMutation(UNTAG_USER, 'result', []);
  const untagRole = useResultMutation(UNTAG_ROLE, 'result', []);
  const tag = props.kind === 'user' ? tagUser : tagRole;
  const untag = props.kind === 'user' ? untagUser : untagRole;
  return (
    <TagsEditor
      tags={props.tags}
      listLabel={`Tags of ${props.name}`}
      tag={{ ...tag, submit: (tags) => tag.submit({ name: props.name, tags: [...tags] }) }}
      untag={{ ...untag, submit: (key) => untag.submit({ name: props.name, tagKeys: [key] }) }}
      onChange={() => props.onChange()}
    />
  );
}
