import fc from 'fast-check';
import { toKey, VerifiedTokenCache } from '../../../src/auth/verified-token-cache';

const NOW = 1_780_000_000_000;
const LATER = NOW / 1000 + 3600;
const token = (n: number) => `header.payload-${n}.${'s'.repeat(40)}${String(n).padStart(8, '0')}`;

/** A token is remembered the second time it is verified: verifies it twice. */
function remember<T>(cache: VerifiedTokenCache<T>, jwt: string, value: T, exp: unknown): void {
  cache.set(jwt, value, exp);
  cache.set(jwt, value, exp);
}

describe('VerifiedTokenCache', () => {
  it('remembers a token the second time it is verified, not the first', () => {
    const cache = new VerifiedTokenCache<string>(10);
    cache.set(token(1), 'one', LATER);
    expect(cache.get(token(1), NOW)).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set(token(1), 'one', LATER);
    expect(cache.get(token(1), NOW)).toBe('one');
  });

  it('keeps remembered tokens through a burst of tokens verified once, and few of the burst', () => {
    const cache = new VerifiedTokenCache<number>(10_000);
    for (const n of [1, 2, 3]) remember(cache, token(n), n, LATER);
    for (let n = 100; n < 5100; n += 1) cache.set(token(n), n, LATER);
    expect([1, 2, 3].map((n) => cache.get(token(n), NOW))).toEqual([1, 2, 3]);
    // Only the filter's false positives: at most 1 in 8 while it fills.
    expect(cache.size).toBeLessThan(3 + 5000 / 8);
  });

  it('clears its filter as it fills, so tokens verified once stay mostly out', () => {
    const cache = new VerifiedTokenCache<number>(100_000);
    for (let n = 0; n < 100_000; n += 1) cache.set(token(n), n, LATER);
    // A filter never cleared would say "seen" for nearly every token once its 65,536 bits filled.
    expect(cache.size).toBeLessThan(100_000 / 8);
  });

  it('returns what was remembered for the same token until its exp', () => {
    const cache = new VerifiedTokenCache<string>(10);
    remember(cache, token(1), 'one', NOW / 1000 + 60);
    expect(cache.get(token(1), NOW)).toBe('one');
    expect(cache.get(token(1), NOW + 60_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('misses a token that shares the signature tail but differs elsewhere', () => {
    const cache = new VerifiedTokenCache<string>(10);
    const original = token(1);
    remember(cache, original, 'one', LATER);
    expect(cache.get(original, NOW)).toBe('one');
    expect(cache.get(original.replace('payload', 'PAYLOAD'), NOW)).toBeUndefined();
  });

  it('keeps nothing without a numeric exp, or with size 0', () => {
    const cache = new VerifiedTokenCache<string>(10);
    remember(cache, token(1), 'one', undefined);
    remember(cache, token(2), 'two', '9999999999');
    expect(cache.size).toBe(0);
    const off = new VerifiedTokenCache<string>(0);
    remember(off, token(1), 'one', LATER);
    expect(off.get(token(1), NOW)).toBeUndefined();
  });

  it('evicts the oldest entry first', () => {
    const cache = new VerifiedTokenCache<number>(3);
    for (const n of [1, 2, 3, 4]) remember(cache, token(n), n, LATER);
    expect([1, 2, 3, 4].map((n) => cache.get(token(n), NOW))).toEqual([undefined, 2, 3, 4]);
  });

  it('never holds more entries than its size, whatever the sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(
          fc.record({ n: fc.integer({ min: 0, max: 20 }), get: fc.boolean(), late: fc.boolean() }),
        ),
        (size, steps) => {
          const cache = new VerifiedTokenCache<number>(size);
          for (const { n, get, late } of steps) {
            if (get) {
              const found = cache.get(token(n), late ? NOW + 7_200_000 : NOW);
              if (found !== undefined) expect(found).toBe(n);
            } else {
              remember(cache, token(n), n, LATER);
            }
            expect(cache.size).toBeLessThanOrEqual(size);
          }
        },
      ),
    );
  });

  it('serves neither of two tokens for the other when their keys collide', () => {
    // A birthday search over pseudo-random signature tails (a fixed seed: the same pair every run)
    // finds two distinct tokens with one 30-bit key after some tens of thousands of tails.
    const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let state = 0x2545f491;
    const nextCharacter = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return BASE64URL.charAt((state >>> 0) % 64);
    };
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    while (pair === undefined) {
      const tail = Array.from({ length: 16 }, nextCharacter).join('');
      const candidate = `header.payload.${tail}`;
      const other = seen.get(toKey(candidate));
      if (other !== undefined && other !== candidate) pair = [other, candidate];
      else seen.set(toKey(candidate), candidate);
    }
    const [first, second] = pair;
    expect(first).not.toBe(second);
    const cache = new VerifiedTokenCache<string>(10);
    remember(cache, first, 'first', LATER);
    expect(cache.get(first, NOW)).toBe('first');
    expect(cache.get(second, NOW)).toBeUndefined();
    remember(cache, second, 'second', LATER);
    expect(cache.get(second, NOW)).toBe('second');
    expect(cache.get(first, NOW)).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('keys are small integers, whatever the token', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (anyToken) => {
        const key = toKey(anyToken);
        expect(Number.isInteger(key) && key >= 0 && key < 2 ** 30).toBe(true);
      }),
    );
  });
});
