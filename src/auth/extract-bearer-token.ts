import { TokenRejectedError } from './token-rejected-error';

/** Larger headers are refused before any parsing or cryptography (Cognito tokens are ~1-2 KiB). */
export const MAX_AUTHORIZATION_LENGTH = 8192;

const SCHEME = 'bearer';
const SPACE = 0x20;
const TAB = 0x09;
// A compact JWS: three base64url segments. Anything else (JWE's five segments, padding, spaces,
// a second token after a comma) is not a Cognito token.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * base64url's last character can carry padding bits that decoders ignore, so one signature has
 * several spellings. Only the canonical one (padding bits zero) is accepted, so a token has exactly
 * one accepted form. O(1): only the last character is inspected.
 */
function isCanonicalBase64Url(segment: string): boolean {
  const remainder = segment.length % 4;
  if (remainder === 1) return false;
  if (remainder === 0) return true;
  const value = BASE64URL.indexOf(segment.charAt(segment.length - 1));
  const paddingBits = remainder === 2 ? 0b1111 : 0b11;
  return (value & paddingBits) === 0;
}

/**
 * Where the credentials start after a case-insensitive `Bearer` and at least one space or tab
 * (RFC 9110 §11.4), or -1. Compared by character codes rather than a regular expression: this runs
 * on every request, cached or not, and the regex's match array was a measurable part of a cache hit.
 */
function credentialsStart(value: string): number {
  if (value.length <= SCHEME.length) return -1;
  for (let i = 0; i < SCHEME.length; i += 1) {
    // OR-ing 0x20 lower-cases an ASCII letter, and maps no other character onto a lower-case letter.
    if ((value.charCodeAt(i) | 0x20) !== SCHEME.charCodeAt(i)) return -1;
  }
  let end = SCHEME.length;
  for (let code = value.charCodeAt(end); code === SPACE || code === TAB;) {
    end += 1;
    code = value.charCodeAt(end);
  }
  return end === SCHEME.length ? -1 : end;
}

/**
 * Returns what follows `Bearer ` in an Authorization header value, or throws
 * {@link TokenRejectedError} (missing, too long, another scheme). The result is not yet known to
 * be a JWT: see {@link assertCompactJws}.
 */
export function extractBearerCredentials(header: string | undefined): string {
  if (header !== undefined && header.length > MAX_AUTHORIZATION_LENGTH) {
    throw new TokenRejectedError(
      'token_too_long',
      `Authorization header must be at most ${MAX_AUTHORIZATION_LENGTH} characters`,
    );
  }
  const value = header?.trim() ?? '';
  if (value === '') {
    throw new TokenRejectedError('missing_token', 'Authorization header is missing or empty');
  }
  const start = credentialsStart(value);
  if (start < 0) {
    throw new TokenRejectedError('not_bearer', 'Authorization header must use the Bearer scheme');
  }
  return value.slice(start);
}

/** Throws {@link TokenRejectedError} unless `credentials` is one compact JWS in canonical base64url. */
export function assertCompactJws(credentials: string): void {
  if (!COMPACT_JWS.test(credentials)) {
    if (/[\s,]/.test(credentials)) {
      throw new TokenRejectedError(
        'multiple_tokens',
        'Authorization header must carry exactly one token',
      );
    }
    throw new TokenRejectedError(
      'malformed_token',
      'Bearer token must be a JWT of three base64url segments',
    );
  }
  if (!hasCanonicalSignature(credentials)) {
    throw new TokenRejectedError(
      'malformed_token',
      'Bearer token signature is not canonical base64url',
    );
  }
}

/**
 * What {@link assertCompactJws} adds to aws-jwt-verify's own parse, for the hot path: the library
 * already refuses anything but three segments of base64url characters, except that it allows `=`
 * padding. So no `=` plus a canonical last character, followed by the library's parse, accepts
 * exactly what assertCompactJws does, without a second pass over the token (that regex was about
 * a sixth of the handler's own instructions per request). When the library then refuses the token as
 * malformed, run assertCompactJws for the precise reason.
 */
export function assertUnpaddedCanonical(credentials: string): void {
  if (credentials.includes('=') || !hasCanonicalSignature(credentials)) {
    assertCompactJws(credentials);
  }
}

/**
 * Whether what follows the second `.` (a three-segment token's signature) is canonical. Found with
 * two forward `indexOf` calls rather than `lastIndexOf`, which V8 runs outside its fast built-ins
 * (measured: 32 against 200 ns on a Cognito token). With more segments this looks at the wrong
 * text, which only decides whether the full check runs: the library refuses such a token anyway,
 * and the full check then names the reason.
 */
function hasCanonicalSignature(credentials: string): boolean {
  const first = credentials.indexOf('.');
  const second = first < 0 ? -1 : credentials.indexOf('.', first + 1);
  return isCanonicalBase64Url(credentials.slice(second + 1));
}

/**
 * Returns the JWT from an `Authorization: Bearer <jwt>` header value, or throws
 * {@link TokenRejectedError} with the reason. Does no cryptography.
 */
export function extractBearerToken(header: string | undefined): string {
  const credentials = extractBearerCredentials(header);
  assertCompactJws(credentials);
  return credentials;
}
