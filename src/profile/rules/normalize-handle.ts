import { isReservedHandle } from './reserved-handles';
import { assertIsText, ProfileValidationError } from './validation-error';

/** The shortest handle allowed. */
export const MIN_HANDLE_LENGTH = 3;

/** The longest handle allowed. */
export const MAX_HANDLE_LENGTH = 30;

// No `u` and no `i` flag on purpose: with both, [a-z] also matches the Kelvin sign U+212A and the
// long s U+017F (their case folds are "k" and "s"), so a look-alike would slip through.
const HANDLE_SHAPE = /^[A-Za-z][A-Za-z0-9_]{2,29}$/;

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
  if (!HANDLE_SHAPE.test(handle)) {
    throw new ProfileValidationError(
      'preferred_username',
      'must be 3–30 letters (a–z), digits or underscores and start with a letter',
    );
  }
  if (isReservedHandle(handle)) {
    throw new ProfileValidationError('preferred_username', 'is reserved; choose another');
  }
  // Safe to use toLowerCase here: the shape check above has already limited it to ASCII.
  return handle.toLowerCase();
}
