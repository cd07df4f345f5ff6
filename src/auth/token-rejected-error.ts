/** Why a request was refused; logged as `reason` and asserted by tests. */
export type DenyReason =
  | 'missing_token'
  | 'not_bearer'
  | 'multiple_tokens'
  | 'token_too_long'
  | 'malformed_token'
  | 'invalid_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_exp'
  | 'issued_in_future'
  | 'lifetime_too_long'
  | 'crit_header'
  | 'wrong_issuer'
  | 'wrong_client'
  | 'wrong_token_use'
  | 'unknown_key'
  | 'jwks_unavailable'
  | 'invalid_claims'
  | 'malformed_event'
  | 'verification_failed';

/** A request or token that must be answered with 401: the caller is not authenticated. */
export class TokenRejectedError extends Error {
  constructor(
    readonly reason: DenyReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TokenRejectedError';
  }
}
