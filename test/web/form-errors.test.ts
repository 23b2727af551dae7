/**
 * A mutation's typed error lands beside the form field it concerns: by its input path, or, for an
 * error about an entity, by the entity type (the API's EntityType enum) the form maps to a field.
 */
import { describe, expect, it } from 'vitest';
import { placeError } from '../../src/web/components/form-errors.ts';
import { changeKindLabel } from '../../src/web/components/labels.ts';

describe('placeError', () => {
  it('places an entity error on the field that names that entity type', () => {
    const exists = { __typename: 'EntityAlreadyExists', code: 'ENTITY_ALREADY_EXISTS', message: 'user alice exists', entityType: 'USER', entityName: 'alice' } as const;
    expect(placeError(exists, ['userName', 'path'], { USER: 'userName' })).toEqual({ fields: { userName: 'user alice exists' }, general: undefined });
    // An entity type the form does not map stays general.
    expect(placeError(exists, ['userName', 'path'], { GROUP: 'groupName' })).toEqual({ fields: {}, general: exists });
  });

  it('places a validation error by its input path, and a refusal on no field', () => {
    const invalid = { __typename: 'ValidationError', code: 'VALIDATION_ERROR', message: 'too long', field: 'input.path', rule: 'length' } as const;
    expect(placeError(invalid, ['userName', 'path'])).toEqual({ fields: { path: 'too long' }, general: undefined });
    const refused = { __typename: 'AccessDenied', code: 'ACCESS_DENIED', message: 'not allowed', action: 'iam:CreateUser' } as const;
    expect(placeError(refused, ['userName'], { USER: 'userName' })).toEqual({ fields: {}, general: refused });
  });
});

describe('changeKindLabel', () => {
  it('reads a change kind as a phrase, keeping acronyms', () => {
    expect(changeKindLabel('POLICY_ATTACHED')).toBe('Policy attached');
    expect(changeKindLabel('MFA_DEVICE_ENABLED')).toBe('MFA device enabled');
  });
});
