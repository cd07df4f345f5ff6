import { MAX_HANDLE_LENGTH, MIN_HANDLE_LENGTH, normalizeHandle } from './normalize-handle';
import { isReservedHandle } from './reserved-handles';
import { toAsciiLowerCase } from './to-ascii-lower-case';

// Runs of anything but ASCII letters and digits. Non-ASCII letters are replaced, not
// transliterated, for the same reason normalizeHandle rejects them.
const NON_ALPHANUMERIC_RUN = /[^A-Za-z0-9]+/g;
const EDGE_UNDERSCORES = /^_+|_+$/g;
const TRAILING_UNDERSCORES = /_+$/;
const STARTS_WITH_LETTER = /^[a-z]/;

/** Used alone when nothing usable is left, as a prefix before a digit, as a suffix otherwise. */
const FILLER_WORD = 'user';

/**
 * Derives a valid handle from the local part of an email address, for a person who signed up
 * without choosing one. The result always passes {@link normalizeHandle}; it may already be taken,
 * see {@link handleVariant}.
 *
 * - Plus-addressing is dropped: everything from the first `+` on.
 * - Each run of characters other than ASCII letters and digits becomes one `_`; underscores at the
 *   ends are dropped; letters are lower-cased. `Jane.Doe+news` becomes `jane_doe`.
 * - `user_` is put in front if the result does not start with a letter (`42` becomes `user_42`),
 *   and `user` is used if nothing is left.
 * - It is cut to 30 characters.
 * - `_user` is appended if it is shorter than 3 characters (`jo` becomes `jo_user`) or reserved
 *   (`admin` becomes `admin_user`).
 */
export function deriveHandle(emailLocalPart: string): string {
  const plusIndex = emailLocalPart.indexOf('+');
  const withoutTag = plusIndex === -1 ? emailLocalPart : emailLocalPart.slice(0, plusIndex);
  let handle = toAsciiLowerCase(withoutTag.replace(NON_ALPHANUMERIC_RUN, '_')).replace(
    EDGE_UNDERSCORES,
    '',
  );
  if (handle === '') {
    handle = FILLER_WORD;
  } else if (!STARTS_WITH_LETTER.test(handle)) {
    handle = `${FILLER_WORD}_${handle}`;
  }
  handle = cutHandle(handle, MAX_HANDLE_LENGTH);
  if (handle.length < MIN_HANDLE_LENGTH || isReservedHandle(handle)) {
    handle = `${handle}_${FILLER_WORD}`;
  }
  return normalizeHandle(handle);
}

/**
 * Returns the `n`th candidate for a handle that may be taken, so callers can try them in turn:
 * `n = 0` gives the handle itself, `n >= 1` gives it with the suffix `_${n + 1}` (`jane_doe_2`,
 * `jane_doe_3`, …), cutting the handle as needed to stay within 30 characters. The result always
 * passes {@link normalizeHandle}.
 *
 * @param handle - a valid handle; it is normalized first
 * @throws {@link ProfileValidationError} if `handle` is not a valid handle
 * @throws RangeError if `n` is not a non-negative safe integer
 */
export function handleVariant(handle: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`handleVariant: n must be a non-negative safe integer, got ${n}`);
  }
  const base = normalizeHandle(handle);
  if (n === 0) {
    return base;
  }
  const suffix = `_${n + 1}`;
  return normalizeHandle(`${cutHandle(base, MAX_HANDLE_LENGTH - suffix.length)}${suffix}`);
}

/**
 * Cuts a handle to at most `maxLength` characters without leaving underscores at the end. Handles
 * start with a letter, so something is always left.
 */
export function cutHandle(handle: string, maxLength: number): string {
  return handle.slice(0, maxLength).replace(TRAILING_UNDERSCORES, '');
}
