/**
 * The privilege-escalation techniques the analysis looks for, as the published catalogues name
 * them: Rhino Security Labs' "AWS IAM Privilege Escalation – Methods and Mitigation" (21 methods)
 * and Bishop Fox's iam-vulnerable (31 paths). Only what IAM and STS decide is analysed; a path
 * through a compute service (iam:PassRole to EC2, Lambda, …) is reported as such, since whether
 * code then runs with the role is that service's business, not Portcullis's.
 */

/** One technique, as the analysis reports it. */
export type EscalationTechnique =
  | 'CREATE_POLICY_VERSION'
  | 'SET_DEFAULT_POLICY_VERSION'
  | 'ATTACH_USER_POLICY'
  | 'ATTACH_GROUP_POLICY'
  | 'ATTACH_ROLE_POLICY'
  | 'PUT_USER_POLICY'
  | 'PUT_GROUP_POLICY'
  | 'PUT_ROLE_POLICY'
  | 'ADD_USER_TO_GROUP'
  | 'CREATE_ACCESS_KEY'
  | 'CREATE_LOGIN_PROFILE'
  | 'UPDATE_LOGIN_PROFILE'
  | 'UPDATE_ASSUME_ROLE_POLICY'
  | 'ASSUME_ROLE'
  | 'PASS_ROLE_TO_COMPUTE';

/** A compute service that runs code as a role passed to it: the actions a principal needs besides iam:PassRole. */
export interface ComputePassRole {
  /** A short name of the combination, e.g. `ec2:RunInstances`. */
  readonly name: string;
  /** The service principal the role's trust policy must admit (`iam:PassedToService`). */
  readonly servicePrincipal: string;
  /** The service actions, each on a representative resource of the principal's account (`{account}`). */
  readonly actions: ReadonlyArray<{ readonly action: string; readonly resource: string }>;
}

const REGION = 'us-east-1';

/**
 * The PassRole combinations of the catalogues (Rhino 3, 15, 16, 18, 20, 21; iam-vulnerable's
 * sagemaker, codebuild, glue-job and lambda-add-permission paths). Resources name one region,
 * the way a request would: a policy that allows the action only in another region defeats it.
 */
export const COMPUTE_PASS_ROLES: readonly ComputePassRole[] = [
  { name: 'ec2:RunInstances', servicePrincipal: 'ec2.amazonaws.com', actions: [{ action: 'ec2:RunInstances', resource: `arn:aws:ec2:${REGION}:{account}:instance/*` }] },
  {
    name: 'lambda:CreateFunction+InvokeFunction',
    servicePrincipal: 'lambda.amazonaws.com',
    actions: [
      { action: 'lambda:CreateFunction', resource: `arn:aws:lambda:${REGION}:{account}:function:*` },
      { action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:${REGION}:{account}:function:*` },
    ],
  },
  {
    name: 'lambda:CreateFunction+CreateEventSourceMapping',
    servicePrincipal: 'lambda.amazonaws.com',
    actions: [
      { action: 'lambda:CreateFunction', resource: `arn:aws:lambda:${REGION}:{account}:function:*` },
      { action: 'lambda:CreateEventSourceMapping', resource: '*' },
    ],
  },
  {
    name: 'lambda:CreateFunction+AddPermission',
    servicePrincipal: 'lambda.amazonaws.com',
    actions: [
      { action: 'lambda:CreateFunction', resource: `arn:aws:lambda:${REGION}:{account}:function:*` },
      { action: 'lambda:AddPermission', resource: `arn:aws:lambda:${REGION}:{account}:function:*` },
    ],
  },
  { name: 'glue:CreateDevEndpoint', servicePrincipal: 'glue.amazonaws.com', actions: [{ action: 'glue:CreateDevEndpoint', resource: `arn:aws:glue:${REGION}:{account}:devEndpoint/*` }] },
  {
    name: 'glue:CreateJob+StartJobRun',
    servicePrincipal: 'glue.amazonaws.com',
    actions: [
      { action: 'glue:CreateJob', resource: `arn:aws:glue:${REGION}:{account}:job/*` },
      { action: 'glue:StartJobRun', resource: `arn:aws:glue:${REGION}:{account}:job/*` },
    ],
  },
  { name: 'cloudformation:CreateStack', servicePrincipal: 'cloudformation.amazonaws.com', actions: [{ action: 'cloudformation:CreateStack', resource: `arn:aws:cloudformation:${REGION}:{account}:stack/*` }] },
  {
    name: 'datapipeline:CreatePipeline+PutPipelineDefinition',
    servicePrincipal: 'datapipeline.amazonaws.com',
    actions: [
      { action: 'datapipeline:CreatePipeline', resource: '*' },
      { action: 'datapipeline:PutPipelineDefinition', resource: '*' },
    ],
  },
  {
    name: 'sagemaker:CreateNotebookInstance+CreatePresignedNotebookInstanceUrl',
    servicePrincipal: 'sagemaker.amazonaws.com',
    actions: [
      { action: 'sagemaker:CreateNotebookInstance', resource: `arn:aws:sagemaker:${REGION}:{account}:notebook-instance/*` },
      { action: 'sagemaker:CreatePresignedNotebookInstanceUrl', resource: `arn:aws:sagemaker:${REGION}:{account}:notebook-instance/*` },
    ],
  },
  { name: 'sagemaker:CreateTrainingJob', servicePrincipal: 'sagemaker.amazonaws.com', actions: [{ action: 'sagemaker:CreateTrainingJob', resource: `arn:aws:sagemaker:${REGION}:{account}:training-job/*` }] },
  { name: 'sagemaker:CreateProcessingJob', servicePrincipal: 'sagemaker.amazonaws.com', actions: [{ action: 'sagemaker:CreateProcessingJob', resource: `arn:aws:sagemaker:${REGION}:{account}:processing-job/*` }] },
  {
    name: 'codebuild:CreateProject+StartBuild',
    servicePrincipal: 'codebuild.amazonaws.com',
    actions: [
      { action: 'codebuild:CreateProject', resource: `arn:aws:codebuild:${REGION}:{account}:project/*` },
      { action: 'codebuild:StartBuild', resource: `arn:aws:codebuild:${REGION}:{account}:project/*` },
    ],
  },
];

/** The service principals of the combinations, once each. */
export const COMPUTE_SERVICE_PRINCIPALS: readonly string[] = [...new Set(COMPUTE_PASS_ROLES.map((c) => c.servicePrincipal))];
