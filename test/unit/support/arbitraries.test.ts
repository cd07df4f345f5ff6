import fc from 'fast-check';

import { scalarString, scalarValue } from '../../support/arbitraries';

describe('scalarString', () => {
  it("draws the same strings as fast-check's unit 'binary' for the same seed", () => {
    // The one place that pays for fast-check's own table (about 0.8 s), to show ours is the same.
    for (const seed of [1, 42, 20_261_202]) {
      expect(fc.sample(scalarString(), { seed, numRuns: 200 })).toEqual(
        fc.sample(fc.string({ unit: 'binary' }), { seed, numRuns: 200 }),
      );
    }
  });

  it('never draws a surrogate, and shrinks any scalar value but no surrogate', () => {
    const drawn = fc.sample(scalarValue, { seed: 7, numRuns: 5000 });
    expect(drawn.filter((value) => /\p{Cs}/u.test(value))).toEqual([]);
    expect(scalarValue.canShrinkWithoutContext(String.fromCodePoint(0x10ffff))).toBe(true);
    expect(scalarValue.canShrinkWithoutContext('\ud800')).toBe(false);
  });
});
