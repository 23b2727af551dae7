/**
 * Every issue code `parsePolicy` can report, with its finding type and a short description.
 *
 * Codes marked `source: 'access-analyzer'` are IAM Access Analyzer's own issue codes, from
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 * Codes marked `source: 'portcullis'` cover checks Access Analyzer has no code for; they follow
 * its naming style. Where our finding type differs from Access Analyzer's, `note` says why.
 *
 * This table is the single source of truth: a finding's `findingType` is always looked up here.
 */
import type { FindingType } from '../types.ts';

/** One row of the issue-code table. */
export interface IssueCodeInfo {
  readonly findingType: FindingType;
  readonly source: 'access-analyzer' | 'portcullis';
  readonly description: string;
  readonly note?: string;
}

const AA = 'access-analyzer' as const;
const PC = 'portcullis' as const;

/** All issue codes, keyed by code. */
export const ISSUE_CODES = {
  // --- JSON text -------------------------------------------------------------------------
  JSON_SYNTAX_ERROR: { findingType: 'ERROR', source: AA, description: 'the policy text is not valid JSON (or nests deeper than the parser allows)' },
  DUPLICATE_KEYS_WITH_DIFFERENT_CASE: { findingType: 'ERROR', source: AA, description: 'an object has two keys that differ only in case' },
  DUPLICATE_KEY: { findingType: 'ERROR', source: PC, description: 'an object has the same key twice; JSON parsers would silently keep only one' },
  VALIDATION_FAILED: { findingType: 'ERROR', source: PC, description: 'the validator itself failed on this input; the policy is rejected rather than trusted' },
  DATA_TYPE_MISMATCH: { findingType: 'ERROR', source: AA, description: 'an element has the wrong JSON type (e.g. Effect as a number)' },

  // --- policy and statement elements ----------------------------------------------------
  INVALID_POLICY_ELEMENT: { findingType: 'ERROR', source: AA, description: 'an unknown or misspelled policy or statement element' },
  MISSING_STATEMENT: { findingType: 'ERROR', source: AA, description: 'the policy has no Statement element, or it is empty' },
  INVALID_VERSION: { findingType: 'ERROR', source: AA, description: 'Version is neither 2012-10-17 nor 2008-10-17' },
  MISSING_VERSION: { findingType: 'WARNING', source: AA, description: 'Version is missing, so the policy uses 2008-10-17 and policy variables are literal' },
  MISSING_EFFECT: { findingType: 'ERROR', source: AA, description: 'a statement has no Effect' },
  INVALID_EFFECT: { findingType: 'ERROR', source: AA, description: 'Effect is neither Allow nor Deny (case-sensitive)' },
  MISSING_ACTION: { findingType: 'ERROR', source: AA, description: 'a statement has neither Action nor NotAction' },
  INVALID_ACTION: { findingType: 'ERROR', source: AA, description: 'an action is not "*" nor "service:Action" (wildcards * and ? allowed)' },
  MISSING_RESOURCE: { findingType: 'ERROR', source: AA, description: 'a statement has neither Resource nor NotResource' },
  ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE: { findingType: 'ERROR', source: AA, description: 'a role trust policy must not contain Resource or NotResource' },
  UNSUPPORTED_ELEMENT_COMBINATION: { findingType: 'ERROR', source: AA, description: 'a statement has both Action and NotAction, Resource and NotResource, or Principal and NotPrincipal' },
  UNIQUE_SIDS_REQUIRED: { findingType: 'ERROR', source: AA, description: 'two statements have the same Sid' },
  UNSUPPORTED_SID: { findingType: 'ERROR', source: AA, description: 'a Sid in an IAM-stored policy uses characters other than A-Z, a-z, 0-9' },
  EMPTY_SID_VALUE: { findingType: 'SUGGESTION', source: AA, description: 'Sid is an empty string' },

  // --- principals -----------------------------------------------------------------------
  MISSING_PRINCIPAL: { findingType: 'ERROR', source: AA, description: 'a resource or trust policy statement has neither Principal nor NotPrincipal' },
  UNSUPPORTED_PRINCIPAL: { findingType: 'ERROR', source: AA, description: 'Principal or NotPrincipal in a policy kind that does not take one (identity, boundary, session, guardrail)' },
  INVALID_PRINCIPAL_KEY: { findingType: 'ERROR', source: AA, description: 'a principal type other than AWS, Service, Federated, CanonicalUser' },
  INVALID_PRINCIPAL_FORMAT: { findingType: 'ERROR', source: AA, description: 'a principal value is not an account id, IAM/STS principal ARN or "*"' },
  INVALID_SERVICE_PRINCIPAL_FORMAT: { findingType: 'ERROR', source: AA, description: 'a Service principal is not a DNS-style name such as ec2.amazonaws.com' },
  UNSUPPORTED_WILDCARD_IN_PRINCIPAL: { findingType: 'ERROR', source: AA, description: 'a principal value has a partial wildcard; only a bare "*" is allowed' },
  ALLOW_WITH_NOT_PRINCIPAL: { findingType: 'SECURITY_WARNING', source: AA, description: 'Allow with NotPrincipal grants everyone not listed, including anonymous callers' },

  // --- resources ------------------------------------------------------------------------
  INVALID_ARN_PREFIX: { findingType: 'ERROR', source: AA, description: 'a resource is neither "*" nor an ARN starting with "arn:"' },
  MISSING_ARN_FIELD: { findingType: 'ERROR', source: AA, description: 'a resource ARN has fewer than six colon-separated fields, or an empty service' },
  INVALID_PARTITION: { findingType: 'ERROR', source: AA, description: 'a resource ARN partition is not a lower-case name (aws, aws-cn, ...)' },
  INVALID_ARN_SERVICE_CASE: { findingType: 'ERROR', source: AA, description: 'a resource ARN service namespace is not lower case' },
  INVALID_ARN_REGION: { findingType: 'ERROR', source: AA, description: 'a resource ARN region has characters other than a-z, 0-9, "-"' },
  INVALID_ARN_ACCOUNT: { findingType: 'ERROR', source: AA, description: 'a resource ARN account is not empty, 12 digits, "aws" or a wildcard' },
  INVALID_ARN_RESOURCE: { findingType: 'ERROR', source: AA, description: 'a resource ARN has an empty resource part' },

  // --- conditions -----------------------------------------------------------------------
  INVALID_CONDITION_OPERATOR: { findingType: 'ERROR', source: AA, description: 'an unknown condition operator (after removing ForAllValues:/ForAnyValue: and IfExists)' },
  INVALID_CONDITION_KEY_FORMAT: { findingType: 'ERROR', source: AA, description: 'a condition key is not of the form prefix:name' },
  INVALID_CONDITION_DATA_TYPE: { findingType: 'ERROR', source: AA, description: 'the values of one condition key mix JSON types' },
  INVALID_CONDITION_MULTIPLE_BOOLEAN: { findingType: 'ERROR', source: AA, description: 'a Bool or Null condition lists both true and false for one key' },
  NULL_WITH_IF_EXISTS: { findingType: 'ERROR', source: AA, description: 'the Null operator cannot take the IfExists suffix' },
  TYPE_MISMATCH_NUMBER: { findingType: 'ERROR', source: PC, description: 'a Numeric* condition value is not a number', note: 'Access Analyzer reports value/operator mismatches as type-mismatch findings; we make them errors because such a condition can never match' },
  TYPE_MISMATCH_DATE: { findingType: 'ERROR', source: PC, description: 'a Date* condition value is neither ISO 8601 nor epoch seconds', note: 'see TYPE_MISMATCH_NUMBER' },
  TYPE_MISMATCH_BOOLEAN: { findingType: 'ERROR', source: PC, description: 'a Bool or Null condition value is not true or false', note: 'see TYPE_MISMATCH_NUMBER' },
  TYPE_MISMATCH_IP_RANGE: { findingType: 'ERROR', source: AA, description: 'an IpAddress/NotIpAddress value is not an IPv4 or IPv6 address or CIDR' },
  TYPE_MISMATCH_BINARY: { findingType: 'ERROR', source: PC, description: 'a BinaryEquals value is not base64', note: 'see TYPE_MISMATCH_NUMBER' },
  TYPE_MISMATCH_ARN: { findingType: 'ERROR', source: PC, description: 'an Arn* condition value is not an ARN (or a wildcard pattern of one)', note: 'see TYPE_MISMATCH_NUMBER' },
  WILDCARD_WITHOUT_LIKE_OPERATOR: { findingType: 'WARNING', source: AA, description: 'a "*" or "?" in a value of an operator that compares literally (use StringLike / ArnLike)' },
  FORALLVALUES_WITH_SINGLE_VALUED_KEY: { findingType: 'SECURITY_WARNING', source: AA, description: 'ForAllValues on a single-valued key is true when the key is absent' },
  FORANYVALUE_WITH_SINGLE_VALUED_KEY: { findingType: 'WARNING', source: PC, description: 'ForAnyValue on a single-valued key is needless; use the plain operator' },
  EMPTY_OBJECT_CONDITION: { findingType: 'SUGGESTION', source: AA, description: 'Condition (or one of its operators) is an empty object' },
  EMPTY_ARRAY_CONDITION: { findingType: 'SUGGESTION', source: AA, description: 'a condition key has an empty array of values' },

  // --- policy variables -----------------------------------------------------------------
  MISSING_BRACE_IN_VARIABLE: { findingType: 'ERROR', source: AA, description: 'a policy variable "${" has no closing "}"' },
  EMPTY_VARIABLE: { findingType: 'ERROR', source: AA, description: 'an empty policy variable "${}"' },
  MISSING_QUOTE_IN_VARIABLE: { findingType: 'ERROR', source: AA, description: "a policy variable default value is not in single quotes: ${key, 'default'}" },
  UNSUPPORTED_SPACE_IN_VARIABLE: { findingType: 'ERROR', source: AA, description: 'a policy variable key contains white space' },
  UNSUPPORTED_SYMBOL_IN_VARIABLE: { findingType: 'ERROR', source: AA, description: 'a policy variable key contains a character not allowed in condition keys' },
  VARIABLE_UNSUPPORTED_IN_ELEMENT: { findingType: 'ERROR', source: AA, description: 'a policy variable in an element that does not take them (only Resource, NotResource and Condition values do)' },
  VARIABLE_UNSUPPORTED_IN_VERSION: { findingType: 'WARNING', source: AA, description: 'a policy variable under Version 2008-10-17 (or no Version) is matched as literal text', note: 'Access Analyzer reports an error; IAM accepts such policies and treats "${...}" literally, so we warn' },

  // --- size -----------------------------------------------------------------------------
  POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA: { findingType: 'ERROR', source: AA, description: 'an identity, boundary, session or guardrail policy is longer than its quota (characters without white space)' },
  POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA: { findingType: 'ERROR', source: AA, description: 'a resource or trust policy is longer than its quota (characters without white space)' },

  // --- permissive shapes ----------------------------------------------------------------
  ALLOW_WITH_NOT_ACTION: { findingType: 'SECURITY_WARNING', source: PC, description: 'Allow with NotAction grants every other action, including ones added later' },
  ALLOW_WITH_NOT_RESOURCE: { findingType: 'SECURITY_WARNING', source: PC, description: 'Allow with NotResource grants every other resource, including ones created later' },

  // --- the service catalog (only when the caller passes the account's catalog view) -------
  INVALID_SERVICE_IN_ACTION: { findingType: 'WARNING', source: AA, description: 'an action names a service that is neither an AWS service nor one of the account\'s own', note: 'Access Analyzer reports an error; Portcullis accepts any service (applications bring their own) and warns' },
  UNKNOWN_ACTION: { findingType: 'WARNING', source: PC, description: 'an action (or action pattern) names no action of its known service', note: 'Access Analyzer reports this as INVALID_ACTION, an error; here INVALID_ACTION is the syntax error, and an action missing from the catalog warns, so a catalog upgrade that drops an action never stops a stored policy from being saved again' },
  INVALID_SERVICE_CONDITION_KEY: { findingType: 'WARNING', source: AA, description: 'a condition key of a known service that the service does not define', note: 'Access Analyzer reports an error; a warning here, as for unknown actions' },
  ACTION_RESOURCE_MISMATCH: { findingType: 'WARNING', source: PC, description: 'an action is paired only with resources of types it never takes (or with specific resources when it takes only "*"), so the statement never applies to it' },

  // --- style ----------------------------------------------------------------------------
  EMPTY_ARRAY_ACTION: { findingType: 'SUGGESTION', source: AA, description: 'Action is an empty array: the statement matches no action' },
  EMPTY_ARRAY_NOT_ACTION: { findingType: 'SUGGESTION', source: AA, description: 'NotAction is an empty array' },
  EMPTY_ARRAY_RESOURCE: { findingType: 'SUGGESTION', source: AA, description: 'Resource is an empty array: the statement matches no resource' },
  EMPTY_ARRAY_NOT_RESOURCE: { findingType: 'SUGGESTION', source: AA, description: 'NotResource is an empty array' },
  EMPTY_ARRAY_PRINCIPAL: { findingType: 'SUGGESTION', source: AA, description: 'a principal type has an empty array of values' },
  EMPTY_OBJECT_PRINCIPAL: { findingType: 'SUGGESTION', source: AA, description: 'Principal or NotPrincipal is an empty object' },
  REDUNDANT_ACTION: { findingType: 'SUGGESTION', source: AA, description: 'an action is already covered by another (wildcard) action in the same statement' },
  REDUNDANT_RESOURCE: { findingType: 'SUGGESTION', source: AA, description: 'a resource is already covered by another (wildcard) resource in the same statement' },
  REDUNDANT_STATEMENT: { findingType: 'SUGGESTION', source: AA, description: 'a statement is identical (apart from Sid) to an earlier one' },
} as const satisfies Record<string, IssueCodeInfo>;

/** A known issue code. */
export type IssueCode = keyof typeof ISSUE_CODES;

/** The finding type the table assigns to `code`. */
export function findingTypeOf(code: IssueCode): FindingType {
  return ISSUE_CODES[code].findingType;
}
