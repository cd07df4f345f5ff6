import fc from 'fast-check';

import { scalarString } from '../../support/arbitraries';

import { deriveHandle, handleVariant } from '../../../src/profile/rules/derive-handle';
import { normalizeHandle } from '../../../src/profile/rules/normalize-handle';
import { RESERVED_HANDLES } from '../../../src/profile/rules/reserved-handles';
import { ProfileValidationError } from '../../../src/profile/rules/validation-error';

const localPart = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  scalarString(),
  fc.string({ unit: fc.constantFrom('a', 'Z', '1', '_', '.', '+', '-', '\u212a', 'é') }),
  fc.stringMatching(/^[A-Za-z0-9._+-]{1,64}$/),
  fc.mixedCase(fc.constantFrom(...RESERVED_HANDLES)),
);

describe('deriveHandle', () => {
  it.each([
    ['Jane.Doe+news', 'jane_doe'],
    ['jane', 'jane'],
    ['JANE_DOE', 'jane_doe'],
    ['jane..doe--x', 'jane_doe_x'],
    ['_jane_', 'jane'],
    ['.jane.', 'jane'],
    ['jane+a+b', 'jane'],
    ['42', 'user_42'],
    ['007bond', 'user_007bond'],
    ['+news', 'user'],
    ['...', 'user'],
    ['', 'user'],
    ['jo', 'jo_user'],
    ['j', 'j_user'],
    ['j.o', 'j_o'],
    ['admin', 'admin_user'],
    ['Support', 'support_user'],
    ['api+test', 'api_user'],
    ['me', 'me_user'],
    ['jos\u00e9', 'jos'],
    ['\u212Aate', 'ate'],
    ['山田', 'user'],
    ['a'.repeat(40), 'a'.repeat(30)],
    [`${'a'.repeat(29)}.b`, 'a'.repeat(29)],
  ])('derives a handle from %p', (input, expected) => {
    expect(deriveHandle(input)).toBe(expected);
  });

  it('always returns a handle that normalizeHandle accepts unchanged', () => {
    fc.assert(
      fc.property(localPart, (input) => {
        const handle = deriveHandle(input);

        expect(normalizeHandle(handle)).toBe(handle);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('handleVariant', () => {
  it.each([
    ['jane_doe', 0, 'jane_doe'],
    ['jane_doe', 1, 'jane_doe_2'],
    ['jane_doe', 2, 'jane_doe_3'],
    ['jane_doe', 99, 'jane_doe_100'],
    ['Jane_Doe', 0, 'jane_doe'],
    ['a'.repeat(30), 1, `${'a'.repeat(28)}_2`],
    ['a'.repeat(30), 9, `${'a'.repeat(27)}_10`],
    [`${'a'.repeat(27)}_bc`, 1, `${'a'.repeat(27)}_2`],
    ['abc', Number.MAX_SAFE_INTEGER, 'abc_9007199254740992'],
    ['a'.repeat(30), Number.MAX_SAFE_INTEGER, `${'a'.repeat(13)}_9007199254740992`],
  ])('turns %p with n = %p into %p', (handle, n, expected) => {
    expect(handleVariant(handle, n)).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    'throws a RangeError for n = %p',
    (n) => {
      expect(() => handleVariant('jane_doe', n)).toThrow(RangeError);
    },
  );

  it('rejects an invalid handle', () => {
    expect(() => handleVariant('admin', 1)).toThrow(ProfileValidationError);
    expect(() => handleVariant('no', 1)).toThrow(ProfileValidationError);
  });

  it('always returns a handle that normalizeHandle accepts unchanged', () => {
    fc.assert(
      fc.property(localPart, fc.oneof(fc.nat(), fc.maxSafeNat()), (input, n) => {
        const variant = handleVariant(deriveHandle(input), n);

        expect(normalizeHandle(variant)).toBe(variant);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a different candidate for each n from 1 on', () => {
    fc.assert(
      fc.property(localPart, (input) => {
        const handle = deriveHandle(input);
        const variants = Array.from({ length: 120 }, (_unused, index) =>
          handleVariant(handle, index + 1),
        );

        expect(new Set(variants).size).toBe(variants.length);
      }),
      { numRuns: 300 },
    );
  });
});
