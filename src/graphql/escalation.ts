/**
 * Escalation paths on the wire: `escalationPaths(principalArn)` (one user's or role's paths, each
 * with its steps) and `escalationSummary` (the account's principals that have one, paged, with a
 * count per technique). Resolvers only map answers out; src/authz/escalation analyses and
 * self-authorizes.
 */
import type { PrincipalEscalation, EscalationPath } from '../authz/escalation/analyze.ts';
import type { EscalationStep } from '../authz/escalation/moves.ts';
import type { EscalationTechnique } from '../authz/escalation/techniques.ts';
import { builder } from './builder.ts';
import { reverseConnection, reverseConnectionType, reversePageArgs, type ReverseEdge } from './reverse.ts';

const TECHNIQUES: Record<EscalationTechnique, string> = {
  CREATE_POLICY_VERSION: 'iam:CreatePolicyVersion on a customer managed policy that applies to the principal: a new default version may grant anything.',
  SET_DEFAULT_POLICY_VERSION: 'iam:SetDefaultPolicyVersion on a policy that applies to the principal, one of whose other versions grants more.',
  ATTACH_USER_POLICY: 'iam:AttachUserPolicy on itself, with a policy that grants more (such as AdministratorAccess).',
  ATTACH_GROUP_POLICY: 'iam:AttachGroupPolicy on a group it is in.',
  ATTACH_ROLE_POLICY: 'iam:AttachRolePolicy on itself (a role) or on a role it can assume.',
  PUT_USER_POLICY: 'iam:PutUserPolicy on itself: an inline policy may grant anything.',
  PUT_GROUP_POLICY: 'iam:PutGroupPolicy on a group it is in.',
  PUT_ROLE_POLICY: 'iam:PutRolePolicy on itself (a role) or on a role it can assume.',
  ADD_USER_TO_GROUP: 'iam:AddUserToGroup: joining a group whose policies grant more.',
  CREATE_ACCESS_KEY: 'iam:CreateAccessKey for a user whose permissions exceed its own.',
  CREATE_LOGIN_PROFILE: 'iam:CreateLoginProfile for a user without a console password whose permissions exceed its own.',
  UPDATE_LOGIN_PROFILE: "iam:UpdateLoginProfile: changing the console password of a user whose permissions exceed its own.",
  UPDATE_ASSUME_ROLE_POLICY: "iam:UpdateAssumeRolePolicy: rewriting a role's trust policy to trust itself, then sts:AssumeRole.",
  ASSUME_ROLE: 'sts:AssumeRole on a role whose permissions exceed its own.',
  PASS_ROLE_TO_COMPUTE: 'iam:PassRole to a compute service (EC2, Lambda, Glue, CloudFormation, Data Pipeline, SageMaker, CodeBuild) with the actions that run code as the role: decided here, carried out by that service.',
};

const EscalationTechniqueEnum = builder.enumType('EscalationTechnique', {
  description: "A privilege-escalation technique of the published catalogues (Rhino Security Labs' IAM methods, Bishop Fox's iam-vulnerable).",
  values: Object.fromEntries(Object.entries(TECHNIQUES).map(([name, description]) => [name, { description }])) as Record<EscalationTechnique, { description: string }>,
});

const EscalationPrincipalTypeEnum = builder.enumType('EscalationPrincipalType', {
  description: 'The kind of principal an escalation answer is about.',
  values: { USER: { description: 'An IAM user.' }, ROLE: { description: 'An IAM role (its sessions without session policies).' } } as const,
});

const EscalationStepRef = builder.objectRef<EscalationStep>('EscalationStep').implement({
  description: 'One request of an escalation path, as the principal would send it.',
  fields: (t) => ({
    action: t.exposeString('action', { description: '`service:Action`.' }),
    resourceArn: t.exposeString('resourceArn', { description: 'The resource the request names.' }),
    description: t.exposeString('description', { description: 'What the step does.' }),
  }),
});

const EscalationPathRef = builder.objectRef<EscalationPath>('EscalationPath').implement({
  description: 'A way for the principal to raise its own permissions: every step is allowed today, and the identity it ends with is allowed something the principal is not.',
  fields: (t) => ({
    technique: t.field({ type: EscalationTechniqueEnum, description: 'The technique of the step that raises (the last one).', resolve: (p) => p.technique }),
    targetArn: t.exposeString('targetArn', { description: 'The user or role whose permissions (possibly changed by the path) the principal ends up with.' }),
    computeService: t.string({ nullable: true, description: 'For PASS_ROLE_TO_COMPUTE: the compute combination, e.g. `ec2:RunInstances`.', resolve: (p) => p.computeService ?? null }),
    steps: t.field({ type: [EscalationStepRef], description: 'Every request of the path, in order.', resolve: (p) => [...p.steps] }),
  }),
});

/** Fields shared by one principal's answer and a summary entry. */
const PrincipalEscalationRef = builder.objectRef<PrincipalEscalation>('PrincipalEscalation').implement({
  description: "A principal's escalation paths.",
  fields: (t) => ({
    principalArn: t.exposeString('principalArn', { description: 'The user or role.' }),
    principalType: t.field({ type: EscalationPrincipalTypeEnum, description: 'User or role.', resolve: (e) => (e.principalType === 'Role' ? 'ROLE' : 'USER') }),
    paths: t.field({ type: [EscalationPathRef], description: 'Its paths, shortest first (at most 50).', resolve: (e) => [...e.paths] }),
    truncated: t.exposeBoolean('truncated', { description: 'Whether more paths exist than are listed.' }),
  }),
});

interface EscalationPathsAnswer {
  readonly revision: string;
  readonly escalation: PrincipalEscalation;
}

const EscalationPathsRef = builder.objectRef<EscalationPathsAnswer>('EscalationPaths').implement({
  description: "One principal's escalation paths and the revision they reflect.",
  fields: (t) => ({
    principal: t.field({ type: PrincipalEscalationRef, description: 'The principal and its paths.', resolve: (a) => a.escalation }),
    revision: t.exposeString('revision', { description: 'The change-log revision the answer reflects.' }),
  }),
});

const PrincipalEscalationEdgeRef = builder.objectRef<ReverseEdge<PrincipalEscalation>>('PrincipalEscalationEdge').implement({
  description: 'A principal that has at least one escalation path.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` to continue after this principal.' }),
    node: t.string({ description: 'The principal: a user or role ARN.', resolve: (e) => e.item.principalArn }),
    escalation: t.field({ type: PrincipalEscalationRef, description: 'The principal and its paths.', resolve: (e) => e.item }),
  }),
});

const PrincipalEscalationConnectionRef = reverseConnectionType('PrincipalEscalationConnection', PrincipalEscalationEdgeRef, 'principals with an escalation path', 'ARN');

interface TechniqueCount {
  readonly technique: EscalationTechnique;
  readonly principals: number;
}

const TechniqueCountRef = builder.objectRef<TechniqueCount>('EscalationTechniqueCount').implement({
  description: 'How many principals have a path ending with a technique.',
  fields: (t) => ({
    technique: t.field({ type: EscalationTechniqueEnum, description: 'The technique.', resolve: (c) => c.technique }),
    principals: t.exposeInt('principals', { description: 'Principals with at least one path ending with it.' }),
  }),
});

interface SummaryAnswer {
  readonly revision: string;
  readonly principalsAnalyzed: number;
  readonly items: readonly PrincipalEscalation[];
}

const EscalationSummaryRef = builder.objectRef<SummaryAnswer>('EscalationSummary').implement({
  description: "The account's escalation paths: who has one, and by which techniques.",
  fields: (t) => ({
    revision: t.exposeString('revision', { description: 'The change-log revision the answer reflects.' }),
    principalsAnalyzed: t.exposeInt('principalsAnalyzed', { description: 'Users and roles analysed (those on which the caller has iam:EscalationPaths).' }),
    principalsWithPaths: t.int({ description: 'How many of them have at least one path.', resolve: (s) => s.items.length }),
    techniques: t.field({
      type: [TechniqueCountRef],
      description: 'Per technique found, how many principals have a path ending with it; most first.',
      resolve: (s) => techniqueCounts(s.items),
    }),
    principals: t.field({
      type: PrincipalEscalationConnectionRef,
      description: 'The principals with a path, sorted by ARN.',
      args: reversePageArgs,
      resolve: (s, { first, after }) => reverseConnection(s, (e) => e.principalArn, { first, after }),
    }),
  }),
});

function techniqueCounts(items: readonly PrincipalEscalation[]): TechniqueCount[] {
  const counts = new Map<EscalationTechnique, number>();
  for (const item of items) for (const technique of new Set(item.paths.map((p) => p.technique))) counts.set(technique, (counts.get(technique) ?? 0) + 1);
  return [...counts].map(([technique, principals]) => ({ technique, principals })).sort((a, b) => b.principals - a.principals || (a.technique < b.technique ? -1 : 1));
}

builder.queryFields((t) => ({
  escalationPaths: t.field({
    type: EscalationPathsRef,
    description:
      'The ways a user or role of the caller\'s account can raise its own permissions through IAM and STS (and iam:PassRole to compute services), each with its steps. ' +
      'Denies, permissions boundaries, conditions and resource constraints are respected. Action `iam:EscalationPaths` on the principal ARN.',
    args: {
      principalArn: t.arg.string({ required: true, description: 'The user or role ARN.' }),
      minRevision: t.arg.string({ description: 'Answer only from state that reflects at least this revision (as returned by a write).' }),
    },
    resolve: (_root, { principalArn, minRevision }, context) => context.authz.runtime.escalation.pathsOf(context.authz.guard, principalArn, minRevision ?? null),
  }),
  escalationSummary: t.field({
    type: EscalationSummaryRef,
    description:
      "Every user and role of the caller's account that has an escalation path, with a count per technique. Action `iam:EscalationSummary` on the account " +
      '(`arn:aws:iam::<account>:root`); lists only principals on which the caller has `iam:EscalationPaths`.',
    args: { minRevision: t.arg.string({ description: 'Answer only from state that reflects at least this revision.' }) },
    resolve: (_root, { minRevision }, context) => context.authz.runtime.escalation.summary(context.authz.guard, minRevision ?? null),
  }),
}));
