/**
 * Principal value syntax per principal type.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import type { IssueCode } from './issue-codes.ts';

/** The principal types a Principal/NotPrincipal object may use (case-sensitive). */
export const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

/** A principal value problem: issue code and reason. */
export interface PrincipalSyntaxError {
  readonly code: IssueCode;
  readonly reason: string;
}

const ACCOUNT_ID = /^[0-9]{12}$/;
const IAM_PRINCIPAL_ARN =
  /^arn:[a-z][a-z0-9-]*:(?:iam::[0-9]{12}:(?:root|user\/.+|role\/.+)|sts::[0-9]{12}:(?:assumed-role\/[^/]+\/.+|federated-user\/.+))$/;
const FEDERATED_PROVIDER_ARN = /^arn:[a-z][a-z0-9-]*:iam::[0-9]{12}:(?:saml-provider|oidc-provider)\/.+$/;
const DNS_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;
const CANONICAL_USER = /^[0-9a-f]{64}$/;

const WILDCARD: PrincipalSyntaxError = {
  code: 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
  reason: 'wildcards are not allowed in principal values except a bare "*" in "AWS"; use a condition such as aws:PrincipalArn with ArnLike instead',
};

/** The problem with one principal value of type `type`, or undefined when it is well formed. */
export function principalSyntaxError(type: (typeof PRINCIPAL_TYPES)[number], value: string): PrincipalSyntaxError | undefined {
  if (type === 'AWS' && value === '*') return undefined;
  if (value.includes('*') || value.includes('?')) return WILDCARD;
  switch (type) {
    case 'AWS':
      if (ACCOUNT_ID.test(value) || IAM_PRINCIPAL_ARN.test(value)) return undefined;
      return {
        code: 'INVALID_PRINCIPAL_FORMAT',
        reason: 'use "*", a 12-digit account id, or an IAM or STS principal ARN (root, user/, role/, assumed-role/, federated-user/)',
      };
    case 'Service':
      if (DNS_NAME.test(value)) return undefined;
      return { code: 'INVALID_SERVICE_PRINCIPAL_FORMAT', reason: 'a service principal is a lower-case DNS name such as "ec2.amazonaws.com"' };
    case 'Federated':
      if (FEDERATED_PROVIDER_ARN.test(value) || DNS_NAME.test(value)) return undefined;
      return { code: 'INVALID_PRINCIPAL_FORMAT', reason: 'use a SAML or OIDC provider ARN or an identity provider name such as "accounts.google.com"' };
    case 'CanonicalUser':
      if (CANONICAL_USER.test(value)) return undefined;
      return { code: 'INVALID_PRINCIPAL_FORMAT', reason: 'a canonical user id is 64 lower-case hexadecimal characters' };
  }
}
