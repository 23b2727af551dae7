/**
 * What an SCP or RCP may say, checked by the policy engine before it is stored:
 * - size: at most 5,120 characters, every character counted (AWS Organizations quotas; AWS counts
 *   white space too, unlike IAM), else LimitExceeded `PolicyContentSize`;
 * - an SCP is validated as a `guardrail` policy: the full IAM language (Allow and Deny, NotAction,
 *   NotResource, conditions, as SCPs accept since September 2025) but no Principal or NotPrincipal
 *   (the engine's UNSUPPORTED_PRINCIPAL);
 * - an RCP is validated as a resource policy, and, as "RCP syntax" states, a customer RCP may only
 *   Deny (Allow is reserved for RCPFullAWSAccess), its Principal must be "*", and NotPrincipal is
 *   not supported.
 * ERROR findings refuse the write with MalformedPolicyDocument; the rest (with the catalog's
 * warnings about unknown services, actions and condition keys, as for managed policies) are returned.
 */
import { compilePolicy, type Finding } from '../../policy/index.ts';
import type { CatalogView } from '../../policy/validate/catalog.ts';
import type { OrganizationPolicyType } from '../../db/schema/accounts.ts';
import { organizationLimits } from '../../db/schema/organizations.ts';
import { LimitExceededError, MalformedPolicyDocumentError } from '../../errors.ts';

/** The engine's size findings: the all-characters quota below stands in for them. */
const SIZE_ISSUES: ReadonlySet<string> = new Set(['POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA', 'POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA']);

/** Line and column (1-based) of the `occurrence`-th (0-based) `"key"` in `text`, or 1:1. */
function locate(text: string, key: string, occurrence: number): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(`"${key}"`, at + 1);
    if (at < 0) return { line: 1, column: 1 };
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}

/** The RCP-only rules, as findings on each statement that breaks them. */
function rcpFindings(text: string): Finding[] {
  const document = JSON.parse(text) as { Statement?: unknown };
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const findings: Finding[] = [];
  const error = (issueCode: string, message: string, index: number, key: string, occurrence: number): Finding => ({
    findingType: 'ERROR',
    issueCode,
    message,
    path: `$.Statement[${index}].${key}`,
    ...locate(text, key, occurrence),
  });
  let effects = 0;
  let principals = 0;
  let notPrincipals = 0;
  statements.forEach((raw, index) => {
    const statement = (raw ?? {}) as Record<string, unknown>;
    if ('Effect' in statement) {
      if (statement['Effect'] !== 'Deny') {
        findings.push(error('RCP_ALLOW_NOT_SUPPORTED', 'a resource control policy may only deny: the effect Allow is reserved for RCPFullAWSAccess', index, 'Effect', effects));
      }
      effects++;
    }
    if ('Principal' in statement) {
      if (statement['Principal'] !== '*') {
        findings.push(error('RCP_PRINCIPAL_MUST_BE_WILDCARD', 'the Principal of a resource control policy must be "*" (narrow it with conditions such as aws:PrincipalOrgID)', index, 'Principal', principals));
      }
      principals++;
    }
    if ('NotPrincipal' in statement) {
      findings.push(error('RCP_NOT_PRINCIPAL_NOT_SUPPORTED', 'resource control policies do not support NotPrincipal', index, 'NotPrincipal', notPrincipals));
      notPrincipals++;
    }
  });
  return findings;
}

/**
 * Validates `text` as a policy of `type` and returns its non-error findings. Throws LimitExceeded
 * over 5,120 characters and MalformedPolicyDocument (naming `field`) on an ERROR finding.
 */
export function checkOrganizationPolicyContent(text: string, type: OrganizationPolicyType, field: string, catalog?: CatalogView): readonly Finding[] {
  const limit = organizationLimits.policyContentMaxLength;
  if (text.length > limit) {
    throw new LimitExceededError('PolicyContentSize', limit, `cannot exceed quota for PolicyContentSize: ${field} is ${text.length} characters, over the ${limit} an SCP or RCP may have (white space counts)`);
  }
  const kind = type === 'SERVICE_CONTROL_POLICY' ? 'guardrail' : 'resource';
  let findings = compilePolicy(text, kind, {}, catalog === undefined ? {} : { catalog }).findings.filter((f) => !SIZE_ISSUES.has(f.issueCode));
  if (!findings.some((f) => f.findingType === 'ERROR') && type === 'RESOURCE_CONTROL_POLICY') findings = [...rcpFindings(text), ...findings];
  if (findings.some((f) => f.findingType === 'ERROR')) throw new MalformedPolicyDocumentError(field, findings);
  return findings;
}
