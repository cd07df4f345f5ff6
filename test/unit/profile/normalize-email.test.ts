import fc from 'fast-check';

import { scalarString } from '../../support/arbitraries';

import { emailDomain, normalizeEmail } from '../../../src/profile/rules/normalize-email';
import { ProfileValidationError } from '../../../src/profile/rules/validation-error';

const MESSAGES = {
  required: 'Email is required',
  notText: 'Email must be text',
  invisible: 'Email must not contain spaces or invisible characters',
  tooLong: 'Email must be at most 254 characters',
  localPartTooLong: 'Email must have at most 64 characters before the @',
  shape: 'Email must be an address like name@example.com',
} as const;
const ALL_MESSAGES: readonly string[] = Object.values(MESSAGES);

function catchRejection(input: unknown): ProfileValidationError {
  try {
    normalizeEmail(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileValidationError);
    return error as ProfileValidationError;
  }
  throw new Error('expected normalizeEmail to throw');
}

function expectRejection(input: unknown, message: string): void {
  expect(() => normalizeEmail(input)).toThrow(ProfileValidationError);
  const error = catchRejection(input);
  expect(error.field).toBe('email');
  expect(error.message).toBe(message);
}

const label = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,10}[A-Za-z0-9])?$/);
const validEmail = fc
  .record({
    localPart: fc.stringMatching(/^[A-Za-z0-9._+-]{1,64}$/),
    labels: fc.array(label, { minLength: 2, maxLength: 4 }),
  })
  .map(({ localPart, labels }) => `${localPart}@${labels.join('.')}`)
  .filter((email) => email.length <= 254);

const arbitraryText = fc.oneof(
  fc.string(),
  scalarString(),
  fc.string({
    unit: fc.oneof(
      fc.constantFrom('a', 'B', '@', '.', '+', ' ', '\t', '\u00a0', '\u202e', '\u0000', '\u212a'),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
    ),
  }),
  validEmail,
);

describe('normalizeEmail', () => {
  it.each([
    ['a plain address', 'jane@example.com', 'jane@example.com'],
    ['upper case, stored lower-cased', 'Jane.Doe@Example.COM', 'jane.doe@example.com'],
    ['plus-addressing, kept', 'Jane+News@example.com', 'jane+news@example.com'],
    ['surrounding whitespace, trimmed', '  jane@example.com\n', 'jane@example.com'],
    ['a subdomain', 'jane@mail.example.co.uk', 'jane@mail.example.co.uk'],
    ['a 64-character local part', `${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
    ['a non-ASCII local part', 'josé@example.com', 'josé@example.com'],
  ])('accepts %s', (_description, input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it('accepts an address of exactly 254 characters', () => {
    const input = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(input).toHaveLength(254);

    expect(normalizeEmail(input)).toBe(input);
  });

  it('does not fold the Kelvin sign U+212A into an ASCII "k"', () => {
    // Lower-casing it would store, and check allow-lists against, a different domain from the
    // one Cognito sends mail to.
    expect(normalizeEmail('jane@\u212Aexample.com')).toBe('jane@\u212Aexample.com');
  });

  it.each([
    ['the empty string', ''],
    ['no @', 'jane.example.com'],
    ['two @', 'jane@doe@example.com'],
    ['a doubled @', 'jane@@example.com'],
    ['an empty local part', '@example.com'],
    ['an empty domain', 'jane@'],
    ['a domain without a dot', 'jane@localhost'],
    ['a leading dot in the domain', 'jane@.example.com'],
    ['a trailing dot in the domain', 'jane@example.com.'],
    ['two dots in a row in the domain', 'jane@example..com'],
  ])('rejects %s', (_description, input) => {
    expectRejection(input, MESSAGES.shape);
  });

  it.each([
    ['a space inside', 'jane doe@example.com'],
    ['a tab inside', 'jane@exam\tple.com'],
    ['a no-break space inside', 'jane\u00a0@example.com'],
    ['a line break inside', 'jane@example.com\nbcc@example.com'],
    ['a NUL character', 'jane\u0000@example.com'],
    ['a right-to-left override', 'jane@\u202emoc.elpmaxe'],
    ['a lone surrogate', 'jane\ud800@example.com'],
    ['a zero-width space inside', 'ja\u200bne@example.com'],
    ['a soft hyphen inside', 'jane@exam\u00adple.com'],
    ['a word joiner inside', 'jane\u2060@example.com'],
    ['a zero-width no-break space inside', 'jane@\ufeffexample.com'],
  ])('rejects %s', (_description, input) => {
    expectRejection(input, MESSAGES.invisible);
  });

  it('rejects a local part of 65 characters', () => {
    expectRejection(`${'a'.repeat(65)}@example.com`, MESSAGES.localPartTooLong);
  });

  it('rejects an address of 255 characters', () => {
    const input = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`;

    expectRejection(input, MESSAGES.tooLong);
  });

  it.each([undefined, null])('says %p is required', (input) => {
    expectRejection(input, MESSAGES.required);
  });

  it.each([42, true, { email: 'jane@example.com' }, ['jane@example.com']])(
    'rejects %p',
    (input) => {
      expectRejection(input, MESSAGES.notText);
    },
  );

  it('never echoes the rejected input', () => {
    for (const input of ['jane@localhost', 'jane@\u202emoc.elpmaxe', 'x'.repeat(300)]) {
      expect(catchRejection(input).message).not.toContain(input);
    }
  });

  describe('properties', () => {
    it('accepts every address of a sane shape and returns it lower-cased', () => {
      fc.assert(
        fc.property(validEmail, (email) => {
          expect(normalizeEmail(email)).toBe(email.toLowerCase());
        }),
      );
    });

    it('returns the same address when normalizing a normalized address', () => {
      fc.assert(
        fc.property(arbitraryText, (input) => {
          let email: string;
          try {
            email = normalizeEmail(input);
          } catch {
            return;
          }
          expect(normalizeEmail(email)).toBe(email);
          expect(email).not.toMatch(/[A-Z]/);
        }),
        { numRuns: 2000 },
      );
    });

    it('only ever throws ProfileValidationError, with a fixed message for email', () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), arbitraryText), (input) => {
          try {
            normalizeEmail(input);
          } catch (error) {
            expect(error).toBeInstanceOf(ProfileValidationError);
            const { field, message } = error as ProfileValidationError;
            expect(field).toBe('email');
            expect(ALL_MESSAGES).toContain(message);
            expect(message.length).toBeLessThan(200);
          }
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe('emailDomain', () => {
  it.each([
    ['jane@example.com', 'example.com'],
    ['Jane+News@Mail.Example.COM', 'mail.example.com'],
    ['  jane@example.org ', 'example.org'],
  ])('returns the domain of %p', (input, expected) => {
    expect(emailDomain(input)).toBe(expected);
  });

  it('rejects an invalid address like normalizeEmail', () => {
    expect(() => emailDomain('jane@localhost')).toThrow(
      new ProfileValidationError('email', 'must be an address like name@example.com'),
    );
  });
});
