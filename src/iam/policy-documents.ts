/**
 * Policy documents on their way into the directory: every document a directory write stores is
 * validated by the policy engine (`compilePolicy`) first. ERROR findings refuse the write with
 * MalformedPolicyDocumentError; the other findings (warnings, suggestions) are returned so the
 * success payload can show them. Size is a quota, not a syntax rule: as in AWS, a document over
 * its use's quota is a LimitExceeded error (src/iam/quotas.ts), so the engine's size finding is
 * replaced by that check (which also knows the inline quotas are per principal, in aggregate).
 */
import { compilePolicy, type Finding, type PolicyKind } from '../policy/index.ts';
import type { CatalogView } from '../policy/validate/catalog.ts';
import { policySize } from '../policy/validate/index.ts';
import { MalformedPolicyDocumentError } from '../errors.ts';
import { enforcePolicySize, type PolicySizeUse } from './quotas.ts';
import type { Database } from '../db/client.ts';
import { catalogForDocument } from './services/catalog-view.ts';

/** The engine's policy kind for each use of a document. */
const KIND_OF_USE: Readonly<Record<PolicySizeUse, PolicyKind>> = {
  managed: 'identity',
  userInline: 'identity',
  groupInline: 'identity',
  roleInline: 'identity',
  trust: 'trust',
  resource: 'resource',
};

/** The engine's size findings; the quota check below stands in for them. */
const SIZE_ISSUES: ReadonlySet<string> = new Set([
  'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
  'POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA',
]);

/** Options for `checkPolicyDocument`. */
export interface CheckPolicyDocumentOptions {
  /**
   * For inline policies: the size (characters without white space) of the principal's other
   * inline policies, since the inline quota bounds their sum.
   */
  readonly otherInlineSize?: number;
  /** The account's catalog view for the document (`catalogForDocument`): adds the catalog's warnings. */
  readonly catalog?: CatalogView;
}

/**
 * Validates `text` for `use` and returns its non-error findings. Throws
 * MalformedPolicyDocumentError naming `field` when the engine reports an ERROR, and
 * LimitExceededError when the document (plus the principal's other inline policies) is over quota.
 */
export function checkPolicyDocument(
  text: string,
  use: PolicySizeUse,
  field: string,
  options: CheckPolicyDocumentOptions = {},
): readonly Finding[] {
  const findings = compilePolicy(text, KIND_OF_USE[use], {}, options.catalog ? { catalog: options.catalog } : {}).findings.filter((f) => !SIZE_ISSUES.has(f.issueCode));
  if (findings.some((f) => f.findingType === 'ERROR')) throw new MalformedPolicyDocumentError(field, findings);
  enforcePolicySize(use, policySize(text) + (options.otherInlineSize ?? 0));
  return findings;
}

/** Characters of `text` that are not white space, as AWS counts policy sizes. */
export function documentSize(text: string): number {
  return policySize(text);
}

/**
 * ValidatePolicy: every finding about `text` as a policy of `kind`, with the account's catalog
 * (unknown services, actions, condition keys), exactly as a write of the document would see them.
 */
export async function validatePolicyDocument(database: Database, accountId: string, text: string, kind: PolicyKind): Promise<readonly Finding[]> {
  const catalog = await catalogForDocument(database, accountId, text);
  return compilePolicy(text, kind, {}, { catalog }).findings;
}
