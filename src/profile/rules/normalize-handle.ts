import { isReservedHandle } from './reserved-handles';
import { toAsciiLowerCase } from './to-ascii-lower-case';
import { assertIsText, ProfileValidationError } from './validation-error';

/** The shortest handle allowed. */
export const MIN_HANDLE_LENGTH = 3;

/** The longest handle allowed. */
export const MAX_HANDLE_LENGTH = 30;

/**
 * The shape of a handle in any case: a letter, then letters, digits or underscores, 3–30 in all
 * (built from the constants above; migrations/001_create_profiles.sql's CHECK holds the same
 * numbers, and a test compares them). Stored handles are its lower-case subset.
 */
// No `u` and no `i` flag on purpose: with both, [a-z] also matches the Kelvin sign U+212A and the
// long s U+017F (their case folds are "k" and "s"), so a look-alike would slip through.
export const HANDLE_PATTERN = new RegExp(
  `^[A-Za-z][A-Za-z0-9_]{${MIN_HANDLE_LENGTH - 1},${MAX_HANDLE_LENGTH - 1}}$`,
);

/** What {@link normalizeHandle} says about a handle of the wrong shape (after the field's label). */
export const HANDLE_SHAPE_EXPECTATION = `must be ${MIN_HANDLE_LENGTH}–${MAX_HANDLE_LENGTH} letters (a–z), digits or underscores and start with a letter`;

/** What is said (after the field's label) when another profile holds the handle. */
export const HANDLE_TAKEN_EXPECTATION = 'is already taken; choose another';

/**
 * Validates a handle (the Cognito attribute `preferred_username`) and returns it in lower case.
 *
 * Accepted, after trimming surrounding whitespace: 3–30 ASCII letters, digits or underscores,
 * starting with a letter, and not one of the reserved handles. Anything else is rejected rather
 * than transliterated: full-width letters, the Kelvin sign and other look-alikes are not folded to
 * ASCII, so two handles that look the same can never both exist.
 *
 * @throws {@link ProfileValidationError} with field `preferred_username`
 */
export function normalizeHandle(input: unknown): string {
  assertIsText(input, 'preferred_username');
  const handle = input.trim();
  if (!HANDLE_PATTERN.test(handle)) {
    throw new ProfileValidationError('preferred_username', HANDLE_SHAPE_EXPECTATION);
  }
  if (isReservedHandle(handle)) {
    throw new ProfileValidationError('preferred_username', 'is reserved; choose another');
  }
  return toAsciiLowerCase(handle);
}
