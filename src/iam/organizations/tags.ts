/**
 * AWS Organizations TagResource, UntagResource and ListTagsForResource: tags on the root, an OU,
 * a member account or a customer policy of the caller's organization, named by its id (`r-…`,
 * `ou-…`, 12 digits, `p-…`). The tag rules are IAM's (tag-set.ts): keys compared without case,
 * at most 50 per resource. AWS managed policies cannot be tagged. Each write records one change
 * of the organization, naming the resource and the keys.
 */
import { eq } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import type { Queryable } from '../affected-principals.ts';
import { accounts, organizationalUnits, organizationPolicies, organizations, type Tag } from '../../db/schema/index.ts';
import { isAccountId, organizationIdPatterns } from '../../db/schema/rules.ts';
import { NoSuchEntityError, ValidationError } from '../../errors.ts';
import { runWrite, type WriteActor, type WriteResult } from '../../changes/outbox.ts';
import { mergeTags, removeTags } from '../tag-set.ts';
import { validateTagKeys, validateTags } from '../validation.ts';
import { getOrganizationPolicy, policyArnForId } from './policies.ts';
import { getMemberAccount, getOrganizationalUnit, requireManagedOrganization, targetArn, type Organization } from './tree.ts';

/** What a resource id names, as AWS's TargetType and policy names them. */
export type TaggableType = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT' | 'POLICY';

/** A taggable resource of the organization and its tags. */
export interface TaggedResource {
  readonly resourceId: string;
  readonly type: TaggableType;
  readonly arn: string;
  readonly tags: readonly Tag[];
  /** An AWS managed policy (FullAWSAccess, RCPFullAWSAccess): every organization's, so nobody tags it. */
  readonly awsManaged: boolean;
}

/** TagResource parameters. */
export interface TagOrganizationResourceInput {
  readonly resourceId: string;
  readonly tags: readonly Tag[];
}

/** UntagResource parameters. */
export interface UntagOrganizationResourceInput {
  readonly resourceId: string;
  readonly tagKeys: readonly string[];
}

const FIELD = 'input.resourceId';
const ROOT = new RegExp(organizationIdPatterns.root);
const OU = new RegExp(organizationIdPatterns.organizationalUnit);
const POLICY = new RegExp(organizationIdPatterns.policy);

/** The type `resourceId` names by its form; ValidationError naming the field for anything else. */
export function taggableTypeOf(resourceId: string, field = FIELD): TaggableType {
  if (ROOT.test(resourceId)) return 'ROOT';
  if (OU.test(resourceId)) return 'ORGANIZATIONAL_UNIT';
  if (isAccountId(resourceId)) return 'ACCOUNT';
  if (POLICY.test(resourceId)) return 'POLICY';
  throw new ValidationError(field, 'pattern', `${field} must be a root (r-…), OU (ou-…), account (12 digits) or policy (p-…) id, got ${JSON.stringify(resourceId.slice(0, 80))}`);
}

/** The resource `resourceId` of `organization` with its tags, locked when asked; NoSuchEntity when it has none of that id. */
export async function getTaggedResource(tx: Queryable, organization: Organization, resourceId: string, field = FIELD, lock = false): Promise<TaggedResource> {
  const type = taggableTypeOf(resourceId, field);
  switch (type) {
    case 'ROOT': {
      if (resourceId !== organization.rootId) throw new NoSuchEntityError('Root', resourceId);
      return { resourceId, type, arn: targetArn(organization, resourceId), tags: organization.rootTags, awsManaged: false };
    }
    case 'ORGANIZATIONAL_UNIT': {
      const ou = await getOrganizationalUnit(tx, organization, resourceId, field, lock);
      return { resourceId, type, arn: targetArn(organization, resourceId), tags: ou.tags, awsManaged: false };
    }
    case 'ACCOUNT': {
      const account = await getMemberAccount(tx, organization, resourceId, field, lock);
      return { resourceId, type, arn: targetArn(organization, resourceId), tags: account.tags, awsManaged: false };
    }
    case 'POLICY': {
      const policy = await getOrganizationPolicy(tx, organization, resourceId, field, lock);
      return { resourceId, type, arn: policyArnForId(organization, resourceId, policy.type), tags: policy.tags, awsManaged: policy.organizationId === null };
    }
  }
}

/** TagResource: adds or overwrites tags on the resource. */
export function tagOrganizationResource(database: Database, actor: WriteActor, input: TagOrganizationResourceInput): Promise<WriteResult<TaggedResource>> {
  taggableTypeOf(input.resourceId);
  const tags = validateTags(input.tags);
  return rewriteTags(database, actor, input.resourceId, (existing) => mergeTags(existing, tags), 'OrganizationResourceTagged', tags.map((t) => t.key));
}

/** UntagResource: removes tags by key from the resource (absent keys are ignored, as AWS does). */
export function untagOrganizationResource(database: Database, actor: WriteActor, input: UntagOrganizationResourceInput): Promise<WriteResult<TaggedResource>> {
  taggableTypeOf(input.resourceId);
  const keys = validateTagKeys(input.tagKeys);
  return rewriteTags(database, actor, input.resourceId, (existing) => removeTags(existing, keys), 'OrganizationResourceUntagged', keys);
}

/** Replaces the resource's tags with `rewrite` of them, recording `kind` with the keys the request named. */
function rewriteTags(
  database: Database,
  actor: WriteActor,
  resourceId: string,
  rewrite: (existing: readonly Tag[]) => Tag[],
  kind: 'OrganizationResourceTagged' | 'OrganizationResourceUntagged',
  tagKeys: readonly string[],
): Promise<WriteResult<TaggedResource>> {
  return runWrite(database, actor, async (tx, record) => {
    // The root's tags are kept on the organization row: lock it when they are the ones changing.
    const organization = await requireManagedOrganization(tx, actor.accountId, taggableTypeOf(resourceId) === 'ROOT');
    const resource = await getTaggedResource(tx, organization, resourceId, FIELD, true);
    if (resource.awsManaged) throw new ValidationError(FIELD, 'aws-managed', `${FIELD} '${resourceId}' is an AWS managed policy, which cannot be tagged`);
    const updated = { ...resource, tags: rewrite(resource.tags) };
    await storeTags(tx, organization, updated);
    record(tagChange(updated, kind, tagKeys));
    return updated;
  });
}

async function storeTags(tx: Tx, organization: Organization, resource: TaggedResource): Promise<void> {
  const tags = [...resource.tags];
  switch (resource.type) {
    case 'ROOT':
      await tx.update(organizations).set({ rootTags: tags }).where(eq(organizations.id, organization.id));
      return;
    case 'ORGANIZATIONAL_UNIT':
      await tx.update(organizationalUnits).set({ tags }).where(eq(organizationalUnits.id, resource.resourceId));
      return;
    case 'ACCOUNT':
      await tx.update(accounts).set({ tags }).where(eq(accounts.id, resource.resourceId));
      return;
    case 'POLICY':
      await tx.update(organizationPolicies).set({ tags, updatedAt: new Date() }).where(eq(organizationPolicies.id, resource.resourceId));
  }
}

function tagChange(resource: TaggedResource, kind: 'OrganizationResourceTagged' | 'OrganizationResourceUntagged', tagKeys: readonly string[]) {
  return {
    kind,
    entityType: ENTITY_TYPES[resource.type],
    entityArn: resource.arn,
    affectedPrincipalIds: [],
    payload: { resourceId: resource.resourceId, type: resource.type, tagKeys },
  } as const;
}

const ENTITY_TYPES = { ROOT: 'organization', ORGANIZATIONAL_UNIT: 'organizational-unit', ACCOUNT: 'account', POLICY: 'organization-policy' } as const;
