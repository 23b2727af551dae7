/**
 * Organization placements: per account, where it stands in its organization and which
 * organization policies bind it, precomputed once so a decision only picks up arrays:
 * - the membership the organization condition keys read (`aws:PrincipalOrgID`,
 *   `aws:PrincipalOrgPaths`, `aws:ResourceOrgID`, `aws:ResourceOrgPaths`): the organization id and
 *   the path `o-…/r-…/ou-…/…/`;
 * - whether it is the management account, which neither SCPs nor RCPs affect
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html);
 * - the compiled SCP levels (for its principals) and RCP levels (for its resources), root first,
 *   then each OU, then the account itself.
 *
 * Loaded in batches (one statement per batch, load-placements.ts; misses of concurrent requests
 * coalesced), compiled policies cached by (policy id, version) in the shared CompiledPolicyCache,
 * and dropped on every instance by the organization change kinds: a row naming a target (root,
 * OU or account) or a policy drops every cached account whose chain holds it. The writer records
 * one row per change naming the target; it never lists the accounts below an OU, each instance
 * finds them in its own cache. Like the other stores, entries are dropped before the bus advances
 * its revision, and a load that overlapped a change is used once, not cached, so `minRevision`
 * holds: after a write's revision, no decision uses older guardrails.
 */
import type { ChangeBus } from '../changes/bus.ts';
import type { ChangeEvent } from '../changes/change.ts';
import type { ChangeKind } from '../changes/change-kinds.ts';
import type { Database } from '../db/client.ts';
import { organizationArns } from '../db/schema/organizations.ts';
import type { CompiledPolicy, GuardrailLevels, OrganizationMembership } from '../policy/types.ts';
import { CompiledPolicyCache } from './compiled-policies.ts';
import { LoadCoalescer } from './load-coalescer.ts';
import { loadPlacementRows, type OrganizationPolicyRow, type PlacedAccountRow, type PlacementRows } from './load-placements.ts';
import { LruCache } from './lru.ts';

/** One account's place in its organization, as decisions use it. Shared and never mutated. */
export interface AccountPlacement {
  readonly accountId: string;
  /** Its organization and path (undefined: a standalone or unknown account, no organization keys). */
  readonly organization: OrganizationMembership | undefined;
  /** The management account of its organization: SCPs and RCPs do not apply to it. */
  readonly management: boolean;
  /** SCP levels that bind its principals (undefined: none apply). */
  readonly serviceControl: GuardrailLevels | undefined;
  /** RCP levels that bind its resources (undefined: none apply, or all are RCPFullAWSAccess). */
  readonly resourceControl: GuardrailLevels | undefined;
  /** Targets on its chain (root, OUs, itself) and the policies attached there: a change naming one drops the entry. */
  readonly dependsOn: readonly string[];
}

/**
 * Stands in for a placement that is not at hand where a check must answer synchronously (evicted
 * between its load and its use): an empty SCP level, so the check fails closed rather than skip
 * the guardrails.
 */
export const FAIL_CLOSED_PLACEMENT: AccountPlacement = Object.freeze({
  accountId: '',
  organization: undefined,
  management: false,
  serviceControl: Object.freeze([Object.freeze([])]),
  resourceControl: undefined,
  dependsOn: Object.freeze([]),
});

/** The change kinds that move accounts or change what is attached where. */
const ORGANIZATION_KINDS: ReadonlySet<ChangeKind> = new Set<ChangeKind>([
  'OrganizationCreated',
  'OrganizationAccountCreated',
  'AccountMoved',
  'AccountClosed',
  'OrganizationalUnitCreated',
  'OrganizationalUnitDeleted',
  'OrganizationPolicyUpdated',
  'OrganizationPolicyDeleted',
  'OrganizationPolicyAttached',
  'OrganizationPolicyDetached',
  'OrganizationPolicyTypeEnabled',
  'OrganizationPolicyTypeDisabled',
]);

/** Whether a change can alter some account's placement (the live watches re-decide on these). */
export function changesPlacements(event: Pick<ChangeEvent, 'kind'>): boolean {
  return ORGANIZATION_KINDS.has(event.kind);
}

/**
 * The targets, policies or accounts an organization change row names: a cached placement (or an
 * answer built from one) whose `dependsOn` holds none of them is unchanged by it. Undefined for a
 * row that may change every placement (an organization created).
 */
export function placementNamesOf(event: ChangeEvent): readonly string[] | undefined {
  return event.kind === 'OrganizationCreated' ? undefined : namesOf(event);
}

/** The AWS managed RCP that lets everything pass; a chain holding nothing else needs no RCP scan. */
const RCP_PASS_THROUGH = 'RCPFullAWSAccess';

/** Loads and caches placements; one per process (AuthzRuntime builds it). */
export class OrganizationPlacementStore {
  readonly cache: LruCache<string, AccountPlacement>;
  private generation = 0;
  private readonly loads: LoadCoalescer<string, AccountPlacement>;

  constructor(
    private readonly database: Database,
    private readonly compiled: CompiledPolicyCache,
    bus: Pick<ChangeBus, 'subscribe'>,
    capacity = 100_000,
  ) {
    this.cache = new LruCache(capacity);
    bus.subscribe((events) => this.onChanges(events));
    this.loads = new LoadCoalescer((ids) => this.loadAndCache(ids), { maxInFlight: database.kind === 'pglite' ? 1 : 4 });
  }

  /** The cached placement of `accountId`, if any. */
  peek(accountId: string): AccountPlacement | undefined {
    return this.cache.peek(accountId);
  }

  /** The placements of `accountIds`, in order: cached ones directly, the rest from one batch (an Error in the slot of one whose policies fail to compile). */
  async loadMany(accountIds: readonly string[]): Promise<Array<AccountPlacement | Error>> {
    const results = accountIds.map((id) => this.cache.get(id));
    if (!results.includes(undefined)) return results as AccountPlacement[];
    return Promise.all(accountIds.map(async (id, i) => results[i] ?? (await this.loads.load(id)) ?? standalone(id)));
  }

  /** One placement; rejects when its policies fail to compile (decisions then fail closed). */
  async load(accountId: string): Promise<AccountPlacement> {
    const [placement] = await this.loadMany([accountId]);
    if (placement instanceof Error) throw placement;
    return placement!;
  }

  private async loadAndCache(ids: readonly string[]): Promise<Map<string, AccountPlacement | Error>> {
    const generation = this.generation;
    const rows = await loadPlacementRows(this.database, ids);
    const out = new PlacementAssembler(rows, this.compiled).build(ids);
    if (generation === this.generation) for (const [id, placement] of out) if (!(placement instanceof Error)) this.cache.set(id, placement);
    return out;
  }

  /** Drops the placements a batch's organization rows may change. */
  private onChanges(events: readonly ChangeEvent[]): void {
    const relevant = events.filter(changesPlacements);
    if (relevant.length === 0) return;
    this.generation++;
    if (relevant.some((e) => e.kind === 'OrganizationCreated')) {
      this.cache.invalidateWhere(() => true);
      return;
    }
    const named = new Set<string>();
    for (const event of relevant) for (const name of namesOf(event)) named.add(name);
    this.cache.invalidateWhere((entry) => {
      for (const id of entry.dependsOn) if (named.has(id)) return true;
      return false;
    });
  }
}

/**
 * One account's placement read now, uncached (one statement, its policies compiled afresh): for
 * the rare paths outside a request's runtime, such as federated sign-in and the web identity and
 * SAML exchanges, which need the role account's RCPs.
 */
export async function loadPlacementNow(database: Database, accountId: string): Promise<AccountPlacement> {
  const rows = await loadPlacementRows(database, [accountId]);
  const placement = new PlacementAssembler(rows, new CompiledPolicyCache()).build([accountId]).get(accountId)!;
  if (placement instanceof Error) throw placement;
  return placement;
}

/**
 * What an organization row names that placements depend on: the policy and the target for
 * attachments and policy changes, the account for account changes (not its old or new parent:
 * the other accounts there stay where they were), the OU for OU changes.
 */
function namesOf(event: ChangeEvent): string[] {
  const p = event.payload;
  const strings = (...keys: string[]) => keys.map((k) => p[k]).filter((v): v is string => typeof v === 'string');
  switch (event.kind) {
    case 'OrganizationPolicyAttached':
    case 'OrganizationPolicyDetached':
      // Only the accounts under the target change; the policy's other targets keep their levels.
      return strings('targetId');
    case 'OrganizationPolicyUpdated':
    case 'OrganizationPolicyDeleted':
      return strings('policyId');
    case 'OrganizationalUnitCreated':
    case 'OrganizationalUnitDeleted':
      return strings('organizationalUnitId');
    case 'OrganizationPolicyTypeEnabled':
    case 'OrganizationPolicyTypeDisabled':
      // Every account of the organization has the root on its chain.
      return strings('rootId');
    default:
      return strings('accountId');
  }
}

/** A standalone (or unknown) account: no organization keys, no guardrails. */
function standalone(accountId: string): AccountPlacement {
  return { accountId, organization: undefined, management: false, serviceControl: undefined, resourceControl: undefined, dependsOn: [accountId] };
}

/** Builds the placements of one batch, sharing each target's level arrays between its accounts. */
class PlacementAssembler {
  private readonly policies = new Map<string, OrganizationPolicyRow>();
  private readonly attached = new Map<string, string[]>();
  private readonly parents = new Map<string, string[]>();
  private readonly levels = new Map<string, readonly CompiledPolicy[]>();
  /** The compiled RCPFullAWSAccess, when some chain holds it. */
  private readonly passThrough = new Set<CompiledPolicy>();

  constructor(
    private readonly rows: PlacementRows,
    private readonly compiled: CompiledPolicyCache,
  ) {
    for (const p of rows.policies) this.policies.set(p.policyId, p);
    for (const a of rows.attachments) {
      const list = this.attached.get(a.targetId);
      if (list === undefined) this.attached.set(a.targetId, [a.policyId]);
      else list.push(a.policyId);
    }
    // Parents by depth: index 0 is the account's parent, the last one the root.
    const chains = new Map<string, { nodeId: string; depth: number }[]>();
    for (const c of rows.chain) {
      const list = chains.get(c.accountId) ?? [];
      list.push(c);
      chains.set(c.accountId, list);
    }
    for (const [accountId, list] of chains) this.parents.set(accountId, list.sort((x, y) => x.depth - y.depth).map((c) => c.nodeId));
  }

  build(ids: readonly string[]): Map<string, AccountPlacement | Error> {
    const out = new Map<string, AccountPlacement | Error>();
    for (const row of this.rows.accounts) {
      try {
        out.set(row.accountId, this.placementOf(row));
      } catch (error) {
        out.set(row.accountId, error instanceof Error ? error : new Error(String(error)));
      }
    }
    for (const id of ids) if (!out.has(id)) out.set(id, standalone(id));
    return out;
  }

  private placementOf({ accountId, organizationId, managementAccountId, enabledPolicyTypes }: PlacedAccountRow): AccountPlacement {
    const up = this.parents.get(accountId) ?? [];
    // Root first, then each OU down to the account's parent, then the account itself.
    const down = [...up].reverse();
    const targets = [...down, accountId];
    const organization: OrganizationMembership = Object.freeze({ organizationId, path: `${organizationId}/${down.join('/')}/` });
    const dependsOn = [...targets];
    for (const target of targets) for (const policyId of this.attached.get(target) ?? []) dependsOn.push(policyId);
    const management = accountId === managementAccountId;
    if (management) return { accountId, organization, management, serviceControl: undefined, resourceControl: undefined, dependsOn };
    // A disabled type binds nobody (DisablePolicyType detaches its policies; an empty level would deny all).
    const serviceControl = enabledPolicyTypes.includes('SERVICE_CONTROL_POLICY') ? Object.freeze(targets.map((t) => this.level(t, 'SERVICE_CONTROL_POLICY'))) : undefined;
    const rcps = enabledPolicyTypes.includes('RESOURCE_CONTROL_POLICY') ? targets.map((t) => this.level(t, 'RESOURCE_CONTROL_POLICY')) : [];
    return { accountId, organization, management, serviceControl, resourceControl: this.passesEverything(rcps) ? undefined : Object.freeze(rcps), dependsOn };
  }

  /** The compiled policies of `type` attached to `target`, one shared array per target and type. */
  private level(target: string, type: OrganizationPolicyRow['type']): readonly CompiledPolicy[] {
    const key = `${type}:${target}`;
    let level = this.levels.get(key);
    if (level === undefined) {
      const out: CompiledPolicy[] = [];
      for (const policyId of this.attached.get(target) ?? []) {
        const row = this.policies.get(policyId);
        if (row !== undefined && row.type === type) out.push(this.compile(row));
      }
      level = Object.freeze(out);
      this.levels.set(key, level);
    }
    return level;
  }

  private compile(row: OrganizationPolicyRow): CompiledPolicy {
    const arn = organizationArns.policy(row.managementAccountId ?? 'aws', row.organizationId, row.type, row.policyId);
    const kind = row.type === 'SERVICE_CONTROL_POLICY' ? 'guardrail' : 'resourceGuardrail';
    const policy = this.compiled.version(row.policyId, row.version, kind, row.content, { id: arn, name: row.name, arn, versionId: String(row.version) });
    if (row.awsManaged && row.name === RCP_PASS_THROUGH) this.passThrough.add(policy);
    return policy;
  }

  /**
   * Whether RCP levels can deny nothing: either no RCP is attached anywhere on the chain (the
   * policy type is not in use), or every level holds RCPFullAWSAccess and nothing else, which
   * "allows all principals and actions access to pass through RCP evaluation"
   * (orgs_manage_policies_rcps_evaluation). Such accounts skip the RCP scan on every decision.
   */
  private passesEverything(levels: readonly (readonly CompiledPolicy[])[]): boolean {
    if (levels.every((level) => level.length === 0)) return true;
    return levels.every((level) => level.length > 0 && level.every((p) => this.passThrough.has(p)));
  }
}
