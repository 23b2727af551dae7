/**
 * Placing a mutation's typed error next to the form field it concerns: ValidationError and
 * MalformedPolicyDocument name their input path; errors about an entity (EntityAlreadyExists,
 * NoSuchEntity) are placed on the field that named that kind of entity. Refusals
 * (AccessDenied, PasswordResetRequired) concern no field: they are general.
 */
import type { EntityType } from '../api/generated/graphql.ts';
import type { ResultError } from '../api/results.ts';
import { fieldOf } from '../api/results.ts';

/** Which form field names each entity type, e.g. `{ USER: 'userName', POLICY: 'policyArn' }`. */
export type EntityFields = Readonly<Partial<Record<EntityType, string>>>;

/** Field name → message for a form, plus an error that belongs to no field. */
export interface FormErrors {
  readonly fields: Readonly<Record<string, string>>;
  readonly general: ResultError | undefined;
}

/** No errors. */
export const NO_ERRORS: FormErrors = { fields: {}, general: undefined };

/** Places `error` on one of `fieldNames` when it concerns one, else reports it as general. */
export function placeError(error: ResultError, fieldNames: readonly string[], entityFields: EntityFields = {}): FormErrors {
  const byPath = fieldOf(error);
  const entityType = 'entityType' in error ? error.entityType : undefined;
  const field = byPath !== undefined && fieldNames.includes(byPath) ? byPath : entityType == null ? undefined : entityFields[entityType];
  if (field === undefined || !fieldNames.includes(field)) return { fields: {}, general: error };
  return { fields: { [field]: error.message }, general: undefined };
}
