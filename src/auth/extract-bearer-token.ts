import { TokenRejectedError } from './token-rejected-error';

/** Larger headers are refused before any parsing or cryptography (Cognito tokens are ~1-2 KiB). */
export const MAX_AUTHORIZATION_LENGTH = 8192;

const BEARER = /^bearer[ \t]+/i;
// A compact JWS: three base64url segments. Anything else (JWE's five segments, padding, spaces,
// a second token after a comma) is not a Cognito token.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Returns the JWT from an `Authorization: Bearer <jwt>` header value, or throws
 * {@link TokenRejectedError} with the reason. Does no cryptography.
 */
export function extractBearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw new TokenRejectedError('missing_token', 'Authorization header is missing or empty');
  }
  if (header.length > MAX_AUTHORIZATION_LENGTH) {
    throw new TokenRejectedError(
      'token_too_long',
      `Authorization header must be at most ${MAX_AUTHORIZATION_LENGTH} characters`,
    );
  }
  const value = header.trim();
  const scheme = BEARER.exec(value);
  if (scheme === null) {
    throw new TokenRejectedError('not_bearer', 'Authorization header must use the Bearer scheme');
  }
  const credentials = value.slice(scheme[0].length);
  if (/[\s,]/.test(credentials)) {
    throw new TokenRejectedError(
      'multiple_tokens',
      'Authorization header must carry exactly one token',
    );
  }
  if (!COMPACT_JWS.test(credentials)) {
    throw new TokenRejectedError(
      'malformed_token',
      'Bearer token must be a JWT of three base64url segments',
    );
  }
  // base64url's last character carries padding bits that decoders ignore, so one signature has
  // several spellings. Only the canonical one is accepted: a token has exactly one accepted form.
  const signature = credentials.slice(credentials.lastIndexOf('.') + 1);
  if (Buffer.from(signature, 'base64url').toString('base64url') !== signature) {
    throw new TokenRejectedError(
      'malformed_token',
      'Bearer token signature is not canonical base64url',
    );
  }
  return credentials;
}
