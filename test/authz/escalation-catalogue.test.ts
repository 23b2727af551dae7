/**
 * The escalation analysis against the published catalogues of IAM privilege-escalation
 * techniques (Rhino Security Labs' 21 methods, Bishop Fox's iam-vulnerable): for each technique a
 * fixture in which an otherwise harmless principal holds exactly the permissions the technique
 * needs, which must be found with its steps, and a look-alike that a Deny, a permissions boundary,
 * a resource constraint, a condition or a guardrail (SCP) defeats, which must not. Engine-level:
 * every policy is compiled and every step decided by the real engine; no database.
 */
import { describe, expect, it } from 'vitest';
import { EscalationAnalysis, type EscalationPath } from '../../src/authz/escalation/analyze.ts';
import { COMPUTE_PASS_ROLES } from '../../src/authz/escalation/techniques.ts';
import { ACCOUNT, ADMIN_POLICY_ARN, ALLOW_ALL, arn, buildDirectory, type DirectorySpec, type Statements } from './support/escalation-directory.ts';

const NOW = new Date('2026-01-01T00:00:00Z');
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const COMPUTE_SERVICES = [...new Set(COMPUTE_PASS_ROLES.map((c) => c.servicePrincipal))];
const READ_BUCKET = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' };

interface AttackerSpec {
  /** Extra statements in the attacker's own inline policy. */
  readonly allow?: Statements;
  /** Statements of the customer managed policy attached to the attacker (its default version). */
  readonly managedPolicy?: Statements;
  readonly boundary?: Statements;
  readonly guardrails?: readonly Statements[];
  /** Make the attacker a role (AppRole) instead of a user. */
  readonly asRole?: boolean;
}

/**
 * The account every fixture shares: administrators to become (a user with and one without a
 * console password, a group, roles trusting the account, one user, and the compute services),
 * and an attacker that may read one bucket plus what the fixture grants.
 */
function world(a: AttackerSpec): DirectorySpec {
  const attackerPolicies: Statements[] = [[READ_BUCKET, ...list(a.allow)]];
  return {
    managed: [
      // v1 is an old, powerful version; v2 (default) is harmless.
      { name: 'attacker-policy', versions: [[ALLOW_ALL], a.managedPolicy ?? [READ_BUCKET]], defaultVersion: 2 },
      { name: 'reader', versions: [[READ_BUCKET]] },
    ],
    groups: [
      { name: 'devs', inline: [[READ_BUCKET]] },
      { name: 'admins', managed: [ADMIN_POLICY_ARN] },
      { name: 'readers', managed: ['reader'] },
    ],
    users: [
      ...(a.asRole
        ? []
        : [{ name: 'attacker', inline: attackerPolicies, managed: ['attacker-policy'], groups: ['devs'], ...(a.boundary === undefined ? {} : { boundary: a.boundary }), hasPassword: true }]),
      { name: 'alice-admin', managed: [ADMIN_POLICY_ARN], hasPassword: false },
      { name: 'bob-admin', managed: [ADMIN_POLICY_ARN], hasPassword: true },
      { name: 'carol', inline: [[READ_BUCKET]], hasPassword: true },
    ],
    roles: [
      { name: 'AdminRole', trust: { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' }, managed: [ADMIN_POLICY_ARN] },
      { name: 'ReadOnlyRole', trust: { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' }, inline: [[READ_BUCKET]] },
      { name: 'CarolOnlyAdmin', trust: { Effect: 'Allow', Principal: { AWS: arn('user', 'carol') }, Action: 'sts:AssumeRole' }, managed: [ADMIN_POLICY_ARN] },
      { name: 'ServiceAdmin', trust: { Effect: 'Allow', Principal: { Service: COMPUTE_SERVICES }, Action: 'sts:AssumeRole' }, managed: [ADMIN_POLICY_ARN] },
      ...(a.asRole
        ? [
            {
              name: 'AppRole',
              trust: { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
              inline: attackerPolicies,
              ...(a.boundary === undefined ? {} : { boundary: a.boundary }),
            },
          ]
        : []),
    ],
    ...(a.guardrails === undefined ? {} : { guardrails: a.guardrails }),
  };
}

function list(s: Statements | undefined): Array<Record<string, unknown>> {
  return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

function pathsOf(a: AttackerSpec): readonly EscalationPath[] {
  const analysis = new EscalationAnalysis(buildDirectory(world(a)), NOW);
  return analysis.pathsOf(a.asRole ? arn('role', 'AppRole') : arn('user', 'attacker'))!.paths;
}

const ATTACKER = arn('user', 'attacker');
const APP_ROLE = arn('role', 'AppRole');
const OWN_POLICY = arn('policy', 'attacker-policy');
const deny = (action: string, resource = '*') => ({ Effect: 'Deny', Action: action, Resource: resource });
const allow = (action: string | string[], resource: string | string[] = '*', condition?: Record<string, unknown>) => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...(condition === undefined ? {} : { Condition: condition }),
});
const NOT_ME = { StringEquals: { 'aws:username': 'somebody-else' } };
/** A boundary that leaves the attacker only its bucket and reading IAM. */
const NARROW_BOUNDARY = [READ_BUCKET, allow(['iam:Get*', 'iam:List*'])];
/** An SCP pair as AWS Organizations applies them: FullAWSAccess plus a deny list. */
const scpDenying = (action: string) => [[ALLOW_ALL], [deny(action)]];

/** A technique's fixture and its look-alike. */
interface Case {
  readonly technique: EscalationPath['technique'];
  readonly found: AttackerSpec;
  /** Expected target and the actions of the steps, in order. */
  readonly target: string;
  readonly steps: readonly string[];
  readonly lookAlike: AttackerSpec;
  /** What defeats it in the look-alike. */
  readonly defeatedBy: 'deny' | 'boundary' | 'resource constraint' | 'condition' | 'guardrail' | 'no gain';
  readonly computeService?: string;
}

const CASES: readonly Case[] = [
  {
    technique: 'CREATE_POLICY_VERSION',
    found: { allow: allow('iam:CreatePolicyVersion', OWN_POLICY) },
    target: ATTACKER,
    steps: ['iam:CreatePolicyVersion'],
    lookAlike: { allow: allow('iam:CreatePolicyVersion', arn('policy', 'reader')) },
    defeatedBy: 'resource constraint',
  },
  {
    technique: 'SET_DEFAULT_POLICY_VERSION',
    found: { allow: allow('iam:SetDefaultPolicyVersion', OWN_POLICY) },
    target: ATTACKER,
    steps: ['iam:SetDefaultPolicyVersion'],
    lookAlike: { allow: [allow('iam:SetDefaultPolicyVersion', OWN_POLICY), deny('iam:SetDefaultPolicyVersion', OWN_POLICY)] },
    defeatedBy: 'deny',
  },
  {
    technique: 'ATTACH_USER_POLICY',
    found: { allow: allow('iam:AttachUserPolicy', ATTACKER) },
    target: ATTACKER,
    steps: ['iam:AttachUserPolicy'],
    lookAlike: { allow: allow('iam:AttachUserPolicy', ATTACKER, { ArnEquals: { 'iam:PolicyARN': arn('policy', 'reader') } }) },
    defeatedBy: 'condition',
  },
  {
    technique: 'ATTACH_GROUP_POLICY',
    found: { allow: allow('iam:AttachGroupPolicy', arn('group', 'devs')) },
    target: ATTACKER,
    steps: ['iam:AttachGroupPolicy'],
    lookAlike: { allow: allow('iam:AttachGroupPolicy', arn('group', 'devs')), boundary: NARROW_BOUNDARY },
    defeatedBy: 'boundary',
  },
  {
    technique: 'ATTACH_ROLE_POLICY',
    found: { allow: [allow('sts:AssumeRole', arn('role', 'ReadOnlyRole')), allow('iam:AttachRolePolicy', arn('role', 'ReadOnlyRole'))] },
    target: arn('role', 'ReadOnlyRole'),
    steps: ['iam:AttachRolePolicy', 'sts:AssumeRole'],
    lookAlike: { allow: [allow('sts:AssumeRole', arn('role', 'ReadOnlyRole')), allow('iam:AttachRolePolicy', arn('role', 'SomeOtherRole'))] },
    defeatedBy: 'resource constraint',
  },
  {
    technique: 'PUT_USER_POLICY',
    found: { allow: allow('iam:PutUserPolicy', ATTACKER) },
    target: ATTACKER,
    steps: ['iam:PutUserPolicy'],
    lookAlike: { allow: allow('iam:PutUserPolicy', ATTACKER), guardrails: scpDenying('iam:PutUserPolicy') },
    defeatedBy: 'guardrail',
  },
  {
    technique: 'PUT_GROUP_POLICY',
    found: { allow: allow('iam:PutGroupPolicy', arn('group', 'devs')) },
    target: ATTACKER,
    steps: ['iam:PutGroupPolicy'],
    lookAlike: { allow: allow('iam:PutGroupPolicy', arn('group', 'devs'), NOT_ME) },
    defeatedBy: 'condition',
  },
  {
    technique: 'PUT_ROLE_POLICY',
    found: { asRole: true, allow: allow('iam:PutRolePolicy', APP_ROLE) },
    target: APP_ROLE,
    steps: ['iam:PutRolePolicy'],
    lookAlike: { asRole: true, allow: allow('iam:PutRolePolicy', APP_ROLE), boundary: NARROW_BOUNDARY },
    defeatedBy: 'boundary',
  },
  {
    technique: 'ADD_USER_TO_GROUP',
    found: { allow: allow('iam:AddUserToGroup', arn('group', 'admins')) },
    target: ATTACKER,
    steps: ['iam:AddUserToGroup'],
    lookAlike: { allow: allow('iam:AddUserToGroup', arn('group', 'readers')) },
    defeatedBy: 'resource constraint',
  },
  {
    technique: 'CREATE_ACCESS_KEY',
    found: { allow: allow('iam:CreateAccessKey', arn('user', '*')) },
    target: arn('user', 'alice-admin'),
    steps: ['iam:CreateAccessKey'],
    lookAlike: { allow: allow('iam:CreateAccessKey', arn('user', '${aws:username}')) },
    defeatedBy: 'resource constraint',
  },
  {
    technique: 'CREATE_LOGIN_PROFILE',
    found: { allow: allow('iam:CreateLoginProfile', arn('user', 'alice-admin')) },
    target: arn('user', 'alice-admin'),
    steps: ['iam:CreateLoginProfile'],
    lookAlike: { allow: [allow('iam:CreateLoginProfile', arn('user', '*')), deny('iam:CreateLoginProfile', arn('user', '*-admin'))] },
    defeatedBy: 'deny',
  },
  {
    technique: 'UPDATE_LOGIN_PROFILE',
    found: { allow: allow('iam:UpdateLoginProfile', arn('user', 'bob-admin')) },
    target: arn('user', 'bob-admin'),
    steps: ['iam:UpdateLoginProfile'],
    lookAlike: { allow: allow('iam:UpdateLoginProfile', arn('user', 'bob-admin')), guardrails: scpDenying('iam:UpdateLoginProfile') },
    defeatedBy: 'guardrail',
  },
  {
    technique: 'UPDATE_ASSUME_ROLE_POLICY',
    found: { allow: allow('iam:UpdateAssumeRolePolicy', arn('role', 'CarolOnlyAdmin')) },
    target: arn('role', 'CarolOnlyAdmin'),
    steps: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'],
    lookAlike: { allow: [allow('iam:UpdateAssumeRolePolicy', arn('role', 'CarolOnlyAdmin')), deny('sts:AssumeRole')] },
    defeatedBy: 'deny',
  },
  {
    technique: 'ASSUME_ROLE',
    found: { allow: allow('sts:AssumeRole', arn('role', 'AdminRole')) },
    target: arn('role', 'AdminRole'),
    steps: ['sts:AssumeRole'],
    lookAlike: { allow: allow('sts:AssumeRole', arn('role', 'ReadOnlyRole')) },
    defeatedBy: 'no gain',
  },
  ...COMPUTE_PASS_ROLES.map(
    (combo): Case => ({
      technique: 'PASS_ROLE_TO_COMPUTE',
      computeService: combo.name,
      found: { allow: [allow('iam:PassRole', arn('role', 'ServiceAdmin')), allow(combo.actions.map((a) => a.action))] },
      target: arn('role', 'ServiceAdmin'),
      steps: ['iam:PassRole', ...combo.actions.map((a) => a.action)],
      lookAlike: {
        allow: [allow('iam:PassRole', arn('role', 'ServiceAdmin'), { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }), allow(combo.actions.map((a) => a.action))],
      },
      defeatedBy: 'condition',
    }),
  ),
];

describe('escalation paths: one fixture per catalogued technique, and its look-alike', () => {
  it('the attacker alone (reads one bucket) has no path', () => {
    expect(pathsOf({})).toEqual([]);
  });

  for (const c of CASES) {
    const name = c.computeService === undefined ? c.technique : `${c.technique} (${c.computeService})`;
    it(`${name} is found with its steps`, () => {
      const paths = pathsOf(c.found).filter((p) => p.technique === c.technique && (c.computeService === undefined || p.computeService === c.computeService));
      const match = paths.find((p) => p.targetArn === c.target && p.steps.map((s) => s.action).join(' ') === c.steps.join(' '));
      expect(match, JSON.stringify(pathsOf(c.found), null, 1)).toBeDefined();
      for (const step of match!.steps) expect(step.description.length).toBeGreaterThan(0);
    });
    it(`${name} is not found when a ${c.defeatedBy} defeats it`, () => {
      const paths = pathsOf(c.lookAlike);
      expect(paths, JSON.stringify(paths, null, 1)).toEqual([]);
    });
  }
});

describe('escalation paths: composition and limits', () => {
  it('goes through a role it can assume to a technique that role holds (two hops)', () => {
    const spec = world({ allow: allow('sts:AssumeRole', arn('role', 'ReadOnlyRole')) });
    const readOnly = spec.roles!.find((r) => r.name === 'ReadOnlyRole')!;
    const withPut = { ...readOnly, inline: [[READ_BUCKET, allow('iam:PutRolePolicy', arn('role', 'ReadOnlyRole'))]] };
    const directory = buildDirectory({ ...spec, roles: spec.roles!.map((r) => (r.name === 'ReadOnlyRole' ? withPut : r)) });
    const paths = new EscalationAnalysis(directory, NOW).pathsOf(ATTACKER)!.paths;
    const through = paths.find((p) => p.technique === 'PUT_ROLE_POLICY' && p.targetArn === arn('role', 'ReadOnlyRole'));
    expect(through?.steps.map((s) => s.action)).toEqual(['sts:AssumeRole', 'iam:PutRolePolicy']);
  });

  it('an administrator has no path (nothing to gain), and a guardrail allowing nothing defeats every path', () => {
    const admin = new EscalationAnalysis(buildDirectory(world({ allow: ALLOW_ALL })), NOW).pathsOf(ATTACKER)!;
    expect(admin.paths).toEqual([]);
    expect(pathsOf({ allow: allow('iam:PutUserPolicy', ATTACKER), guardrails: [[READ_BUCKET]] })).toEqual([]);
  });

  it('a guardrail that allows the step keeps the path', () => {
    const paths = pathsOf({ allow: allow('iam:PutUserPolicy', ATTACKER), guardrails: [[ALLOW_ALL]] });
    expect(paths.map((p) => p.technique)).toEqual(['PUT_USER_POLICY']);
  });

  it('keeps at most maxPaths paths and says it truncated', () => {
    const spec = world({ allow: allow('iam:CreateAccessKey', arn('user', '*')) });
    const all = new EscalationAnalysis(buildDirectory(spec), NOW).pathsOf(ATTACKER)!;
    expect(all.paths.length).toBeGreaterThan(1);
    expect(all.truncated).toBe(false);
    const one = new EscalationAnalysis(buildDirectory(spec), NOW, { maxPaths: 1 }).pathsOf(ATTACKER)!;
    expect(one.paths).toEqual(all.paths.slice(0, 1));
    expect(one.truncated).toBe(true);
  });
});
