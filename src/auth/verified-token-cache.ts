import type { JwtPayload } from 'aws-jwt-verify/jwt-model';

/**
 * Remembers tokens that passed full verification, so a client repeating its token skips the RSA
 * check. Keyed by the whole token string: a token differing in any byte (signature included) is
 * a miss and goes through verification. An entry is dropped at the token's `exp`; the number of
 * entries is capped, evicting the oldest first, so memory stays bounded
 * (entries x 8 KiB, the longest header accepted).
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { payload: JwtPayload; expiresAtMs: number }>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The verified payload of `token`, if remembered and not yet expired at `nowMs`. */
  get(token: string, nowMs: number): JwtPayload | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.payload;
  }

  /** Remembers a verified token until its `exp`; tokens without a numeric `exp` are not kept. */
  set(token: string, payload: JwtPayload): void {
    if (this.maxEntries === 0 || typeof payload.exp !== 'number') return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { payload, expiresAtMs: payload.exp * 1000 });
  }
}
