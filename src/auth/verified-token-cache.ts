/**
 * Remembers what was learnt from tokens that passed full verification, so a client repeating its
 * token skips the RSA check. An entry is found by a small number hashed from the last characters
 * of the token's signature (cheaper than hashing a string) and served only when the whole token
 * string is equal, so a token differing in any byte is a miss and goes through verification.
 *
 * A token is remembered the second time it is verified, not the first: one-shot tokens (most of a
 * burst of new sign-ins, or a caller minting a token per call) then neither push out tokens that
 * are in use nor stay in memory until evicted, where the garbage collector copied each of them
 * (measured on distinct tokens: 1.3 µs a request of garbage-collection time, 4% of a
 * verification). A repeated token costs one
 * extra verification. An entry is dropped at the token's `exp`; the number of entries is capped,
 * evicting the oldest first, so memory stays bounded (entries x 8 KiB, the longest header accepted).
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<number, { token: string; value: T; expiresAtMs: number }>();
  /**
   * Keys in insertion order, as a ring: the slot about to be reused holds the oldest key. (Evicting
   * through `entries.keys().next()` would walk over the holes deletions leave at the front of the
   * map on every insert.) A slot may name a key already gone; evicting it then costs nothing.
   */
  private readonly order: (number | undefined)[];
  private nextSlot = 0;
  /**
   * One bit per key (modulo its size) of a token verified once since the last clearing: a filter
   * that may say "seen" wrongly (then a one-shot token is remembered, as without it) and is cleared
   * when an eighth of its bits have been set, keeping those false positives below 1 in 8.
   */
  private readonly seen = new Uint32Array(SEEN_BITS / 32);
  private seenCount = 0;

  constructor(private readonly maxEntries: number) {
    this.order = new Array<number | undefined>(maxEntries);
  }

  get size(): number {
    return this.entries.size;
  }

  /** What was remembered for `token`, if anything and not yet expired at `nowMs`. */
  get(token: string, nowMs: number): T | undefined {
    const key = toKey(token);
    const entry = this.entries.get(key);
    if (entry?.token !== token) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Remembers `value` for a verified token until `exp` (seconds); nothing is kept without one. */
  set(token: string, value: T, exp: unknown): void {
    if (this.maxEntries === 0 || typeof exp !== 'number') return;
    const key = toKey(token);
    if (!this.entries.has(key)) {
      if (!this.seenBefore(key)) return;
      const oldest = this.order[this.nextSlot];
      if (oldest !== undefined) this.entries.delete(oldest);
      this.order[this.nextSlot] = key;
      this.nextSlot = (this.nextSlot + 1) % this.maxEntries;
    }
    this.entries.set(key, { token, value, expiresAtMs: exp * 1000 });
  }

  /** Whether `key` was verified before since the filter was cleared; marks it if not. */
  private seenBefore(key: number): boolean {
    const word = (key >>> 5) % this.seen.length;
    const bit = 1 << (key & 31);
    const bits = this.seen[word] ?? 0;
    if ((bits & bit) !== 0) return true;
    this.seen[word] = bits | bit;
    this.seenCount += 1;
    if (this.seenCount >= SEEN_BITS / 8) {
      this.seen.fill(0);
      this.seenCount = 0;
    }
    return false;
  }
}

/** Bits of the seen-once filter: 8 KiB. */
const SEEN_BITS = 65_536;

// FNV-1a (32-bit): well spread over the low bits kept, for about one multiply a character.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** base64url characters hashed: 30 bits of key from 12 characters of the signature (72 bits). */
const KEY_CHARACTERS = 12;

/**
 * A 30-bit hash of the token's last characters (a signature's, for a JWT): a small integer, which
 * a Map finds without allocating or hashing a string. Two tokens sharing a key only cost a cache
 * miss, because {@link VerifiedTokenCache.get} compares the whole token, and only verified tokens
 * are ever stored, so a caller cannot fill the cache with keys of its choosing.
 */
export function toKey(token: string): number {
  let hash = FNV_OFFSET;
  for (let i = Math.max(0, token.length - KEY_CHARACTERS); i < token.length; i += 1) {
    hash = Math.imul(hash ^ token.charCodeAt(i), FNV_PRIME);
  }
  // Within V8's small-integer range, so the key is never boxed.
  return hash & 0x3fffffff;
}
