/**
 * Policy simulation, mirroring AWS SimulateCustomPolicy and SimulatePrincipalPolicy: one result
 * per action × resource, in the order asked, at most MAX_EVALUATIONS per call (paged beyond with
 * maxItems/marker, as AWS's MaxItems/Marker). Simulation reads but never records last-accessed
 * data, and passed-in documents are compiled and discarded (only their text-keyed cache entry stays).
 */
import { isAccountId } from '../db/schema/rules.ts';
import { MalformedPolicyDocumentError, ValidationError } from '../errors.ts';
import { compilePolicy, evaluate } from '../policy/index.ts';
import type { CompiledPolicy, Decision, OrganizationMembership, PolicyKind, PolicySet, RequestContext, RequestPrincipal } from '../policy/types.ts';
import type { Caller } from './caller.ts';
import { toRequestContext, type ContextEntry } from './context-entries.ts';
import { ACTION_NAME, compileResourcePolicy } from './question.ts';
import { checkDocumentList } from './input-caps.ts';
import { guardrailsBind, type EffectivePolicies } from './effective-set.ts';
import { parsePrincipalArn } from './principal-ref.ts';
import type { AuthzRuntime } from './runtime.ts';
import { mapSliced } from './time-slice.ts';

/** AWS's quota on the number of actions and resources simulated in one call, each. */
const MAX_ITEMS = 1_000;
/** Evaluations (action × resource pairs) one call may ask for; more are paged with maxItems/marker. */
export const MAX_EVALUATIONS = 1_000;
/** Page size of a paged simulation that gives no maxItems (AWS's default MaxItems). */
export const DEFAULT_MAX_ITEMS = 100;
const MARKER_VERSION = 's1';

/** SimulateCustomPolicy's input. */
export interface CustomSimulation {
  readonly policyInputList: readonly string[];
  readonly permissionsBoundaryPolicyInputList?: readonly string[] | null;
  readonly resourcePolicy?: string | null;
  readonly actionNames: readonly string[];
  readonly resourceArns?: readonly string[] | null;
  readonly callerArn?: string | null;
  readonly resourceOwner?: string | null;
  readonly contextEntries?: readonly ContextEntry[] | null;
  /** Evaluations per page, 1 to MAX_EVALUATIONS (AWS MaxItems). */
  readonly maxItems?: number | null;
  /** Where the page starts: the `marker` of the previous page (AWS Marker). */
  readonly marker?: string | null;
}

/** SimulatePrincipalPolicy's input: the principal's own policies plus optional extra ones. */
export interface PrincipalSimulation extends Omit<CustomSimulation, 'policyInputList'> {
  readonly policySourceArn: string;
  readonly policyInputList?: readonly string[] | null;
}

/** One simulated decision, AWS's EvaluationResult. */
export interface EvaluationResult extends Decision {
  readonly evalActionName: string;
  readonly evalResourceName: string;
}

/** One page of a simulation's results, AWS's SimulatePolicyResponse. */
export interface SimulationPage {
  readonly results: EvaluationResult[];
  /** Whether more results follow; ask again with `marker`. */
  readonly isTruncated: boolean;
  readonly marker: string | null;
}

/** How a simulation is asked: as one whole list (the contract's list field) or page by page. */
export type SimulationMode = { readonly paged: false; readonly field: string } | { readonly paged: true };

/** Compiles passed-in documents; a bad one is a MalformedPolicyDocumentError naming its index. */
function compileInputs(texts: readonly string[] | null | undefined, kind: PolicyKind, field: string, idPrefix: string): CompiledPolicy[] {
  checkDocumentList(texts, field);
  return (texts ?? []).map((text, i) => {
    const result = compilePolicy(text, kind, { id: `${idPrefix}.${i + 1}`, name: `${idPrefix}.${i + 1}` });
    if (!result.ok) throw new MalformedPolicyDocumentError(`${field}[${i}]`, result.findings);
    return result.policy;
  });
}

/** The principal facts an ARN alone gives (SimulateCustomPolicy knows nothing else about it). */
export function principalFromArn(arn: string, field: string): RequestPrincipal {
  const parsed = parsePrincipalArn(arn);
  if (parsed === undefined) {
    throw new ValidationError(field, 'principal-arn', `${field} must be a user, role, assumed-role or root ARN, got "${arn.slice(0, 120)}"`);
  }
  switch (parsed.kind) {
    case 'root':
      return { type: 'Account', arn, accountId: parsed.accountId, userId: parsed.accountId };
    case 'user':
      return { type: 'User', arn, accountId: parsed.accountId, userName: arn.slice(arn.lastIndexOf('/') + 1) };
    case 'role':
      return { type: 'AssumedRole', arn, accountId: parsed.accountId, roleArn: arn };
    case 'assumed-role':
      return {
        type: 'AssumedRole',
        arn,
        accountId: parsed.accountId,
        roleArn: `arn:aws:iam::${parsed.accountId}:role/${parsed.roleName}`,
      };    case 'federated-user':
      return { type: 'FederatedUser', arn, accountId: parsed.accountId, userId: `${parsed.accountId}:${parsed.name}` };
  }
}

/**
 * `callerArn` as the simulators accept it: AWS takes only an IAM user's ARN there (not the root
 * user, a role or a session), so a caller cannot simulate with root's full access in its account.
 */
function callerArnPrincipal(callerArn: string): RequestPrincipal {
  const principal = principalFromArn(callerArn, 'input.callerArn');
  if (principal.type !== 'User') {
    throw new ValidationError('input.callerArn', 'user-arn', `input.callerArn must be an IAM user ARN (arn:aws:iam::<account>:user/<name>), got "${callerArn.slice(0, 120)}"`);
  }
  return principal;
}

/**
 * The principal SimulateCustomPolicy evaluates as: `callerArn` when given, else the API caller. A
 * root API caller without `callerArn` is simulated as a plain principal: the point of the call is
 * to see what the given documents allow, and root's full access would hide that.
 */
function simulatedCaller(caller: Caller, callerArn: string | null | undefined): RequestPrincipal {
  if (callerArn != null) return callerArnPrincipal(callerArn);
  const principal = principalFromArn(caller.arn, 'caller');
  return principal.type === 'Account' ? { type: 'User', arn: caller.arn, accountId: caller.accountId } : principal;
}

/** Checks the action and resource lists. */
function checkLists(input: CustomSimulation): readonly string[] {
  if (input.actionNames.length === 0 || input.actionNames.length > MAX_ITEMS) {
    throw new ValidationError('input.actionNames', 'length', `input.actionNames must hold 1 to ${MAX_ITEMS} actions`);
  }
  input.actionNames.forEach((action, i) => {
    if (!ACTION_NAME.test(action)) {
      throw new ValidationError(`input.actionNames[${i}]`, 'pattern', `input.actionNames[${i}] must look like "service:Action", got "${action.slice(0, 80)}"`);
    }
  });
  const resources = input.resourceArns == null || input.resourceArns.length === 0 ? ['*'] : input.resourceArns;
  if (resources.length > MAX_ITEMS) throw new ValidationError('input.resourceArns', 'length', `input.resourceArns may hold at most ${MAX_ITEMS} ARNs`);
  resources.forEach((arn, i) => {
    if (arn === '' || arn.length > 2048) throw new ValidationError(`input.resourceArns[${i}]`, 'length', `input.resourceArns[${i}] must be 1 to 2048 characters`);
  });
  if (input.resourceOwner != null && !isAccountId(input.resourceOwner)) {
    throw new ValidationError('input.resourceOwner', 'pattern', `input.resourceOwner must be a 12-digit account id, got "${input.resourceOwner.slice(0, 40)}"`);
  }
  return resources;
}

/** The page of pairs [start, end) this call evaluates, from maxItems and marker, or a ValidationError. */
function pageRange(input: CustomSimulation, total: number, mode: SimulationMode): { start: number; end: number } {
  const { maxItems, marker } = input;
  if (maxItems != null && (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > MAX_EVALUATIONS)) {
    throw new ValidationError('input.maxItems', 'range', `input.maxItems must be from 1 to ${MAX_EVALUATIONS}; got ${maxItems}`);
  }
  const start = marker == null ? 0 : decodeMarker(marker, total);
  if (!mode.paged && maxItems == null && marker == null && total > MAX_EVALUATIONS) {
    throw new ValidationError(
      'input',
      'max-evaluations',
      `input asks for ${total} evaluations (actionNames × resourceArns); one call may ask for at most ${MAX_EVALUATIONS}: ` +
        `pass input.maxItems and continue with the marker ${mode.field}Page returns`,
    );
  }
  const size = maxItems ?? (mode.paged ? DEFAULT_MAX_ITEMS : total);
  return { start, end: Math.min(total, start + size) };
}

/** The pair index a marker continues from; a marker not made for this input is a ValidationError. */
function decodeMarker(marker: string, total: number): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 3 && decoded[0] === MARKER_VERSION && decoded[2] === total) {
    const start: unknown = decoded[1];
    if (typeof start === 'number' && Number.isInteger(start) && start > 0 && start < total) return start;
  }
  throw new ValidationError('input.marker', 'marker', 'input.marker is not a marker from this simulation (same actions and resources)');
}

function encodeMarker(start: number, total: number): string {
  return Buffer.from(JSON.stringify([MARKER_VERSION, start, total]), 'utf8').toString('base64url');
}

/**
 * Evaluates one page of the action × resource pairs, in the order asked (actions outer). Only
 * the page's pairs are evaluated, in slices that yield to the event loop (see time-slice.ts).
 */
async function runMatrix(
  principal: RequestPrincipal,
  set: PolicySet,
  input: CustomSimulation,
  resources: readonly string[],
  resourceOwner: string,
  context: RequestContext,
  mode: SimulationMode,
  organizations?: { readonly principal: OrganizationMembership | undefined; readonly resource: OrganizationMembership | undefined },
): Promise<SimulationPage> {
  const actions = input.actionNames;
  const total = actions.length * resources.length;
  const { start, end } = pageRange(input, total, mode);
  const now = new Date();
  const results = await mapSliced(end - start, (i) => {
    const action = actions[Math.floor((start + i) / resources.length)]!;
    const resource = resources[(start + i) % resources.length]!;
    const decision = evaluate(
      { principal, action, resource, resourceAccount: resourceOwner, principalOrganization: organizations?.principal, resourceOrganization: organizations?.resource, context, now },
      set,
    );
    return { ...decision, evalActionName: action, evalResourceName: resource };
  });
  return { results, isTruncated: end < total, marker: end < total ? encodeMarker(end, total) : null };
}

/** SimulateCustomPolicy: the given documents only; `iam:SimulateCustomPolicy` on `*` is checked by the caller. */
export function simulateCustomPolicy(runtime: AuthzRuntime, caller: Caller, input: CustomSimulation, mode: SimulationMode): Promise<SimulationPage> {
  const resources = checkLists(input);
  const identity = compileInputs(input.policyInputList, 'identity', 'input.policyInputList', 'PolicyInputList');
  const boundary = input.permissionsBoundaryPolicyInputList == null
    ? undefined
    : compileInputs(input.permissionsBoundaryPolicyInputList, 'boundary', 'input.permissionsBoundaryPolicyInputList', 'PermissionsBoundaryPolicyInputList');
  const resource = input.resourcePolicy == null ? undefined : compileResourcePolicy(runtime.compiled, input.resourcePolicy, 'input.resourcePolicy');
  const principal = simulatedCaller(caller, input.callerArn);
  const context = toRequestContext(input.contextEntries, 'input.contextEntries');
  const set: PolicySet = {
    identity,
    ...(boundary === undefined || boundary.length === 0 ? {} : { boundary }),
    ...(resource === undefined ? {} : { resource }),
  };
  return runMatrix(principal, set, input, resources, input.resourceOwner ?? caller.accountId, context, mode);
}

/**
 * SimulatePrincipalPolicy: the source principal's effective policies (from the same cache
 * decisions use) plus any extra documents; a passed boundary replaces the principal's own. Like
 * AWS's (whose results carry OrganizationsDecisionDetail), it includes the organization: the SCPs
 * of the principal's account and the RCPs of the resource owner's, reported in each result's
 * `layers` (`guardrail`, `resourceGuardrail`). SimulateCustomPolicy stays without them, as AWS's.
 */
export async function simulatePrincipalPolicy(
  runtime: AuthzRuntime,
  caller: Caller,
  source: EffectivePolicies,
  input: PrincipalSimulation,
  mode: SimulationMode,
): Promise<SimulationPage> {
  const resources = checkLists({ ...input, policyInputList: input.policyInputList ?? [] });
  const extra = compileInputs(input.policyInputList, 'identity', 'input.policyInputList', 'PolicyInputList');
  const boundaryInput = compileInputs(
    input.permissionsBoundaryPolicyInputList,
    'boundary',
    'input.permissionsBoundaryPolicyInputList',
    'PermissionsBoundaryPolicyInputList',
  );
  const boundary = boundaryInput.length > 0 ? boundaryInput : source.boundary;
  const resource = input.resourcePolicy == null ? undefined : compileResourcePolicy(runtime.compiled, input.resourcePolicy, 'input.resourcePolicy');
  const context = toRequestContext(input.contextEntries, 'input.contextEntries');
  // A caller ARN stands in for the principal only where a resource policy names principals.
  const principal: RequestPrincipal = input.callerArn == null ? source.principal : { ...source.principal, arn: callerArnPrincipal(input.callerArn).arn };
  const resourceOwner = input.resourceOwner ?? source.principal.accountId ?? caller.accountId;
  const [principalPlacement, ownerPlacement] = await Promise.all([runtime.placements.load(source.principal.accountId), runtime.placements.load(resourceOwner)]);
  const binds = guardrailsBind(source.principal);
  const guardrails = binds ? principalPlacement.serviceControl : undefined;
  const resourceGuardrails = binds ? ownerPlacement.resourceControl : undefined;
  const set: PolicySet = {
    identity: [...source.identity, ...extra],
    ...(boundary === undefined ? {} : { boundary }),
    ...(source.session === undefined ? {} : { session: source.session }),
    ...(resource === undefined ? {} : { resource }),
    ...(guardrails === undefined ? {} : { guardrails }),
    ...(resourceGuardrails === undefined ? {} : { resourceGuardrails }),
  };
  return runMatrix(principal, set, { ...input, policyInputList: [] }, resources, resourceOwner, context, mode, {
    principal: principalPlacement.organization,
    resource: ownerPlacement.organization,
  });
}

