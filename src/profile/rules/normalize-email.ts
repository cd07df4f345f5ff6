import { toAsciiLowerCase } from './to-ascii-lower-case';
import { assertIsText, ProfileValidationError } from './validation-error';

/** The longest address allowed (RFC 5321's path limit minus the angle brackets). */
export const MAX_EMAIL_LENGTH = 254;

/** The longest local part (before the `@`) allowed, per RFC 5321. */
export const MAX_EMAIL_LOCAL_PART_LENGTH = 64;

// White_Space covers tabs, line breaks, no-break and ideographic spaces; Cc the other controls;
// Bidi_Control the direction overrides that can make an address display as a different one;
// Default_Ignorable_Code_Point and Cf the characters that show nothing (U+200B zero-width space,
// U+00AD soft hyphen, U+2060 word joiner, U+FEFF): an address with one inside looks like another
// address. In `u` mode a surrogate pair is one code point, so Cs matches only lone halves.
const FORBIDDEN_IN_EMAIL =
  /[\p{White_Space}\p{Cc}\p{Cf}\p{Bidi_Control}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;

/**
 * Validates an email address (the Cognito attribute `email`) and returns it trimmed, with ASCII
 * letters in lower case. Plus-addressing (`jane+news@example.com`) is kept as it is.
 *
 * Only a sane shape is checked, not deliverability: exactly one `@`, a local part of 1–64
 * characters, a domain of two or more non-empty dot-separated labels, no whitespace or control
 * characters, at most 254 characters in all.
 *
 * @throws {@link ProfileValidationError} with field `email`
 */
export function normalizeEmail(input: unknown): string {
  assertIsText(input, 'email');
  // ASCII only: with Unicode folding "x@\u212Aexample.com" would be stored, and checked against a
  // domain allow-list, as an address at a different domain from the one Cognito sends mail to.
  const email = toAsciiLowerCase(input.trim());
  if (FORBIDDEN_IN_EMAIL.test(email)) {
    throw new ProfileValidationError('email', 'must not contain spaces or invisible characters');
  }
  if (email.length > MAX_EMAIL_LENGTH) {
    throw new ProfileValidationError('email', `must be at most ${MAX_EMAIL_LENGTH} characters`);
  }
  const parts = email.split('@');
  const [localPart, domain] = parts;
  if (parts.length !== 2 || localPart === undefined || domain === undefined) {
    throw new ProfileValidationError('email', 'must be an address like name@example.com');
  }
  if (localPart.length > MAX_EMAIL_LOCAL_PART_LENGTH) {
    throw new ProfileValidationError(
      'email',
      `must have at most ${MAX_EMAIL_LOCAL_PART_LENGTH} characters before the @`,
    );
  }
  const labels = domain.split('.');
  if (localPart === '' || labels.length < 2 || labels.includes('')) {
    throw new ProfileValidationError('email', 'must be an address like name@example.com');
  }
  return email;
}

/**
 * Returns the domain (the part after the `@`) of an email address, normalized as by
 * {@link normalizeEmail}.
 *
 * @throws {@link ProfileValidationError} with field `email`
 */
export function emailDomain(input: unknown): string {
  const email = normalizeEmail(input);
  return email.slice(email.indexOf('@') + 1);
}
