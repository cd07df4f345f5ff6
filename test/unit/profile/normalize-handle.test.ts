import fc from 'fast-check';

import { scalarString } from '../../support/arbitraries';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  HANDLE_PATTERN,
  MAX_HANDLE_LENGTH,
  MIN_HANDLE_LENGTH,
  normalizeHandle,
} from '../../../src/profile/rules/normalize-handle';
import { isReservedHandle, RESERVED_HANDLES } from '../../../src/profile/rules/reserved-handles';
import { ProfileValidationError } from '../../../src/profile/rules/validation-error';

const MESSAGES = {
  required: 'Handle is required',
  notText: 'Handle must be text',
  shape: 'Handle must be 3–30 letters (a–z), digits or underscores and start with a letter',
  reserved: 'Handle is reserved; choose another',
} as const;
const ALL_MESSAGES: readonly string[] = Object.values(MESSAGES);

function catchRejection(input: unknown): ProfileValidationError {
  try {
    normalizeHandle(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileValidationError);
    return error as ProfileValidationError;
  }
  throw new Error('expected normalizeHandle to throw');
}

function expectRejection(input: unknown, message: string): void {
  expect(() => normalizeHandle(input)).toThrow(ProfileValidationError);
  const error = catchRejection(input);
  expect(error.field).toBe('preferred_username');
  expect(error.message).toBe(message);
}

const validHandle = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9_]{2,29}$/)
  .filter((handle) => !isReservedHandle(handle));

const arbitraryText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  scalarString(),
  fc.string({
    unit: fc.oneof(
      fc.constantFrom('a', 'Z', '_', '0', ' ', '\u212a', '\uff41', '\u0131', '\u017f', '\u00e9'),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
    ),
  }),
  validHandle,
  fc.mixedCase(fc.constantFrom(...RESERVED_HANDLES)),
);

describe('normalizeHandle', () => {
  it.each([
    ['a lower-case handle', 'jane_doe', 'jane_doe'],
    ['mixed case, stored lower-cased', 'Jane_Doe', 'jane_doe'],
    ['digits after the first letter', 'r2d2', 'r2d2'],
    ['the shortest handle', 'abc', 'abc'],
    ['the longest handle', `a${'b'.repeat(29)}`, `a${'b'.repeat(29)}`],
    ['a trailing underscore', 'jane_', 'jane_'],
    ['surrounding whitespace, trimmed', ' \tJaneDoe\n', 'janedoe'],
    ['a reserved word with more to it', 'admin_jane', 'admin_jane'],
  ])('accepts %s', (_description, input, expected) => {
    expect(normalizeHandle(input)).toBe(expected);
  });

  it.each([
    ['the empty string', ''],
    ['only spaces', '   '],
    ['2 characters', 'ab'],
    ['31 characters', `a${'b'.repeat(30)}`],
    ['a leading digit', '1abc'],
    ['a leading underscore', '_abc'],
    ['a space inside', 'jane doe'],
    ['a dot', 'jane.doe'],
    ['a hyphen', 'jane-doe'],
    ['an accented letter', 'jos\u00e9'],
    ['a decomposed accent', 'jose\u0301'],
    ['the Kelvin sign U+212A, not folded to k', '\u212Aate'],
    ['the long s U+017F, not folded to s', '\u017Fam'],
    ['the dotless i U+0131', 'k\u0131m'],
    ['full-width letters, not folded to ASCII', '\uff4a\uff41\uff4e\uff45'],
    ['Cyrillic look-alikes', '\u0430dmin'],
    ['a zero-width space inside', 'jane\u200bdoe'],
    ['a trailing zero-width space', 'jane\u200b'],
    ['an emoji', 'jane😀'],
    ['a lone surrogate', 'jane\ud800'],
    ['a NUL character', 'jane\u0000'],
  ])('rejects %s', (_description, input) => {
    expectRejection(input, MESSAGES.shape);
  });

  it.each(['admin', 'ADMIN', 'Root', 'support', 'api', 'www', 'Cognito', ' login ', 'UNDEFINED'])(
    'rejects the reserved handle %p',
    (input) => {
      expectRejection(input, MESSAGES.reserved);
    },
  );

  it('rejects "me" for its length before it could be reserved', () => {
    expectRejection('me', MESSAGES.shape);
  });

  it.each([undefined, null])('says %p is required', (input) => {
    expectRejection(input, MESSAGES.required);
  });

  it.each([42, true, { handle: 'jane' }, ['jane'], 10n])('rejects %p', (input) => {
    expectRejection(input, MESSAGES.notText);
  });

  it('never echoes the rejected input', () => {
    for (const input of ['administrator', 'jane\u202edoe', '\u212Aelvin_the_look_alike']) {
      expect(catchRejection(input).message).not.toContain(input);
    }
  });

  describe('properties', () => {
    it('accepts every valid handle and returns it lower-cased', () => {
      fc.assert(
        fc.property(validHandle, (handle) => {
          expect(normalizeHandle(handle)).toBe(handle.toLowerCase());
        }),
      );
    });

    it('returns only lower-case ASCII handles, unchanged by normalizing again', () => {
      fc.assert(
        fc.property(arbitraryText, (input) => {
          let handle: string;
          try {
            handle = normalizeHandle(input);
          } catch {
            return;
          }
          expect(handle).toMatch(/^[a-z][a-z0-9_]{2,29}$/);
          expect(isReservedHandle(handle)).toBe(false);
          expect(normalizeHandle(handle)).toBe(handle);
        }),
        { numRuns: 2000 },
      );
    });

    it('only ever throws ProfileValidationError, with a fixed message for preferred_username', () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), arbitraryText), (input) => {
          try {
            normalizeHandle(input);
          } catch (error) {
            expect(error).toBeInstanceOf(ProfileValidationError);
            const { field, message } = error as ProfileValidationError;
            expect(field).toBe('preferred_username');
            expect(ALL_MESSAGES).toContain(message);
            expect(message.length).toBeLessThan(200);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('rejects every reserved handle in any mix of case', () => {
      fc.assert(
        fc.property(
          fc.mixedCase(fc.constantFrom(...RESERVED_HANDLES.filter((handle) => handle.length >= 3))),
          (handle) => {
            expectRejection(handle, MESSAGES.reserved);
          },
        ),
      );
    });
  });
});

describe('HANDLE_PATTERN', () => {
  it('is the pattern of the constants', () => {
    expect([MIN_HANDLE_LENGTH, MAX_HANDLE_LENGTH]).toEqual([3, 30]);
    expect(HANDLE_PATTERN.source).toBe('^[A-Za-z][A-Za-z0-9_]{2,29}$');
    expect(HANDLE_PATTERN.flags).toBe('');
  });

  // The profile's handle, and the handle a sign-up's kept intent may hold.
  it.each([
    [
      '001_create_profiles.sql',
      /profiles_handle_format CHECK \(handle ~ '\^\[a-z\]\[a-z0-9_\]\{(\d+),(\d+)\}\$'\)/,
    ],
    [
      '002_create_sign_up_intents.sql',
      /sign_up_intents_handle_format CHECK \(handle IS NULL OR handle ~ '\^\[a-z\]\[a-z0-9_\]\{(\d+),(\d+)\}\$'\)/,
    ],
  ])('holds the same numbers as the CHECK constraint of %s', (file, constraint) => {
    const sql = readFileSync(join(__dirname, '..', '..', '..', 'migrations', file), 'utf8');
    const check = constraint.exec(sql);
    expect(check?.slice(1).map(Number)).toEqual([MIN_HANDLE_LENGTH - 1, MAX_HANDLE_LENGTH - 1]);
  });
});
