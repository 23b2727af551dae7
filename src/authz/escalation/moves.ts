/**
 * The escalation steps one identity (the actor) may take, each decided by the engine from the
 * actor's own policies, boundary and the guardrails, in the context the step's request would
 * carry (`iam:PolicyARN` for an attachment, `iam:PassedToService` for PassRole): a Deny, a
 * boundary, a guardrail, a resource constraint or a condition that refuses the step refuses the
 * move. A move either lets the actor act as another identity as it is (assume a role, take over a
 * user's credentials, pass a role to code it runs), or changes an identity's policies (its own,
 * its groups', a role it can assume). Whether a move raises anyone's permissions is gain.ts's
 * question; this file only says which moves are open.
 */
import { admitsAwsPrincipals, compilePolicy, namedAwsPrincipals, prepareEvaluation, type PreparedEvaluation } from '../../policy/index.ts';
import type { CompiledPolicy, GuardrailLevels, RequestContext } from '../../policy/types.ts';
import type { Change } from './gain.ts';
import type { DirectoryGroup, DirectoryPolicyVersion, DirectoryPrincipal, DirectoryRole, EscalationDirectory } from './directory.ts';
import { COMPUTE_PASS_ROLES, type ComputePassRole, type EscalationTechnique } from './techniques.ts';

/** One request of a path, as the principal would send it. */
export interface EscalationStep {
  /** `service:Action`. */
  readonly action: string;
  /** The resource the request names. */
  readonly resourceArn: string;
  /** What the step does, in a sentence. */
  readonly description: string;
}

/** A step (or short sequence) open to an actor. */
export interface Move {
  readonly technique: EscalationTechnique;
  readonly steps: readonly EscalationStep[];
  /** The identity whose permissions the actor ends up with. */
  readonly targetArn: string;
  /** How the target's policies change (`none`: the actor acts as the target as it is). */
  readonly change: Change;
  /** For PassRole paths: the compute combination (`ec2:RunInstances`, …). */
  readonly computeService?: string;
}

/** Attachable policies tried per attachment step: the most powerful ones come first. */
const ATTACH_CANDIDATES = 3;

/** What the moves of every actor share: the directory indexed, and the roles each kind of principal may reach. */
export class MoveFinder {
  private readonly groups = new Map<string, DirectoryGroup>();
  private readonly users: DirectoryPrincipal[];
  /** Roles whose trust policy can admit a user or role at all. */
  private readonly awsTrusting: DirectoryRole[];
  /** Roles whose trust policy lets each compute service assume them. */
  private readonly serviceRoles = new Map<string, DirectoryRole[]>();
  private readonly memo = new Map<string, LazyMoves>();
  private readonly trustNaming = new Map<string, CompiledPolicy | undefined>();
  /** Roles by each user or role ARN their trust policy names. */
  private readonly naming = new Map<string, DirectoryRole[]>();
  /** Roles whose trust policy names principals by pattern, `*` or NotPrincipal. */
  private readonly openTrust: DirectoryRole[] = [];

  constructor(
    private readonly directory: EscalationDirectory,
    private readonly now: Date,
  ) {
    for (const group of directory.groups) this.groups.set(group.arn, group);
    this.users = directory.principals.filter((p) => p.type === 'User');
    this.awsTrusting = directory.roles.filter((r) => r.trust !== undefined && admitsAwsPrincipals(r.trust));
    for (const role of this.awsTrusting) {
      const named = namedAwsPrincipals(role.trust!);
      if (named === 'any') this.openTrust.push(role);
      else for (const arn of named) push(this.naming, arn, role);
    }
    for (const combo of COMPUTE_PASS_ROLES) {
      if (this.serviceRoles.has(combo.servicePrincipal)) continue;
      this.serviceRoles.set(combo.servicePrincipal, directory.roles.filter((r) => this.serviceMayAssume(r, combo.servicePrincipal)));
    }
  }

  /**
   * The moves open to `actor`, cheapest first, found as they are read (a search that has all the
   * paths it keeps stops reading) and remembered: many principals reach the same roles.
   */
  movesOf(actor: DirectoryPrincipal): Iterable<Move> {
    let moves = this.memo.get(actor.arn);
    if (moves === undefined) {
      moves = new LazyMoves(new ActorMoves(this, actor).all());
      this.memo.set(actor.arn, moves);
    }
    return moves;
  }

  get accountId(): string {
    return this.directory.accountId;
  }
  get guardrails(): GuardrailLevels | undefined {
    return this.directory.guardrails;
  }
  get clock(): Date {
    return this.now;
  }
  group(arn: string): DirectoryGroup | undefined {
    return this.groups.get(arn);
  }
  get allGroups(): readonly DirectoryGroup[] {
    return this.directory.groups;
  }
  get allUsers(): readonly DirectoryPrincipal[] {
    return this.users;
  }
  get allRoles(): readonly DirectoryRole[] {
    return this.directory.roles;
  }
  get assumableCandidates(): readonly DirectoryRole[] {
    return this.awsTrusting;
  }
  /** Roles whose trust policy names `arn` itself, or any principal: the only ones it may assume without an identity grant. */
  rolesNaming(arn: string): readonly DirectoryRole[] {
    const named = this.naming.get(arn) ?? [];
    return this.openTrust.length === 0 ? named : [...this.openTrust, ...named];
  }
  rolesTrusting(servicePrincipal: string): readonly DirectoryRole[] {
    return this.serviceRoles.get(servicePrincipal) ?? [];
  }
  get attachable(): EscalationDirectory['attachable'] {
    return this.directory.attachable.slice(0, ATTACH_CANDIDATES);
  }
  versionsOf(policyArn: string): readonly DirectoryPolicyVersion[] | undefined {
    return this.directory.policyVersions.get(policyArn);
  }

  /** A trust policy that names `arn` alone, as an UpdateAssumeRolePolicy step would write it. */
  trustNamingOnly(arn: string): CompiledPolicy | undefined {
    if (!this.trustNaming.has(arn)) {
      const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: arn }, Action: 'sts:AssumeRole' }] });
      const result = compilePolicy(text, 'trust', { id: `escalation/trust-naming/${arn}`, name: 'RewrittenTrustPolicy' });
      this.trustNaming.set(arn, result.ok ? result.policy : undefined);
    }
    return this.trustNaming.get(arn);
  }

  /** Whether `service` may assume `role` (its trust policy names the service principal). */
  private serviceMayAssume(role: DirectoryRole, service: string): boolean {
    if (role.trust === undefined) return false;
    const prepared = prepareEvaluation(
      { principal: { type: 'AWSService', arn: service, accountId: this.directory.accountId, servicePrincipal: service }, action: 'sts:AssumeRole', context: {}, now: this.now },
      { identity: [] },
    );
    return prepared.decide({ resource: role.arn, resourceAccount: this.directory.accountId, policy: role.trust }).allowed;
  }
}

/** The moves of one actor, each request prepared once and decided on every resource it names. */
class ActorMoves {
  private readonly prepared = new Map<string, PreparedEvaluation>();
  private readonly moves: Move[] = [];

  constructor(
    private readonly finder: MoveFinder,
    private readonly actor: DirectoryPrincipal,
  ) {}

  /** Every move, one kind after another, from the cheapest to find to the most costly. */
  *all(): Generator<Move> {
    const kinds = [
      () => this.ownPolicies(),
      () => this.managedPolicies(),
      () => this.assumeRoles(),
      () => this.rewriteTrust(),
      () => this.joinGroups(),
      () => this.passRoles(),
    ];
    for (const kind of kinds) {
      kind();
      yield* this.moves.splice(0);
    }
    // The longest list (one move per user it may take over): yielded as found, so a search that
    // has all the paths it keeps does not decide the rest.
    yield* this.takeOverUsers();
  }

  /** Put or attach a policy on itself or on a group it is in. */
  private ownPolicies(): void {
    const a = this.actor;
    if (a.type === 'User') {
      this.writePolicy('PUT_USER_POLICY', 'iam:PutUserPolicy', 'ATTACH_USER_POLICY', 'iam:AttachUserPolicy', a.arn, a.arn, 'itself');
      for (const groupArn of a.groupArns) {
        this.writePolicy('PUT_GROUP_POLICY', 'iam:PutGroupPolicy', 'ATTACH_GROUP_POLICY', 'iam:AttachGroupPolicy', groupArn, a.arn, 'a group it is in');
      }
    } else {
      this.writePolicy('PUT_ROLE_POLICY', 'iam:PutRolePolicy', 'ATTACH_ROLE_POLICY', 'iam:AttachRolePolicy', a.arn, a.arn, 'itself');
    }
  }

  /**
   * An inline policy written on `resourceArn`, or a managed one attached to it, gives `targetArn`
   * (the actor, or a role it then assumes) new permissions; `after` are the steps that follow.
   */
  private writePolicy(
    put: EscalationTechnique,
    putAction: string,
    attach: EscalationTechnique,
    attachAction: string,
    resourceArn: string,
    targetArn: string,
    what: string,
    after: readonly EscalationStep[] = [],
  ): void {
    if (this.can(putAction, resourceArn)) {
      this.moves.push({
        technique: put,
        steps: [{ action: putAction, resourceArn, description: `write an inline policy granting any permission on ${what} (${resourceArn})` }, ...after],
        targetArn,
        change: { kind: 'any-policy' },
      });
    }
    for (const candidate of this.finder.attachable) {
      if (!this.can(attachAction, resourceArn, { 'iam:PolicyARN': arnValue(candidate.arn) })) continue;
      this.moves.push({
        technique: attach,
        steps: [{ action: attachAction, resourceArn, description: `attach ${candidate.arn} to ${what} (${resourceArn})` }, ...after],
        targetArn,
        change: { kind: 'add', key: candidate.arn, policies: [candidate.policy] },
      });
      break;
    }
  }

  /** A new default version of, or another version made default for, a customer managed policy it holds. */
  private managedPolicies(): void {
    const seen = new Set<string>();
    for (const policy of this.actor.identity) {
      const arn = policy.meta.arn;
      if (arn === undefined || seen.has(arn) || !arn.startsWith(`arn:aws:iam::${this.finder.accountId}:policy/`)) continue;
      seen.add(arn);
      if (this.can('iam:CreatePolicyVersion', arn)) {
        this.moves.push({
          technique: 'CREATE_POLICY_VERSION',
          steps: [{ action: 'iam:CreatePolicyVersion', resourceArn: arn, description: `create a new default version of ${arn}, which applies to it, granting any permission` }],
          targetArn: this.actor.arn,
          change: { kind: 'any-policy' },
        });
      }
      if (!this.can('iam:SetDefaultPolicyVersion', arn)) continue;
      for (const version of this.finder.versionsOf(arn) ?? []) {
        if (version.isDefault) continue;
        const compiled = version.policy();
        if (compiled === undefined) continue;
        this.moves.push({
          technique: 'SET_DEFAULT_POLICY_VERSION',
          steps: [{ action: 'iam:SetDefaultPolicyVersion', resourceArn: arn, description: `make version ${version.versionId} of ${arn}, which applies to it, the default` }],
          targetArn: this.actor.arn,
          change: { kind: 'add', key: `${arn}:${version.versionId}`, policies: [compiled] },
        });
      }
    }
  }

  /** Add itself to a group it is not in. */
  private joinGroups(): void {
    const a = this.actor;
    if (a.type !== 'User') return;
    const prepared = this.prepare('iam:AddUserToGroup');
    if (!prepared.identityMayAllow) return;
    const member = new Set(a.groupArns);
    for (const group of this.finder.allGroups) {
      if (member.has(group.arn) || group.identity.length === 0 || !this.decide(prepared, group.arn)) continue;
      this.moves.push({
        technique: 'ADD_USER_TO_GROUP',
        steps: [{ action: 'iam:AddUserToGroup', resourceArn: group.arn, description: `add itself to ${group.arn}` }],
        targetArn: a.arn,
        change: { kind: 'add', key: group.arn, policies: group.identity },
      });
    }
  }

  /** Assume a role whose trust policy and its own policies allow it; and write policies on such a role first. */
  private assumeRoles(): void {
    const prepared = this.prepare('sts:AssumeRole');
    // Without an identity grant, only a trust policy naming the actor itself (or anyone) can let it in.
    const candidates = prepared.identityMayAllow ? this.finder.assumableCandidates : this.finder.rolesNaming(this.actor.arn);
    for (const role of candidates) {
      if (role.arn === this.actor.arn) continue;
      if (!prepared.decide({ resource: role.arn, resourceAccount: this.finder.accountId, policy: role.trust }).allowed) continue;
      const assume: EscalationStep = { action: 'sts:AssumeRole', resourceArn: role.arn, description: `assume ${role.arn}` };
      this.moves.push({ technique: 'ASSUME_ROLE', steps: [assume], targetArn: role.arn, change: { kind: 'none' } });
      this.writePolicy('PUT_ROLE_POLICY', 'iam:PutRolePolicy', 'ATTACH_ROLE_POLICY', 'iam:AttachRolePolicy', role.arn, role.arn, 'a role it can assume', [assume]);
    }
  }

  /** Rewrite a role's trust policy to name itself, then assume the role. */
  private rewriteTrust(): void {
    const update = this.prepare('iam:UpdateAssumeRolePolicy');
    if (!update.identityMayAllow) return;
    const trust = this.finder.trustNamingOnly(this.actor.arn);
    if (trust === undefined) return;
    const assume = this.prepare('sts:AssumeRole');
    for (const role of this.finder.allRoles) {
      if (role.arn === this.actor.arn || !this.decide(update, role.arn)) continue;
      if (!assume.decide({ resource: role.arn, resourceAccount: this.finder.accountId, policy: trust }).allowed) continue;
      this.moves.push({
        technique: 'UPDATE_ASSUME_ROLE_POLICY',
        steps: [
          { action: 'iam:UpdateAssumeRolePolicy', resourceArn: role.arn, description: `rewrite the trust policy of ${role.arn} to trust ${this.actor.arn}` },
          { action: 'sts:AssumeRole', resourceArn: role.arn, description: `assume ${role.arn}` },
        ],
        targetArn: role.arn,
        change: { kind: 'none' },
      });
    }
  }

  /** Create an access key or a console password for another user, and sign in as that user. */
  private *takeOverUsers(): Generator<Move> {
    const ways: Array<[EscalationTechnique, string, string, (u: DirectoryPrincipal) => boolean]> = [
      ['CREATE_ACCESS_KEY', 'iam:CreateAccessKey', 'create an access key for', () => true],
      ['CREATE_LOGIN_PROFILE', 'iam:CreateLoginProfile', 'set a console password for', (u) => u.hasPassword !== true],
      ['UPDATE_LOGIN_PROFILE', 'iam:UpdateLoginProfile', 'change the console password of', (u) => u.hasPassword !== false],
    ];
    for (const [technique, action, verb, applies] of ways) {
      const prepared = this.prepare(action);
      if (!prepared.identityMayAllow) continue;
      for (const user of this.finder.allUsers) {
        if (user.arn === this.actor.arn || !applies(user) || !this.decide(prepared, user.arn)) continue;
        yield {
          technique,
          steps: [{ action, resourceArn: user.arn, description: `${verb} ${user.arn} and sign in as that user` }],
          targetArn: user.arn,
          change: { kind: 'none' },
        };
      }
    }
  }

  /** Pass a role to a compute service and run code as that role. */
  private passRoles(): void {
    for (const combo of COMPUTE_PASS_ROLES) {
      const roles = this.finder.rolesTrusting(combo.servicePrincipal);
      if (roles.length === 0) continue;
      const pass = this.prepare('iam:PassRole', { 'iam:PassedToService': stringValue(combo.servicePrincipal) });
      if (!pass.identityMayAllow || !this.computeAllowed(combo)) continue;
      for (const role of roles) {
        if (role.arn === this.actor.arn || !this.decide(pass, role.arn)) continue;
        this.moves.push({
          technique: 'PASS_ROLE_TO_COMPUTE',
          computeService: combo.name,
          steps: [
            { action: 'iam:PassRole', resourceArn: role.arn, description: `pass ${role.arn} to ${combo.servicePrincipal}` },
            ...combo.actions.map((a) => ({ action: a.action, resourceArn: this.resourceOf(a), description: `${a.action}: run code as ${role.arn}` })),
          ],
          targetArn: role.arn,
          change: { kind: 'none' },
        });
      }
    }
  }

  private computeAllowed(combo: ComputePassRole): boolean {
    return combo.actions.every((a) => this.can(a.action, this.resourceOf(a)));
  }

  private resourceOf(a: ComputePassRole['actions'][number]): string {
    return a.resource.replace('{account}', this.finder.accountId);
  }

  /** Whether the actor may send `action` on `resource` with `context`. */
  private can(action: string, resource: string, context?: RequestContext): boolean {
    const prepared = this.prepare(action, context);
    return prepared.identityMayAllow && this.decide(prepared, resource);
  }

  private decide(prepared: PreparedEvaluation, resource: string): boolean {
    return prepared.decide({ resource, resourceAccount: this.finder.accountId }).allowed;
  }

  /** The actor's request for `action` in `context`, prepared once (its policies, boundary, the guardrails). */
  private prepare(action: string, context: RequestContext = {}): PreparedEvaluation {
    const key = `${action}\n${JSON.stringify(context)}`;
    let prepared = this.prepared.get(key);
    if (prepared === undefined) {
      const a = this.actor;
      const guardrails = this.finder.guardrails;
      prepared = prepareEvaluation(
        { principal: a.principal, action, context, now: this.finder.clock },
        { identity: a.identity, ...(a.boundary === undefined ? {} : { boundary: a.boundary }), ...(guardrails === undefined ? {} : { guardrails }) },
      );
      this.prepared.set(key, prepared);
    }
    return prepared;
  }
}

function arnValue(arn: string): RequestContext[string] {
  return { type: 'string', multi: false, values: [arn] };
}

function stringValue(value: string): RequestContext[string] {
  return { type: 'string', multi: false, values: [value] };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** A sequence read from its source once, as far as anyone has read it, and replayed from memory after. */
class LazyMoves implements Iterable<Move> {
  private readonly items: Move[] = [];
  private source: Iterator<Move> | undefined;

  constructor(source: Iterable<Move>) {
    this.source = source[Symbol.iterator]();
  }

  *[Symbol.iterator](): Iterator<Move> {
    for (let i = 0; ; i++) {
      if (i < this.items.length) {
        yield this.items[i]!;
        continue;
      }
      if (this.source === undefined) return;
      const next = this.source.next();
      if (next.done === true) {
        this.source = undefined;
        return;
      }
      this.items.push(next.value);
      yield next.value;
    }
  }
}
