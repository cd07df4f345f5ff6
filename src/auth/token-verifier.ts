/**
 * The Cognito JWT verifier: aws-jwt-verify's `CognitoJwtVerifier` plus our hardening checks,
 * created once per container.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwkValidationError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache, type Jwks } from 'aws-jwt-verify/jwk';
import type { Fetcher } from 'aws-jwt-verify/https';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { AuthorizerConfig } from '../config';
import { assertTokenHardening } from './assert-token-hardening';
import { JwksBackoff } from './jwks-backoff';
import { guardJwksFetcher } from './jwks-fetch-guard';
import { createJwksFetcher } from './jwks-fetcher';
import {
  toTokenRejectedError,
  type DenyReason,
  type TokenRejectedError,
} from './token-rejected-error';

export interface TokenVerifier {
  /** Resolves to the verified payload or rejects with {@link TokenRejectedError}. */
  verify(token: string): JwtPayload | Promise<JwtPayload>;
  /**
   * Loads the pool's JWKS ahead of the first request; never rejects and settles within the fetch
   * timeout (a failure blocks further fetches for the backoff period; known keys keep working).
   */
  hydrate(): Promise<void>;
}

export interface TokenVerifierOptions {
  /** Keys to trust instead of the pool's (local runs and tests): nothing is fetched then. */
  jwks?: Jwks;
  /** Seconds since the epoch, for token times and the JWKS backoff; tests freeze it. */
  nowSeconds?: () => number;
  /**
   * How the pool's JWKS is downloaded (HTTPS by default); tests serve keys from memory or a local
   * server. Whatever it is, the timeout, the backoff and the JWKS check are applied around it.
   */
  fetcher?: Fetcher;
}

const REASONS: [abstract new (...args: never[]) => Error, DenyReason][] = [
  [JwtExpiredError, 'expired'],
  [JwtNotBeforeError, 'not_yet_valid'],
  [JwtInvalidSignatureError, 'invalid_signature'],
  [JwtInvalidSignatureAlgorithmError, 'invalid_signature'],
  [JwtParseError, 'malformed_token'],
  [JwtWithoutValidKidError, 'malformed_token'],
  [JwtInvalidIssuerError, 'wrong_issuer'],
  // What the library throws at verification time for a token of an issuer it was not created for.
  [ParameterValidationError, 'wrong_issuer'],
  [JwtInvalidAudienceError, 'wrong_client'],
  [CognitoJwtInvalidClientIdError, 'wrong_client'],
  [CognitoJwtInvalidTokenUseError, 'wrong_token_use'],
  [KidNotFoundInJwksError, 'unknown_key'],
  [JwksNotAvailableInCacheError, 'unknown_key'],
  [WaitPeriodNotYetEndedJwkError, 'unknown_key'],
  [JwkValidationError, 'unknown_key'],
  [FetchError, 'jwks_unavailable'],
  [JwksValidationError, 'jwks_unavailable'],
];

/** Maps whatever verification threw to a {@link TokenRejectedError} with a reason code. */
export function toVerificationError(error: unknown): TokenRejectedError {
  return toTokenRejectedError(error, REASONS.find(([type]) => error instanceof type)?.[1]);
}

function needsFetch(error: unknown): boolean {
  return error instanceof JwksNotAvailableInCacheError || error instanceof KidNotFoundInJwksError;
}

/**
 * Creates the verifier for the configured pools, their clients and the token use. One
 * `CognitoJwtVerifier` serves every pool: it picks the pool by the token's `iss`, and since
 * aws-jwt-verify 5.2 accepts both of Cognito's issuer forms for each pool,
 * `https://cognito-idp.<region>.amazonaws.com/<pool>` and `https://issuer-cognito-idp.<region>.amazonaws.com/<pool>`
 * (node_modules/aws-jwt-verify/dist/cjs/cognito-verifier.js), fetching each form's JWKS from
 * `<iss>/.well-known/jwks.json`.
 */
export function createTokenVerifier(
  config: Pick<
    AuthorizerConfig,
    'pools' | 'tokenUse' | 'jwksFetchTimeoutMs' | 'jwksBackoffSeconds'
  >,
  options: TokenVerifierOptions = {},
): TokenVerifier {
  const nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
  // One backoff for both reasons not to fetch: the last fetch failed, or it lacked the token's kid.
  const backoff = new JwksBackoff({
    waitMs: config.jwksBackoffSeconds * 1000,
    nowMs: () => nowSeconds() * 1000,
  });
  const fetcher = guardJwksFetcher(options.fetcher ?? createJwksFetcher(), {
    timeoutMs: config.jwksFetchTimeoutMs,
    backoff,
  });
  const tokenUse = config.tokenUse === 'any' ? null : config.tokenUse;
  const customJwtCheck = ({ header, payload }: { header: JwtHeader; payload: JwtPayload }) => {
    assertTokenHardening(header, payload, nowSeconds());
  };
  const verifier = CognitoJwtVerifier.create(
    config.pools.map(({ userPoolId, clientIds }) => ({
      userPoolId,
      clientId: clientIds,
      tokenUse,
      customJwtCheck,
    })),
    { jwksCache: new SimpleJwksCache({ fetcher, penaltyBox: backoff }) },
  );
  const localKeys = options.jwks;
  // Local runs and tests: the same keys for every pool (and both issuer forms of each).
  if (localKeys !== undefined) {
    for (const { userPoolId } of config.pools) verifier.cacheJwks(localKeys, userPoolId);
  }

  const verifyAsync = async (token: string): Promise<JwtPayload> => {
    try {
      // Fetches the JWKS for an unknown kid (key rotation) or a JWKS not loaded yet. The backoff
      // allows one fetch per JWKS_BACKOFF_SECONDS after a miss or a failure, so random kids and a
      // broken endpoint cannot cause a fetch storm, and each fetch is bounded by
      // JWKS_FETCH_TIMEOUT_MS: the worst request waits two bounds (the cold-start fetch, then a
      // refetch for a kid it lacked), never the function timeout.
      return await verifier.verify(token);
    } catch (error) {
      throw toVerificationError(error);
    }
  };

  return {
    verify(token) {
      try {
        // The synchronous path needs the key in memory already, which is the common case; it
        // skips a promise per request on the hot path.
        return verifier.verifySync(token);
      } catch (error) {
        if (localKeys === undefined && needsFetch(error)) return verifyAsync(token);
        throw toVerificationError(error);
      }
    },
    async hydrate() {
      if (localKeys !== undefined) return;
      try {
        await verifier.hydrate();
      } catch {
        // Logged by the first request it denies; fetched again after the backoff period.
      }
    },
  };
}
