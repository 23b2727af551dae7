/**
 * The document of GetAccountAuthorizationDetails as the AWS CLI prints it (`aws iam
 * get-account-authorization-details`): policy documents as JSON objects, dates as ISO 8601 with
 * `+00:00`. The import reads this form and the API's raw one (documents as URL-encoded JSON text).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */

/** A JSON value as found in a document. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** AWS's EntityType: what `Filter` may ask for. */
export const AUTHORIZATION_ENTITY_TYPES = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
export type AuthorizationEntityType = (typeof AUTHORIZATION_ENTITY_TYPES)[number];

export interface PolicyDetail {
  PolicyName: string;
  PolicyDocument: Json;
}
export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}
export interface PermissionsBoundary {
  PermissionsBoundaryType: 'PermissionsBoundaryPolicy';
  PermissionsBoundaryArn: string;
}
export interface AwsTag {
  Key: string;
  Value: string;
}
export interface UserDetail {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: string;
  UserPolicyList?: PolicyDetail[];
  GroupList: string[];
  AttachedManagedPolicies: AttachedPolicy[];
  PermissionsBoundary?: PermissionsBoundary;
  Tags?: AwsTag[];
}
export interface GroupDetail {
  Path: string;
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate: string;
  GroupPolicyList: PolicyDetail[];
  AttachedManagedPolicies: AttachedPolicy[];
}
export interface RoleDetail {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: string;
  AssumeRolePolicyDocument: Json;
  InstanceProfileList: Json[];
  RolePolicyList: PolicyDetail[];
  AttachedManagedPolicies: AttachedPolicy[];
  PermissionsBoundary?: PermissionsBoundary;
  Tags?: AwsTag[];
  RoleLastUsed: { LastUsedDate?: string; Region?: string };
}
export interface PolicyVersionDetail {
  Document: Json;
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate: string;
}
export interface ManagedPolicyDetail {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
  IsAttachable: boolean;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
  PolicyVersionList: PolicyVersionDetail[];
}

/** One page of GetAccountAuthorizationDetails. */
export interface AuthorizationDetails {
  UserDetailList: UserDetail[];
  GroupDetailList: GroupDetail[];
  RoleDetailList: RoleDetail[];
  Policies: ManagedPolicyDetail[];
  IsTruncated: boolean;
  Marker?: string;
}

/** AWS's date form in CLI output: whole seconds, `+00:00`. */
export function awsDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** A stored policy text as the CLI shows it: the parsed JSON (the text itself if it does not parse). */
export function documentJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}
