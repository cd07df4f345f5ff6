const ASCII_UPPER_CASE = /[A-Z]/g;

/**
 * Lower-cases the ASCII letters A–Z and leaves every other character as it is.
 *
 * The one case fold of the profile rules (emails, handles, reserved handles, stored handles).
 * `String.prototype.toLowerCase` is not used because it also maps some non-ASCII letters onto
 * ASCII ones (the Kelvin sign U+212A becomes "k"), so a look-alike could pass as, or be stored as,
 * a different handle or an address at a different domain. Anything non-ASCII is left for the
 * shape checks (and the database's CHECK constraints) to reject.
 */
export function toAsciiLowerCase(text: string): string {
  return text.replace(ASCII_UPPER_CASE, (letter) => letter.toLowerCase());
}
