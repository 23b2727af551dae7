/**
 * The three principal kinds that hold policies (user, group, role) and the operations the console
 * runs on each one's policies. Each kind has its own documents (the API names fields per kind);
 * they share one shape — the principal under `principal:`, results under `result:`, the name in
 * `$name` — so one component serves all three.
 */
import { graphql } from './generated/gql.ts';
import type {
  AttachGroupPolicyMutation,
  AttachRolePolicyMutation,
  AttachUserPolicyMutation,
  AttachUserPolicyMutationVariables,
  DeleteGroupPolicyMutation,
  DeleteRolePolicyMutation,
  DeleteUserPolicyMutation,
  DeleteUserPolicyMutationVariables,
  DetachGroupPolicyMutation,
  DetachRolePolicyMutation,
  DetachUserPolicyMutation,
  GroupPoliciesQuery,
  PutGroupPolicyMutation,
  PutRolePolicyMutation,
  PutUserPolicyMutation,
  PutUserPolicyMutationVariables,
  RolePoliciesQuery,
  TypedDocumentString,
  UserPoliciesQuery,
  UserPoliciesQueryVariables,
} from './generated/graphql.ts';

const USER_POLICIES = graphql(`
  query UserPolicies($name: String!) {
    principal: user(userName: $name) {
      attachedPolicies {
        policyName
        policyArn
      }
      inlinePolicies {
        policyName
        policyDocument
        updateDate
      }
      permissionsBoundary {
        arn
        policyName
      }
    }
  }
`);

const ATTACH_USER_POLICY = graphql(`
  mutation AttachUserPolicy($name: String!, $policyArn: String!) {
    result: attachUserPolicy(input: { userName: $name, policyArn: $policyArn }) {
      __typename
      ... on AttachUserPolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DETACH_USER_POLICY = graphql(`
  mutation DetachUserPolicy($name: String!, $policyArn: String!) {
    result: detachUserPolicy(input: { userName: $name, policyArn: $policyArn }) {
      __typename
      ... on DetachUserPolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const PUT_USER_POLICY = graphql(`
  mutation PutUserPolicy($name: String!, $policyName: String!, $policyDocument: String!) {
    result: putUserPolicy(input: { userName: $name, policyName: $policyName, policyDocument: $policyDocument }) {
      __typename
      ... on PutUserPolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_USER_POLICY = graphql(`
  mutation DeleteUserPolicy($name: String!, $policyName: String!) {
    result: deleteUserPolicy(input: { userName: $name, policyName: $policyName }) {
      __typename
      ... on DeleteUserPolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const GROUP_POLICIES = graphql(`
  query GroupPolicies($name: String!) {
    principal: group(groupName: $name) {
      attachedPolicies {
        policyName
        policyArn
      }
      inlinePolicies {
        policyName
        policyDocument
        updateDate
      }
    }
  }
`);

const ATTACH_GROUP_POLICY = graphql(`
  mutation AttachGroupPolicy($name: String!, $policyArn: String!) {
    result: attachGroupPolicy(input: { groupName: $name, policyArn: $policyArn }) {
      __typename
      ... on AttachGroupPolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DETACH_GROUP_POLICY = graphql(`
  mutation DetachGroupPolicy($name: String!, $policyArn: String!) {
    result: detachGroupPolicy(input: { groupName: $name, policyArn: $policyArn }) {
      __typename
      ... on DetachGroupPolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const PUT_GROUP_POLICY = graphql(`
  mutation PutGroupPolicy($name: String!, $policyName: String!, $policyDocument: String!) {
    result: putGroupPolicy(input: { groupName: $name, policyName: $policyName, policyDocument: $policyDocument }) {
      __typename
      ... on PutGroupPolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_GROUP_POLICY = graphql(`
  mutation DeleteGroupPolicy($name: String!, $policyName: String!) {
    result: deleteGroupPolicy(input: { groupName: $name, policyName: $policyName }) {
      __typename
      ... on DeleteGroupPolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const ROLE_POLICIES = graphql(`
  query RolePolicies($name: String!) {
    principal: role(roleName: $name) {
      attachedPolicies {
        policyName
        policyArn
      }
      inlinePolicies {
        policyName
        policyDocument
        updateDate
      }
      permissionsBoundary {
        arn
        policyName
      }
    }
  }
`);

const ATTACH_ROLE_POLICY = graphql(`
  mutation AttachRolePolicy($name: String!, $policyArn: String!) {
    result: attachRolePolicy(input: { roleName: $name, policyArn: $policyArn }) {
      __typename
      ... on AttachRolePolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DETACH_ROLE_POLICY = graphql(`
  mutation DetachRolePolicy($name: String!, $policyArn: String!) {
    result: detachRolePolicy(input: { roleName: $name, policyArn: $policyArn }) {
      __typename
      ... on DetachRolePolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const PUT_ROLE_POLICY = graphql(`
  mutation PutRolePolicy($name: String!, $policyName: String!, $policyDocument: String!) {
    result: putRolePolicy(input: { roleName: $name, policyName: $policyName, policyDocument: $policyDocument }) {
      __typename
      ... on PutRolePolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_ROLE_POLICY = graphql(`
  mutation DeleteRolePolicy($name: String!, $policyName: String!) {
    result: deleteRolePolicy(input: { roleName: $name, policyName: $policyName }) {
      __typename
      ... on DeleteRolePolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** Which principal, and the documents for its policies. */
export interface PrincipalKind {
  /** `user`, `group` or `role`. */
  readonly kind: 'user' | 'group' | 'role';
  /** `User`, `Group`, `Role`: the word in the API's names. */
  readonly word: 'User' | 'Group' | 'Role';
  readonly policies: TypedDocumentString<UserPoliciesQuery | GroupPoliciesQuery | RolePoliciesQuery, UserPoliciesQueryVariables>;
  readonly attach: TypedDocumentString<AttachUserPolicyMutation | AttachGroupPolicyMutation | AttachRolePolicyMutation, AttachUserPolicyMutationVariables>;
  readonly detach: TypedDocumentString<DetachUserPolicyMutation | DetachGroupPolicyMutation | DetachRolePolicyMutation, AttachUserPolicyMutationVariables>;
  readonly putInline: TypedDocumentString<PutUserPolicyMutation | PutGroupPolicyMutation | PutRolePolicyMutation, PutUserPolicyMutationVariables>;
  readonly deleteInline: TypedDocumentString<DeleteUserPolicyMutation | DeleteGroupPolicyMutation | DeleteRolePolicyMutation, DeleteUserPolicyMutationVariables>;
}

/** The three principal kinds. */
export const PRINCIPAL_KINDS = {
  user: {
    kind: 'user',
    word: 'User',
    policies: USER_POLICIES,
    attach: ATTACH_USER_POLICY,
    detach: DETACH_USER_POLICY,
    putInline: PUT_USER_POLICY,
    deleteInline: DELETE_USER_POLICY,
  },
  group: {
    kind: 'group',
    word: 'Group',
    policies: GROUP_POLICIES,
    attach: ATTACH_GROUP_POLICY,
    detach: DETACH_GROUP_POLICY,
    putInline: PUT_GROUP_POLICY,
    deleteInline: DELETE_GROUP_POLICY,
  },
  role: {
    kind: 'role',
    word: 'Role',
    policies: ROLE_POLICIES,
    attach: ATTACH_ROLE_POLICY,
    detach: DETACH_ROLE_POLICY,
    putInline: PUT_ROLE_POLICY,
    deleteInline: DELETE_ROLE_POLICY,
  },
} as const satisfies Record<string, PrincipalKind>;
