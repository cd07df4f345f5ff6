import fc from 'fast-check';
import { VerifiedTokenCache } from '../../../src/auth/verified-token-cache';

const NOW = 1_780_000_000_000;
const LATER = NOW / 1000 + 3600;
const token = (n: number) => `header.payload-${n}.${'s'.repeat(40)}${String(n).padStart(8, '0')}`;

describe('VerifiedTokenCache', () => {
  it('returns what was remembered for the same token until its exp', () => {
    const cache = new VerifiedTokenCache<string>(10);
    cache.set(token(1), 'one', NOW / 1000 + 60);
    expect(cache.get(token(1), NOW)).toBe('one');
    expect(cache.get(token(1), NOW + 60_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('misses a token that shares the signature tail but differs elsewhere', () => {
    const cache = new VerifiedTokenCache<string>(10);
    const original = token(1);
    cache.set(original, 'one', LATER);
    expect(cache.get(original.replace('payload', 'PAYLOAD'), NOW)).toBeUndefined();
  });

  it('keeps nothing without a numeric exp, or with size 0', () => {
    const cache = new VerifiedTokenCache<string>(10);
    cache.set(token(1), 'one', undefined);
    cache.set(token(2), 'two', '9999999999');
    expect(cache.size).toBe(0);
    const off = new VerifiedTokenCache<string>(0);
    off.set(token(1), 'one', LATER);
    expect(off.get(token(1), NOW)).toBeUndefined();
  });

  it('evicts the oldest entry first', () => {
    const cache = new VerifiedTokenCache<number>(3);
    for (const n of [1, 2, 3, 4]) cache.set(token(n), n, LATER);
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
              cache.set(token(n), n, LATER);
            }
            expect(cache.size).toBeLessThanOrEqual(size);
          }
        },
      ),
    );
  });
});
