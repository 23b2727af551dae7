/** STS's own refusals, raised in src/sts and mapped to the wire by src/graphql/sts.ts. */
import { IamError } from '../errors.ts';

/**
 * The request is not allowed: trust policy, identity policy, MFA or a rule of STS refused it.
 * The message says which, but never whether an unseen role exists in another account.
 */
export class StsAccessDeniedError extends IamError {
  readonly code = 'AccessDenied';
  constructor(
    readonly action: string,
    readonly resource: string,
    message: string,
  ) {
    super(message);
  }
}

/** A web identity token that is malformed, unsigned by the provider's keys, or for another issuer or audience. */
export class InvalidIdentityTokenError extends IamError {
  readonly code = 'InvalidIdentityToken';
}

/** A web identity token past its `exp`. */
export class ExpiredTokenError extends IamError {
  readonly code = 'ExpiredToken';
}

/** The provider's issuer could not be reached, or answered something that is not its discovery document or key set. */
export class IdpCommunicationError extends IamError {
  readonly code = 'IDPCommunicationError';
}
