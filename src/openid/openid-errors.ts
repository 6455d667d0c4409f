/**
 * Why an OpenID step failed. The reason is logged; browsers only ever see the generic failure
 * redirect, except for `reason` values that tell an operator about configuration
 * (`provider_unavailable`, `configuration`) and reveal nothing about a particular account, and
 * `banned`, shown only to someone who has just proven to be that account.
 */
export type FailureReason = 'provider_unavailable' | 'configuration' | 'rejected' | 'banned' | 'disabled';

export class OpenIdFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'OpenIdFailure';
  }
}

/** The IdP could not be reached, timed out or answered 5xx: the caller may retry later (RL-05, TR-04). */
export class IdpUnavailableError extends OpenIdFailure {
  constructor(message: string) {
    super('provider_unavailable', message);
    this.name = 'IdpUnavailableError';
  }
}

/** The IdP answered with an OAuth error (`invalid_grant`, `invalid_client`, …). */
export class IdpProtocolError extends OpenIdFailure {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string | undefined,
  ) {
    super('rejected', `identity provider answered ${status} ${error}${description ? `: ${description}` : ''}`);
    this.name = 'IdpProtocolError';
  }
}

export const OPAQUE_ACCESS_TOKEN_HINT =
  'the provider issued an opaque (non-JWT) access token, which cannot be validated as a bearer token; set OPENID_AUDIENCE to an API identifier so the provider issues JWT access tokens (Auth0: the API "Identifier")';
