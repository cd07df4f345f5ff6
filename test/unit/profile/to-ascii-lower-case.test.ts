import fc from 'fast-check';

import { scalarString } from '../../support/arbitraries';

import { toAsciiLowerCase } from '../../../src/profile/rules/to-ascii-lower-case';

describe('toAsciiLowerCase', () => {
  it('lower-cases A–Z', () => {
    expect(toAsciiLowerCase('Jane_DOE+News@Example.COM')).toBe('jane_doe+news@example.com');
  });

  it('leaves non-ASCII letters as they are, look-alikes included', () => {
    // U+212A KELVIN SIGN and U+0130 (İ) fold to ASCII under toLowerCase; Ä and Σ would change too.
    expect(toAsciiLowerCase('\u212A\u0130\u00C4\u03A3')).toBe('\u212A\u0130\u00C4\u03A3');
  });

  it('agrees with toLowerCase on ASCII text and changes nothing else', () => {
    fc.assert(
      fc.property(scalarString(), (text) => {
        // Code unit by code unit: A–Z are single units, and nothing else may change.
        let expected = '';
        for (let index = 0; index < text.length; index += 1) {
          const unit = text.charAt(index);
          expected += /[A-Z]/.test(unit) ? unit.toLowerCase() : unit;
        }
        expect(toAsciiLowerCase(text)).toBe(expected);
      }),
    );
  });
});
