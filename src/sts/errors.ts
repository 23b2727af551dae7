/**
 * STS's own failures of web identity federation, raised in src/sts and returned in the result
 * unions of src/graphql/sts.ts. STS refuses with the shared AccessDeniedError (src/errors.ts),
 * whose message says which rule refused but never whether an unseen role exists in another account.
 */
import { IamError } from '../errors.ts';

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

/** The identity provider's SAML response says authentication failed (a non-Success status), as AWS's IDPRejectedClaim. */
export class IdpRejectedClaimError extends IamError {
  readonly code = 'IDPRejectedClaim';
}
