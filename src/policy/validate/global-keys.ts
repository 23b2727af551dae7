/**
 * Global condition keys that carry one value per request. Set qualifiers (ForAllValues,
 * ForAnyValue) are meant for multivalued keys such as aws:TagKeys; on these keys they are a
 * mistake, and ForAllValues is even true when the key is missing.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */

const SINGLE_VALUED = new Set(
  [
    'aws:CurrentTime',
    'aws:EpochTime',
    'aws:FederatedProvider',
    'aws:MultiFactorAuthAge',
    'aws:MultiFactorAuthPresent',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:PrincipalIsAWSService',
    'aws:PrincipalOrgID',
    'aws:PrincipalServiceName',
    'aws:PrincipalType',
    'aws:Referer',
    'aws:RequestedRegion',
    'aws:ResourceAccount',
    'aws:ResourceOrgID',
    'aws:SecureTransport',
    'aws:SourceAccount',
    'aws:SourceArn',
    'aws:SourceIdentity',
    'aws:SourceIp',
    'aws:SourceOrgID',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:TokenIssueTime',
    'aws:UserAgent',
    'aws:userid',
    'aws:username',
    'aws:ViaAWSService',
    'aws:VpcSourceIp',
  ].map((k) => k.toLowerCase()),
);

/** Tag keys such as aws:PrincipalTag/team hold one value per tag. */
const SINGLE_VALUED_PREFIXES = ['aws:principaltag/', 'aws:requesttag/', 'aws:resourcetag/'];

/** True when `key` (any case) is a known single-valued global condition key. */
export function isSingleValuedGlobalKey(key: string): boolean {
  const folded = key.toLowerCase();
  return SINGLE_VALUED.has(folded) || SINGLE_VALUED_PREFIXES.some((p) => folded.startsWith(p) && folded.length > p.length);
}
