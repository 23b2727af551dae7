/** Organizations enum values in words (typed by the generated enums, so a new value fails tsc until labelled). */
import type { OrganizationAccountState, OrganizationPolicyType } from '../../api/generated/graphql.ts';

/** An account's state. */
export const ACCOUNT_STATE_LABELS: Readonly<Record<OrganizationAccountState, string>> = {
  ACTIVE: 'active',
  PENDING_CLOSURE: 'closed (pending closure)',
  SUSPENDED: 'suspended',
};

/** A policy type, short (SCP, RCP). */
export const POLICY_TYPE_SHORT: Readonly<Record<OrganizationPolicyType, string>> = {
  SERVICE_CONTROL_POLICY: 'SCP',
  RESOURCE_CONTROL_POLICY: 'RCP',
};

/** A policy type, in words. */
export const POLICY_TYPE_LABELS: Readonly<Record<OrganizationPolicyType, string>> = {
  SERVICE_CONTROL_POLICY: 'Service control policy',
  RESOURCE_CONTROL_POLICY: 'Resource control policy',
};
