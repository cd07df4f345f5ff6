/**
 * When the pool's JWKS may be fetched again. aws-jwt-verify's `SimplePenaltyBox` blocks a JWKS URI
 * for 10 s after a fetch that did not contain the token's `kid`, but a fetch that *failed* (refused,
 * timed out, 500, not a JWKS) is not registered with it, so every request during an outage fetched
 * again (https://github.com/awslabs/aws-jwt-verify#rate-limiting; the cache calls the penalty box
 * only around a fetch that succeeded:
 * https://github.com/awslabs/aws-jwt-verify#using-a-different-penaltybox-with-simplejwkscache).
 * This penalty box covers both, on an injected clock (tests move it instead of sleeping), and the
 * fetch guard reports failures to it.
 */
import { FetchError, WaitPeriodNotYetEndedJwkError } from 'aws-jwt-verify/error';
import type { PenaltyBox } from 'aws-jwt-verify/jwk';

/** A fetch was refused without touching the network: the last one for this URI failed. */
export class JwksBackoffError extends FetchError {
  constructor(uri: string, retryAtMs: number) {
    super(
      uri,
      `not fetched again before ${new Date(retryAtMs).toISOString()}: the last fetch failed`,
    );
    this.name = 'JwksBackoffError';
  }
}

type Cause = 'fetch_failed' | 'kid_not_found';

export interface JwksBackoffOptions {
  /** How long a JWKS URI is left alone after a failed fetch or a fetch without the wanted kid. */
  waitMs: number;
  /** Milliseconds since the epoch. */
  nowMs: () => number;
}

/** At most one JWKS fetch per URI (per issuer) per `waitMs` after a failure; known keys unaffected. */
export class JwksBackoff implements PenaltyBox {
  private readonly blocked = new Map<string, { untilMs: number; cause: Cause }>();

  constructor(private readonly options: JwksBackoffOptions) {}

  /**
   * Throws {@link JwksBackoffError} (after a failed fetch) or the library's
   * `WaitPeriodNotYetEndedJwkError` (after a fetch without the kid) while `uri` is blocked.
   */
  assertMayFetch(uri: string): void {
    const entry = this.blocked.get(uri);
    if (entry === undefined) return;
    if (this.options.nowMs() >= entry.untilMs) {
      this.blocked.delete(uri);
      return;
    }
    if (entry.cause === 'fetch_failed') throw new JwksBackoffError(uri, entry.untilMs);
    throw new WaitPeriodNotYetEndedJwkError(
      'Not allowed to fetch JWKS yet, still waiting for back off period to end',
    );
  }

  /** Blocks `uri` after a fetch that failed (called by the fetch guard). */
  registerFailedFetch(uri: string): void {
    this.block(uri, 'fetch_failed');
  }

  /** PenaltyBox: called by the library's cache before it fetches for an unknown kid. */
  wait(uri: string): Promise<void> {
    // A throw inside the executor becomes the rejection.
    return new Promise((resolve) => {
      this.assertMayFetch(uri);
      resolve();
    });
  }

  /** PenaltyBox: the fetched JWKS did not hold the token's kid. */
  registerFailedAttempt(uri: string): void {
    this.block(uri, 'kid_not_found');
  }

  /** PenaltyBox: the fetched JWKS held the token's kid. */
  registerSuccessfulAttempt(uri: string): void {
    this.blocked.delete(uri);
  }

  private block(uri: string, cause: Cause): void {
    this.blocked.set(uri, { untilMs: this.options.nowMs() + this.options.waitMs, cause });
  }
}
