/**
 * The tags of the selected root, OU or account (ListTagsForResource), editable through
 * TagResource and UntagResource. The organization's checks see them as `aws:ResourceTag/<key>`.
 */
import { useState } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import { errorAt } from '../../api/graphql.ts';
import { useQuery } from '../../api/use-query.ts';
import { useResultMutation } from '../../api/use-result-mutation.ts';
import { ErrorNotice } from '../notice.tsx';
import { TagsPanel } from '../tags-editor.tsx';

const NODE_TAGS = graphql(`
  query OrganizationNodeTags($resourceId: String!) {
    organizationResourceTags(resourceId: $resourceId) {
      key
      value
    }
  }
`);

const TAG = graphql(`
  mutation TagOrganizationResource($input: TagOrganizationResourceInput!) {
    tagOrganizationResource(input: $input) {
      __typename
      ... on TagOrganizationResourceSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const UNTAG = graphql(`
  mutation UntagOrganizationResource($input: UntagOrganizationResourceInput!) {
    untagOrganizationResource(input: $input) {
      __typename
      ... on UntagOrganizationResourceSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The tags panel of a root, OU or account of the organization. */
export function NodeTags(props: { resourceId: string }) {
  const [refreshKey, setRefreshKey] = useState(0);
  const tags = useQuery(NODE_TAGS, { resourceId: props.resourceId }, { refreshKey });
  const tag = useResultMutation(TAG, 'tagOrganizationResource', ['tags']);
  const untag = useResultMutation(UNTAG, 'untagOrganizationResource', []);
  const list = tags.data?.organizationResourceTags;
  if (list == null) {
    const error = tags.error ?? errorAt(tags.errors, 'organizationResourceTags');
    return error === undefined ? null : <ErrorNotice error={error} />;
  }
  return (
    <TagsPanel
      tags={list}
      listLabel="Tags"
      level={3}
      tag={{ ...tag, submit: (added) => tag.submit({ input: { resourceId: props.resourceId, tags: [...added] } }) }}
      untag={{ ...untag, submit: (key) => untag.submit({ input: { resourceId: props.resourceId, tagKeys: [key] } }) }}
      onChange={() => setRefreshKey((k) => k + 1)}
    />
  );
}
