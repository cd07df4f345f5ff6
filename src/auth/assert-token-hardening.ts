/**
 * Checks beyond aws-jwt-verify's, run on every token after its signature is verified.
 * The library accepts a token without `exp` and ignores `iat` and `crit`; Cognito never issues
 * such tokens, so one that looks like that was minted elsewhere.
 */
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import { TokenRejectedError } from './token-rejected-error';

/** Clock skew tolerated for `iat` in the future. */
export const IAT_SKEW_SECONDS = 5;
/** Cognito's longest access/id token validity is one day. */
export const MAX_LIFETIME_SECONDS = 24 * 60 * 60;

/** Throws {@link TokenRejectedError} when a verified token breaks one of our extra rules. */
export function assertTokenHardening(
  header: JwtHeader,
  payload: JwtPayload,
  nowSeconds: number,
): void {
  // RFC 7515 4.1.11: a recipient that does not understand a critical extension must reject.
  if ('crit' in header) {
    throw new TokenRejectedError('crit_header', 'token header must not carry crit parameters');
  }
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new TokenRejectedError('missing_exp', 'token must carry a numeric exp claim');
  }
  // Cognito always sets iat; without it the lifetime below could not be bounded.
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw new TokenRejectedError('invalid_claims', 'token must carry a numeric iat claim');
  }
  if (iat > nowSeconds + IAT_SKEW_SECONDS) {
    throw new TokenRejectedError('issued_in_future', 'token iat claim is in the future');
  }
  if (exp - iat > MAX_LIFETIME_SECONDS) {
    throw new TokenRejectedError('lifetime_too_long', 'token lifetime must be at most 24 hours');
  }
}
