import { assertIsText, ProfileValidationError } from './validation-error';

/** The most user-perceived characters (grapheme clusters) a display name may have. */
export const MAX_DISPLAY_NAME_LENGTH = 64;

/**
 * The most Unicode code points a display name may have: the bound the table's CHECK enforces
 * (`char_length(display_name) BETWEEN 1 AND 256` in migrations/001_create_profiles.sql; a unit
 * test reads the number from there). 64 graphemes can be far more: 60 letters with 4 accents
 * each are 300 code points, four 40-emoji ZWJ sequences 319.
 */
export const MAX_DISPLAY_NAME_CODE_POINTS = 256;

/** The most combining marks allowed on one base character, counted in decomposed form. */
export const MAX_COMBINING_MARKS_PER_BASE = 4;

// `String.prototype.isWellFormed` exists on Node 20 but not in our ES2023 lib typings. In `u` mode
// a surrogate pair is read as one code point, so \p{Cs} matches only lone (ill-formed) halves.
const LONE_SURROGATE = /\p{Cs}/u;

// White_Space is the Unicode property, not JavaScript's \s: \s also matches U+FEFF, which is a
// zero-width format character rather than a space. White_Space includes tabs, line breaks, U+0085,
// U+00A0, U+3000, every other Zs, and U+2028/U+2029.
const WHITESPACE_RUN = /\p{White_Space}+/gu;

// After collapsing, whitespace at either end is at most one ASCII space.
const EDGE_SPACE = /^ | $/g;

// Tabs and line breaks are Cc too, but by now they have become spaces.
const CONTROL_CHARACTER = /\p{Cc}/u;

// Exactly U+061C, U+200E, U+200F, U+202A–U+202E and U+2066–U+2069: they reorder the text around
// them, so a name could display as something else, or flip the rest of the line it is shown in.
const BIDI_CONTROL = /\p{Bidi_Control}/u;

// Characters that show nothing. Default_Ignorable_Code_Point covers zero-width spaces and joiners,
// U+2060, U+FEFF, U+180E, U+034F, variation selectors and the Hangul fillers (U+115F, U+1160,
// U+3164, U+FFA0), which are letters by category but render blank; the braille blank U+2800 is a
// symbol by category, so it is listed by hand.
const INVISIBLE_CHARACTERS = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;

// What is left once invisible characters are gone must include one of these. Combining marks alone
// do not count: with no base character they render, if at all, on a dotted circle.
const VISIBLE_CHARACTER = /[\p{L}\p{N}\p{P}\p{S}]/u;

// Joiners and other zero-width characters between two marks must not split a stack of marks into
// separately counted runs, or "Zalgo" text could interleave them to get past the limit.
const IGNORABLE_NON_MARK = /(?!\p{M})\p{Default_Ignorable_Code_Point}/gu;

const COMBINING_MARK_FLOOD = new RegExp(`\\p{M}{${MAX_COMBINING_MARKS_PER_BASE + 1}}`, 'u');

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// The two checks made on both paths (printable ASCII, and the rest) say the same.
const TOO_LONG = `must be at most ${MAX_DISPLAY_NAME_LENGTH} characters`;
const NOTHING_VISIBLE = 'must contain visible characters';

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Validates a display name (the Cognito attribute `name`) and returns it normalized: in NFC, with
 * every run of Unicode whitespace turned into one ASCII space, and trimmed.
 *
 * Names in any script are accepted, including combining accents, ZWJ/ZWNJ inside words (needed by
 * Persian and Indic scripts) and emoji sequences. Rejected are: ill-formed UTF-16, control
 * characters, bidirectional controls, names with nothing visible in them, more than 4 combining
 * marks on one base character, and more than 64 user-perceived characters.
 *
 * @throws {@link ProfileValidationError} with field `name`
 */
export function normalizeDisplayName(input: unknown): string {
  assertIsText(input, 'name');
  // Checked before NFC, which would otherwise have to process the broken halves.
  if (LONE_SURROGATE.test(input)) {
    throw new ProfileValidationError('name', 'must not contain invalid characters');
  }
  const name = input.normalize('NFC').replace(WHITESPACE_RUN, ' ').replace(EDGE_SPACE, '');
  if (PRINTABLE_ASCII.test(name)) {
    // The common case, decided without ICU: printable ASCII has no controls, marks or invisible
    // characters, and each character is one grapheme (Intl.Segmenter alone costs ~20 µs here).
    if (name === '') throw new ProfileValidationError('name', NOTHING_VISIBLE);
    if (name.length > MAX_DISPLAY_NAME_LENGTH) {
      throw new ProfileValidationError('name', TOO_LONG);
    }
    return name;
  }
  if (CONTROL_CHARACTER.test(name)) {
    throw new ProfileValidationError('name', 'must not contain control characters');
  }
  if (BIDI_CONTROL.test(name)) {
    throw new ProfileValidationError('name', 'must not contain text-direction control characters');
  }
  if (!VISIBLE_CHARACTER.test(name.replace(INVISIBLE_CHARACTERS, ''))) {
    throw new ProfileValidationError('name', NOTHING_VISIBLE);
  }
  if (hasCombiningMarkFlood(name)) {
    throw new ProfileValidationError(
      'name',
      `must not have more than ${MAX_COMBINING_MARKS_PER_BASE} accents or marks on one character`,
    );
  }
  if (exceedsGraphemeCount(name, MAX_DISPLAY_NAME_LENGTH)) {
    throw new ProfileValidationError('name', TOO_LONG);
  }
  if (countCodePoints(name) > MAX_DISPLAY_NAME_CODE_POINTS) {
    throw new ProfileValidationError(
      'name',
      `must be shorter: at most ${MAX_DISPLAY_NAME_CODE_POINTS} letters, accents and symbols in all (an emoji can count as several)`,
    );
  }
  return name;
}

/** Code points, as PostgreSQL's char_length counts them (a surrogate pair is one). */
function countCodePoints(text: string): number {
  // Lone surrogates were refused above, so every high surrogate starts a pair.
  return text.length - (text.match(/[\uD800-\uDBFF]/g)?.length ?? 0);
}

/**
 * Counts marks in NFD so the result does not depend on how the name was typed: "é" precomposed and
 * "e" followed by U+0301 both carry one mark.
 */
function hasCombiningMarkFlood(name: string): boolean {
  return COMBINING_MARK_FLOOD.test(name.normalize('NFD').replace(IGNORABLE_NON_MARK, ''));
}

/**
 * Counts grapheme clusters rather than UTF-16 code units, so an emoji family or a decomposed
 * accent is one character, as the person sees it. Stops counting once past `limit`.
 */
function exceedsGraphemeCount(text: string, limit: number): boolean {
  const segments = graphemeSegmenter.segment(text)[Symbol.iterator]();
  for (let count = 0; count <= limit; count += 1) {
    if (segments.next().done === true) {
      return false;
    }
  }
  return true;
}
