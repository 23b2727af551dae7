/**
 * A registered resource's tags, editable (TagResource, UntagResource through TagsEditor).
 * Decisions see them as `aws:ResourceTag/<key>`.
 */
import { graphql } from '../api/generated/gql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import type { Tag } from './tags.tsx';
import { TagsPanel } from './tags-editor.tsx';

const TAG_RESOURCE = graphql(`
  mutation TagResource($input: TagResourceInput!) {
    tagResource(input: $input) {
      __typename
      ... on TagResourceSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const UNTAG_RESOURCE = graphql(`
  mutation UntagResource($input: UntagResourceInput!) {
    untagResource(input: $input) {
      __typename
      ... on UntagResourceSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The tags panel of a registered resource's page. */
export function ResourceTags(props: { resourceArn: string; tags: readonly Tag[]; /** After a write, with the revision it committed. */ onChange: (revision: string) => void }) {
  const tag = useResultMutation(TAG_RESOURCE, 'tagResource', ['tags']);
  const untag = useResultMutation(UNTAG_RESOURCE, 'untagResource', []);
  return (
    <TagsPanel
      tags={props.tags}
      listLabel="Resource tags"
      tag={{ ...tag, submit: (tags) => tag.submit({ input: { resourceArn: props.resourceArn, tags: [...tags] } }) }}
      untag={{ ...untag, submit: (key) => untag.submit({ input: { resourceArn: props.resourceArn, tagKeys: [key] } }) }}
      onChange={props.onChange}
    />
  );
}
