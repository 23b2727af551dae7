/**
 * What stops a user from being deleted (AWS DeleteUser refuses while any remains): group
 * memberships, attached and inline policies, access keys, MFA devices and the console password.
 * `loadUserBlockers` lists them; `removeBlocker` removes one through the operation an
 * administrator would run by hand, so each removal is authorized and logged on its own.
 */
import { graphql } from './generated/gql.ts';
import type { TypedDocumentString } from './generated/graphql.ts';
import { ApiError, errorAt, request } from './graphql.ts';
import { isSuccess } from './results.ts';
import type { ResultError } from './results.ts';

const BLOCKERS = graphql(`
  query UserBlockers($userName: String!) {
    user(userName: $userName) {
      groups(first: 1000) {
        edges {
          node {
            groupName
          }
        }
      }
      attachedPolicies {
        policyArn
        policyName
      }
      inlinePolicies {
        policyName
      }
      accessKeys {
        accessKeyId
      }
      mfaDevices {
        serialNumber
      }
      loginProfile {
        createDate
      }
    }
  }
`);

const REMOVE_FROM_GROUP = graphql(`
  mutation BlockerRemoveFromGroup($input: RemoveUserFromGroupInput!) {
    result: removeUserFromGroup(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

const DETACH_POLICY = graphql(`
  mutation BlockerDetachPolicy($input: DetachUserPolicyInput!) {
    result: detachUserPolicy(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

const DELETE_INLINE = graphql(`
  mutation BlockerDeleteInlinePolicy($input: DeleteUserPolicyInput!) {
    result: deleteUserPolicy(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

const DELETE_KEY = graphql(`
  mutation BlockerDeleteAccessKey($input: DeleteAccessKeyInput!) {
    result: deleteAccessKey(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

const DEACTIVATE_MFA = graphql(`
  mutation BlockerDeactivateMfa($input: DeactivateMFADeviceInput!) {
    result: deactivateMFADevice(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

const DELETE_MFA = graphql(`
  mutation BlockerDeleteMfa($input: DeleteVirtualMFADeviceInput!) {
    result: deleteVirtualMFADevice(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

const DELETE_PASSWORD = graphql(`
  mutation BlockerDeletePassword($input: DeleteLoginProfileInput!) {
    result: deleteLoginProfile(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

/** One thing that blocks deleting a user. */
export type Blocker =
  | { readonly kind: 'group'; readonly groupName: string }
  | { readonly kind: 'attached-policy'; readonly policyArn: string; readonly policyName: string }
  | { readonly kind: 'inline-policy'; readonly policyName: string }
  | { readonly kind: 'access-key'; readonly accessKeyId: string }
  | { readonly kind: 'mfa-device'; readonly serialNumber: string }
  | { readonly kind: 'login-profile' };

/** The blocker in words, as the confirmation lists it. */
export function describeBlocker(blocker: Blocker): string {
  switch (blocker.kind) {
    case 'group':
      return `Membership of group ${blocker.groupName}`;
    case 'attached-policy':
      return `Attached policy ${blocker.policyName}`;
    case 'inline-policy':
      return `Inline policy ${blocker.policyName}`;
    case 'access-key':
      return `Access key ${blocker.accessKeyId}`;
    case 'mfa-device':
      return `MFA device ${blocker.serialNumber}`;
    case 'login-profile':
      return 'Console password';
  }
}

/**
 * Everything that blocks deleting `userName`; throws the API's refusal when any part of it may not
 * be read (a delete that cannot see what it removes must not be offered).
 */
export async function loadUserBlockers(userName: string): Promise<readonly Blocker[]> {
  const answer = await request(BLOCKERS, { userName });
  const user = answer.data.user;
  if (user == null || answer.errors.length > 0) throw errorAt(answer.errors, 'user') ?? answer.errors[0] ?? new ApiError('NO_SUCH_ENTITY', `there is no user named “${userName}”`);
  return [
    ...(user.groups?.edges ?? []).map(({ node }): Blocker => ({ kind: 'group', groupName: node.groupName })),
    ...(user.attachedPolicies ?? []).map((a): Blocker => ({ kind: 'attached-policy', policyArn: a.policyArn, policyName: a.policyName })),
    ...(user.inlinePolicies ?? []).map((p): Blocker => ({ kind: 'inline-policy', policyName: p.policyName })),
    ...(user.accessKeys ?? []).map((k): Blocker => ({ kind: 'access-key', accessKeyId: k.accessKeyId })),
    ...(user.mfaDevices ?? []).map((d): Blocker => ({ kind: 'mfa-device', serialNumber: d.serialNumber })),
    ...(user.loginProfile == null ? [] : [{ kind: 'login-profile' } as const]),
  ];
}

/** The typed error of a failed step, or an ApiError when the request itself failed. */
export type StepFailure = ResultError | ApiError;

/** Runs one removal; resolves with undefined when done, or with what stopped it. */
async function runStep<TData extends { readonly result?: { readonly __typename: string } | null }, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  variables: TVariables,
): Promise<StepFailure | undefined> {
  const answer = await request(document, variables);
  const result = answer.data.result;
  if (result == null) return errorAt(answer.errors, 'result') ?? answer.errors[0] ?? new ApiError('CLIENT', 'the API answered no result');
  return isSuccess(result) ? undefined : (result as unknown as ResultError);
}

/** Removes one blocker of `userName`. */
export async function removeBlocker(userName: string, blocker: Blocker): Promise<StepFailure | undefined> {
  switch (blocker.kind) {
    case 'group':
      return runStep(REMOVE_FROM_GROUP, { input: { userName, groupName: blocker.groupName } });
    case 'attached-policy':
      return runStep(DETACH_POLICY, { input: { userName, policyArn: blocker.policyArn } });
    case 'inline-policy':
      return runStep(DELETE_INLINE, { input: { userName, policyName: blocker.policyName } });
    case 'access-key':
      return runStep(DELETE_KEY, { input: { userName, accessKeyId: blocker.accessKeyId } });
    case 'mfa-device': {
      const failed = await runStep(DEACTIVATE_MFA, { input: { userName, serialNumber: blocker.serialNumber } });
      return failed ?? runStep(DELETE_MFA, { input: { serialNumber: blocker.serialNumber } });
    }
    case 'login-profile':
      return runStep(DELETE_PASSWORD, { input: { userName } });
  }
}
