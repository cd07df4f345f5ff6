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

/**
 * `error` as a {@link TokenRejectedError}: itself when it is one, else one with `reason`
 * (`verification_failed` unless the caller knows better). Only the class name of an unexpected
 * error travels on: library messages can quote claim values. The one place that turns an
 * unexpected error into a refusal.
 */
export function toTokenRejectedError(
  error: unknown,
  reason: DenyReason = 'verification_failed',
): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  // aws-jwt-verify's errors do not set `name`, so it comes from the constructor.
  const name = error instanceof Error ? error.constructor.name : typeof error;
  return new TokenRejectedError(reason, `token verification failed (${name})`, { cause: error });
}
