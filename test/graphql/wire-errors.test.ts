import { Writable } from 'node:stream';
import { GraphQLError, parse, type GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  DeleteConflictError,
  EntityAlreadyExistsError,
  LimitExceededError,
  MalformedPolicyDocumentError,
  NoSuchEntityError,
  PasswordResetRequiredError,
  UnauthenticatedError,
  ValidationError,
  type DenialExplanation,
} from '../../src/errors.ts';
import { MfaDeviceLockedError } from '../../src/iam/mfa/lockout.ts';
import { ExpiredTokenError, IdpCommunicationError, InvalidIdentityTokenError } from '../../src/sts/errors.ts';
import { MfaRequiredError, PasswordExpiredError, SignInFailedError, SignInThrottledError } from '../../src/sts/sign-in.ts';
import { ERROR_CODES, errorCodeOf, mapResultError, toGraphQLError, wireError } from '../../src/graphql/wire-errors.ts';
import { schema } from '../../src/graphql/schema.ts';
import { createLogger } from '../../src/logger.ts';
import { createErrorMasker } from '../../src/server/masked-errors.ts';

const EXPLANATION: DenialExplanation = { decision: 'IMPLICIT_DENY', matchedStatements: [], nearMisses: [], missingContextValues: [] };

describe('domain errors on the GraphQL wire', () => {
  it('UnauthenticatedError is UNAUTHENTICATED with HTTP 401 and a www-authenticate header', () => {
    const error = toGraphQLError(new UnauthenticatedError('the session token is not valid, has expired or was revoked'));
    expect(error.message).toBe('the session token is not valid, has expired or was revoked');
    expect(error.extensions).toEqual({
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'www-authenticate': 'Basic realm="portcullis", Bearer' } },
    });
  });

  it('AccessDeniedError is ACCESS_DENIED naming the action and resource, with its explanation only when it has one', () => {
    const who = 'user arn:aws:iam::111122223333:user/pat';
    const plain = toGraphQLError(AccessDeniedError.notAuthorized(who, 'iam:CreateUser', 'arn:aws:iam::111122223333:user/x'));
    expect(plain.message).toBe(`${who} is not authorized to perform iam:CreateUser on resource arn:aws:iam::111122223333:user/x`);
    expect(plain.extensions).toEqual({ code: 'ACCESS_DENIED', action: 'iam:CreateUser', resource: 'arn:aws:iam::111122223333:user/x' });

    const explained = toGraphQLError(AccessDeniedError.notAuthorized(who, 'iam:CreateUser', '*', EXPLANATION));
    expect(explained.extensions).toEqual({ code: 'ACCESS_DENIED', action: 'iam:CreateUser', resource: '*', explanation: EXPLANATION });

    const sts = toGraphQLError(new AccessDeniedError('sts:GetSessionToken', 'arn:x', 'GetSessionToken needs long-term credentials (an access key), not a session'));
    expect(sts.message).toBe('GetSessionToken needs long-term credentials (an access key), not a session');
    expect(sts.extensions).toEqual({ code: 'ACCESS_DENIED', action: 'sts:GetSessionToken', resource: 'arn:x' });
  });

  it('PasswordResetRequiredError is PASSWORD_RESET_REQUIRED listing what is still allowed', () => {
    const error = toGraphQLError(new PasswordResetRequiredError('createUser'));
    expect(error.message).toBe('createUser is not available until the password is changed: call changePassword (or signOut) with this session');
    expect(error.extensions).toEqual({ code: 'PASSWORD_RESET_REQUIRED', allowed: ['changePassword', 'signOut', 'callerIdentity', 'accountPasswordPolicy'] });
  });

  it('other IamErrors get their ErrorCode, and their field and rule when they have them', () => {
    expect(toGraphQLError(new ValidationError('input.userName', 'length', 'too long')).extensions).toEqual({ code: 'VALIDATION_ERROR', field: 'input.userName', rule: 'length' });
    expect(toGraphQLError(new NoSuchEntityError('User', 'pat')).extensions).toEqual({ code: 'NO_SUCH_ENTITY' });
    expect(toGraphQLError(new DeleteConflictError('Group', 'admins', 'members')).extensions).toEqual({ code: 'DELETE_CONFLICT' });
    expect(toGraphQLError(new MalformedPolicyDocumentError('input.policyDocument', [])).extensions).toEqual({ code: 'MALFORMED_POLICY_DOCUMENT', field: 'input.policyDocument' });
  });

  it('every domain error class has an ErrorCode, the enum holds every value of the table, and no two classes share one', () => {
    const now = new Date();
    const errors = [
      new ValidationError('f', 'r', 'm'),
      new NoSuchEntityError('User', 'u'),
      new EntityAlreadyExistsError('User', 'u'),
      new LimitExceededError('q', 1, 'm'),
      new DeleteConflictError('User', 'u', 'd'),
      new MalformedPolicyDocumentError('f', []),
      new UnauthenticatedError('m'),
      AccessDeniedError.notAuthorized('w', 'a', 'r'),
      new PasswordResetRequiredError('x'),
      new InvalidIdentityTokenError('m'),
      new ExpiredTokenError('m'),
      new IdpCommunicationError('m'),
      new MfaDeviceLockedError('arn:mfa', now, now),
      new SignInFailedError(),
      new SignInThrottledError(1),
      new MfaRequiredError(),
      new PasswordExpiredError(),
    ];
    const codes = errors.map((error) => errorCodeOf(error));
    expect(new Set(codes).size).toBe(errors.length);
    expect(codes).toEqual(expect.arrayContaining(['ACCESS_DENIED', 'UNAUTHENTICATED', 'PASSWORD_RESET_REQUIRED', 'VALIDATION_ERROR', 'NO_SUCH_ENTITY', 'MFA_DEVICE_LOCKED', 'SIGN_IN_THROTTLED']));
    const values = (schema.getType('ErrorCode') as GraphQLEnumType).getValues();
    expect(values.map((value) => value.name).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const value of values) expect(value.description, value.name).toMatch(/AWS/);
    expect(() => errorCodeOf({ code: 'SomethingNew' })).toThrow(/no ErrorCode/);
  });

  it('wireError maps domain errors and passes anything else through', () => {
    const unexpected = new Error('boom');
    expect(wireError(unexpected)).toBe(unexpected);
    expect((wireError(new NoSuchEntityError('Role', 'r')) as GraphQLError).extensions['code']).toBe('NO_SUCH_ENTITY');
  });

  it('a located error raised for a domain error keeps its path and locations', () => {
    const document = parse('{ user(userName: "pat") { userName } }');
    const field = (document.definitions[0] as { selectionSet: { selections: readonly unknown[] } }).selectionSet.selections[0] as never;
    const located = new GraphQLError('denied', { nodes: [field], path: ['user'], originalError: AccessDeniedError.notAuthorized('user u', 'iam:GetUser', 'arn:u') });
    const mapped = mapResultError(located);
    expect(mapped.toJSON()).toEqual({
      message: 'user u is not authorized to perform iam:GetUser on resource arn:u',
      locations: [{ line: 1, column: 3 }],
      path: ['user'],
      extensions: { code: 'ACCESS_DENIED', action: 'iam:GetUser', resource: 'arn:u' },
    });
    // An error raised for the client on purpose is not a domain error: unchanged.
    const coded = new GraphQLError('bad', { extensions: { code: 'BAD_USER_INPUT' } });
    expect(mapResultError(coded)).toBe(coded);
  });

  it('the masker maps a domain error that reaches it, and still masks an unknown error', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const mask = createErrorMasker(logger);
    const unauthenticated = mask(new UnauthenticatedError('the access key id or secret access key is not valid'), 'Unexpected error.') as GraphQLError;
    expect(unauthenticated.extensions['code']).toBe('UNAUTHENTICATED');
    expect(lines).toEqual([]);

    const masked = mask(new GraphQLError('oops', { originalError: new TypeError('x is undefined') }), 'Unexpected error.') as GraphQLError;
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions['code']).toBe('INTERNAL_SERVER_ERROR');
    expect(lines).toHaveLength(1);
  });
});
