import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

import { scalarString } from '../../support/arbitraries';

import {
  MAX_COMBINING_MARKS_PER_BASE,
  MAX_DISPLAY_NAME_CODE_POINTS,
  MAX_DISPLAY_NAME_LENGTH,
  normalizeDisplayName,
} from '../../../src/profile/rules/normalize-display-name';
import { ProfileValidationError } from '../../../src/profile/rules/validation-error';

const MESSAGES = {
  required: 'Display name is required',
  notText: 'Display name must be text',
  illFormed: 'Display name must not contain invalid characters',
  control: 'Display name must not contain control characters',
  bidi: 'Display name must not contain text-direction control characters',
  invisible: 'Display name must contain visible characters',
  markFlood: 'Display name must not have more than 4 accents or marks on one character',
  tooLong: 'Display name must be at most 64 characters',
  tooManyCodePoints:
    'Display name must be shorter: at most 256 letters, accents and symbols in all (an emoji can count as several)',
} as const;
const ALL_MESSAGES: readonly string[] = Object.values(MESSAGES);

/** Calls normalizeDisplayName and returns what it threw, failing the test if it did not throw. */
function catchRejection(input: unknown): ProfileValidationError {
  try {
    normalizeDisplayName(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileValidationError);
    return error as ProfileValidationError;
  }
  throw new Error('expected normalizeDisplayName to throw');
}

function expectRejection(input: unknown, message: string): void {
  expect(() => normalizeDisplayName(input)).toThrow(ProfileValidationError);
  const error = catchRejection(input);
  expect(error.field).toBe('name');
  expect(error.message).toBe(message);
}

// Any code point, lone surrogates, and the characters the rules are about, mixed so that the
// interesting ones are not drowned out by ordinary letters.
const trickyCharacter = fc.oneof(
  scalarString({ minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
  fc.constantFrom(
    ' ',
    '\t',
    '\n',
    '\u0085',
    '\u00a0',
    '\u2028',
    '\u3000',
    '\u200b',
    '\u200c',
    '\u200d',
    '\u2060',
    '\ufeff',
    '\u3164',
    '\u2800',
    '\u034f',
    '\ufe0f',
    '\u0301',
    '\u0e34',
    '\u202e',
    '\u2066',
    '\u0000',
    'e',
    'A',
    '山',
    '👩',
  ),
);
const arbitraryText = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  scalarString(),
  fc.string({ unit: trickyCharacter }),
  fc.string({ unit: trickyCharacter, minLength: 60, maxLength: 80 }),
);

describe('normalizeDisplayName', () => {
  describe('accepts real names from every script', () => {
    it.each([
      ['a plain Latin name', 'Jane Doe', 'Jane Doe'],
      ['a decomposed accent, composed to NFC', 'Jose\u0301', 'Jos\u00e9'],
      ['a precomposed accent', 'Jos\u00e9', 'Jos\u00e9'],
      ['Vietnamese with stacked accents', 'Nguye\u0323\u0302n', 'Nguy\u1ec7n'],
      ['CJK', '山田 太郎', '山田 太郎'],
      ['Arabic', 'محمد', 'محمد'],
      ['Arabic with vowel marks', 'مُحَمَّد', 'مُحَمَّد'],
      ['Hebrew', 'דוד כהן', 'דוד כהן'],
      ['Devanagari', 'श्रीनिवास', 'श्रीनिवास'],
      ['Thai', 'สมชาย', 'สมชาย'],
      ['Thai with several combining marks', 'ณัฐวุฒิ ศักดิ์ชัย', 'ณัฐวุฒิ ศักดิ์ชัย'],
      ['Korean', '김민준', '김민준'],
      ['Greek', 'Αλέξανδρος', 'Αλέξανδρος'],
      ['Cyrillic', 'Анна Павлова', 'Анна Павлова'],
      ['Persian with ZWNJ inside a word', 'علی\u200cرضا', 'علی\u200cرضا'],
      ['Devanagari with ZWJ inside a word', 'क्\u200dष', 'क्\u200dष'],
      ['an apostrophe and a hyphen', "O'Brien-Smith", "O'Brien-Smith"],
      ['a typographic apostrophe', 'D’Angelo', 'D’Angelo'],
      ['an emoji ZWJ sequence', '👩‍👩‍👧', '👩‍👩‍👧'],
      ['an emoji with a variation selector', 'Ana ❤️', 'Ana ❤️'],
      ['a flag made of tag characters', '🏴󠁧󠁢󠁥󠁮󠁧󠁿', '🏴󠁧󠁢󠁥󠁮󠁧󠁿'],
      ['a single character', 'X', 'X'],
      ['exactly 4 marks on one character', 'a\u0300\u0301\u0302\u0303', '\u00e0\u0301\u0302\u0303'],
    ])('accepts %s', (_description, input, expected) => {
      expect(normalizeDisplayName(input)).toBe(expected);
    });
  });

  describe('whitespace', () => {
    it.each([
      ['spaces', '  Jane   Doe  '],
      ['tabs', '\tJane\t\tDoe\t'],
      ['line breaks', '\r\nJane\nDoe\r\n'],
      ['a no-break space U+00A0', 'Jane\u00a0Doe'],
      ['an ideographic space U+3000', '\u3000Jane\u3000Doe'],
      ['an em space U+2003', 'Jane\u2003Doe'],
      ['a narrow no-break space U+202F', 'Jane\u202fDoe'],
      ['a line separator U+2028', 'Jane\u2028Doe'],
      ['a paragraph separator U+2029', 'Jane\u2029Doe'],
      ['a next line U+0085', 'Jane\u0085Doe'],
      ['a mixed run', 'Jane \t\u00a0\u3000\n Doe'],
    ])('collapses %s into one ASCII space and trims', (_description, input) => {
      expect(normalizeDisplayName(input)).toBe('Jane Doe');
    });

    it('keeps a zero-width no-break space U+FEFF, which is not whitespace', () => {
      expect(normalizeDisplayName('Jane\ufeffDoe')).toBe('Jane\ufeffDoe');
    });
  });

  describe('rejects a name with nothing visible', () => {
    it.each([
      ['the empty string', ''],
      ['only spaces', '   '],
      ['only whitespace of several kinds', '\u00a0\u3000\t\n\u2028'],
      ['only U+200B', '\u200b'],
      ['only U+200C', '\u200c'],
      ['only U+200D', '\u200d'],
      ['only U+2060', '\u2060'],
      ['only U+FEFF', '\ufeff'],
      ['only U+3164', '\u3164'],
      ['only U+115F', '\u115f'],
      ['only U+1160', '\u1160'],
      ['only U+FFA0', '\uffa0'],
      ['only U+2800', '\u2800'],
      ['only U+180E', '\u180e'],
      ['only U+034F', '\u034f'],
      ['only a variation selector', '\ufe0f'],
      ['only a supplementary variation selector', '\u{e0100}'],
      ['only combining marks', '\u0301\u0302'],
      ['a mix of invisible characters and spaces', ' \u3164 \u200b\u2800 \u115f '],
    ])('rejects %s', (_description, input) => {
      expectRejection(input, MESSAGES.invisible);
    });
  });

  describe('rejects control characters', () => {
    it.each([
      ['NUL', 'Jane\u0000Doe'],
      ['BEL', 'Jane\u0007'],
      ['ESC', '\u001b[31mJane'],
      ['U+001F', 'Jane\u001fDoe'],
      ['DEL', 'Jane\u007f'],
      ['C1 U+009B', 'Jane\u009bDoe'],
    ])('rejects %s', (_description, input) => {
      expectRejection(input, MESSAGES.control);
    });
  });

  describe('rejects bidirectional controls', () => {
    it.each([
      ['U+202A', '\u202a'],
      ['U+202B', '\u202b'],
      ['U+202C', '\u202c'],
      ['U+202D', '\u202d'],
      ['U+202E', '\u202e'],
      ['U+2066', '\u2066'],
      ['U+2067', '\u2067'],
      ['U+2068', '\u2068'],
      ['U+2069', '\u2069'],
      ['U+200E', '\u200e'],
      ['U+200F', '\u200f'],
      ['U+061C', '\u061c'],
    ])('rejects %s inside a name', (_description, character) => {
      expectRejection(`Jane${character}Doe`, MESSAGES.bidi);
    });
  });

  describe('rejects ill-formed UTF-16', () => {
    it.each([
      ['a lone high surrogate', 'Jane\ud800'],
      ['a lone low surrogate', '\udc00Jane'],
      ['reversed surrogates', 'Jane\udc00\ud800'],
    ])('rejects %s', (_description, input) => {
      expectRejection(input, MESSAGES.illFormed);
    });
  });

  describe('rejects floods of combining marks', () => {
    it.each([
      ['5 marks on a letter with no precomposed form', 'Z\u0300\u0301\u0302\u0303\u0304'],
      ['5 marks where NFC would compose the first', 'e\u0301\u0300\u0302\u0303\u0304'],
      ['a precomposed letter with 4 more marks', '\u00e9\u0300\u0302\u0303\u0304'],
      ['marks interleaved with joiners', 'a\u0301\u200d\u0302\u200c\u0303\u2060\u0304\u200d\u0305'],
      ['a Zalgo word', 'H\u0335\u0321\u0322\u0327\u0328i'],
    ])('rejects %s', (_description, input) => {
      expectRejection(input, MESSAGES.markFlood);
    });
  });

  describe('length', () => {
    it(`accepts ${MAX_DISPLAY_NAME_LENGTH} characters`, () => {
      const input = 'x'.repeat(MAX_DISPLAY_NAME_LENGTH);

      expect(normalizeDisplayName(input)).toBe(input);
    });

    it(`rejects ${MAX_DISPLAY_NAME_LENGTH + 1} characters`, () => {
      expectRejection('x'.repeat(MAX_DISPLAY_NAME_LENGTH + 1), MESSAGES.tooLong);
    });

    it('counts an emoji ZWJ sequence as one character', () => {
      // 51 families of 5 code points each: 408 UTF-16 units, 255 code points (the table's limit
      // is 256), 51 characters.
      const input = '👩‍👩‍👧'.repeat(51);

      expect(normalizeDisplayName(input)).toBe(input);
    });

    it('counts a letter and its decomposed accent as one character', () => {
      const input = 'Jose\u0301 '.repeat(12) + 'Jose\u0301'; // 12 * 5 + 4 = 64

      expect(normalizeDisplayName(input)).toBe(input.normalize('NFC'));
    });

    it('counts after collapsing whitespace', () => {
      const input = `${' '.repeat(100)}${'x'.repeat(MAX_DISPLAY_NAME_LENGTH)}\t\t\t`;

      expect(normalizeDisplayName(input)).toBe('x'.repeat(MAX_DISPLAY_NAME_LENGTH));
    });

    it(`rejects ${MAX_DISPLAY_NAME_LENGTH + 1} emoji`, () => {
      expectRejection('👩‍👩‍👧'.repeat(MAX_DISPLAY_NAME_LENGTH + 1), MESSAGES.tooLong);
    });
  });

  describe('input that is not a string', () => {
    it.each([undefined, null])('says %p is required', (input) => {
      expectRejection(input, MESSAGES.required);
    });

    it.each([42, true, { name: 'Jane' }, ['Jane'], 10n])('rejects %p', (input) => {
      expectRejection(input, MESSAGES.notText);
    });
  });

  it('never echoes the rejected input', () => {
    for (const input of ['evil\u202Egnp.exe', '\u3164\u3164\u3164', `secret${'x'.repeat(80)}`]) {
      expect(catchRejection(input).message).not.toContain(input);
    }
  });

  describe('properties', () => {
    it('returns the same name when normalizing a normalized name', () => {
      fc.assert(
        fc.property(arbitraryText, (input) => {
          let once: string;
          try {
            once = normalizeDisplayName(input);
          } catch {
            return;
          }
          expect(normalizeDisplayName(once)).toBe(once);
        }),
        { numRuns: 2000 },
      );
    });

    it('only ever throws ProfileValidationError, with a fixed message for name', () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), arbitraryText), (input) => {
          try {
            normalizeDisplayName(input);
          } catch (error) {
            expect(error).toBeInstanceOf(ProfileValidationError);
            const { field, message } = error as ProfileValidationError;
            expect(field).toBe('name');
            // A fixed set of messages cannot echo the input, invisible characters included.
            expect(ALL_MESSAGES).toContain(message);
            expect(message.length).toBeLessThan(200);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('returns trimmed NFC text with lone ASCII spaces and at most 64 characters', () => {
      const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
      fc.assert(
        fc.property(arbitraryText, (input) => {
          let name: string;
          try {
            name = normalizeDisplayName(input);
          } catch {
            return;
          }
          expect(name).toBe(name.normalize('NFC'));
          // Only whitespace is trimmed; String.prototype.trim would also strip U+FEFF.
          expect(name).not.toMatch(/^ | $/);
          expect(name).not.toMatch(/ {2}|[^\P{White_Space} ]/u);
          expect([...segmenter.segment(name)].length).toBeLessThanOrEqual(MAX_DISPLAY_NAME_LENGTH);
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('the database limit', () => {
    // Code points, as PostgreSQL's char_length counts them.
    const codePoints = (text: string) =>
      text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '.').length;
    // A base letter with four different combining accents (NFC cannot fold them together).
    const accented = 'q\u0300\u0316\u0323\u0333';
    // A 40-emoji ZWJ sequence: one grapheme, 79 code points.
    const emojiChain = Array.from({ length: 40 }, () => '\u{1F468}').join('\u200D');

    // The profile's display name, and the one a sign-up's kept intent holds.
    it.each([
      ['001_create_profiles.sql', 'profiles_display_name_length'],
      ['002_create_sign_up_intents.sql', 'sign_up_intents_display_name_length'],
    ])('uses the number the CHECK of %s enforces', (file, name) => {
      const sql = readFileSync(join(__dirname, '..', '..', '..', 'migrations', file), 'utf8');
      const check = new RegExp(
        `${name} CHECK \\(char_length\\(display_name\\) BETWEEN 1 AND (\\d+)\\)`,
      ).exec(sql);
      expect(Number(check?.[1])).toBe(MAX_DISPLAY_NAME_CODE_POINTS);
    });

    it('rejects 60 characters with 4 accents each (300 code points)', () => {
      const name = accented.repeat(60);
      expect(codePoints(name.normalize('NFC'))).toBeGreaterThan(MAX_DISPLAY_NAME_CODE_POINTS);
      expect(catchRejection(name).message).toBe(MESSAGES.tooManyCodePoints);
    });

    it('rejects four 40-emoji ZWJ sequences (319 code points)', () => {
      const name = Array.from({ length: 4 }, () => emojiChain).join(' ');
      expect(codePoints(name)).toBe(319);
      expect(catchRejection(name).message).toBe(MESSAGES.tooManyCodePoints);
    });

    it('accepts a name of exactly 256 code points', () => {
      // 51 accented letters (255 code points) and one plain letter.
      const name = `${accented.repeat(51)}a`;
      expect(codePoints(normalizeDisplayName(name))).toBe(MAX_DISPLAY_NAME_CODE_POINTS);
    });

    it('returns only names the table accepts: 1 to 256 code points (property)', () => {
      const mark = fc.constantFrom('\u0300', '\u0301', '\u0316', '\u0323', '\u0333', '\u20DD');
      const accentedLetter = fc
        .tuple(
          fc.constantFrom('a', 'e', 'z', '\u05D0', '\u0915'),
          fc.array(mark, { maxLength: MAX_COMBINING_MARKS_PER_BASE }),
        )
        .map(([base, marks]) => base + marks.join(''));
      const emojiSequence = fc
        .array(fc.constantFrom('\u{1F468}', '\u{1F469}', '\u{1F467}', '\u2764\uFE0F'), {
          minLength: 1,
          maxLength: 40,
        })
        .map((parts) => parts.join('\u200D'));
      const heavyName = fc
        .array(fc.oneof(accentedLetter, emojiSequence, fc.constant(' ')), { maxLength: 70 })
        .map((parts) => parts.join(''));
      fc.assert(
        fc.property(fc.oneof(heavyName, arbitraryText), (input) => {
          let name: string;
          try {
            name = normalizeDisplayName(input);
          } catch (error) {
            expect(error).toBeInstanceOf(ProfileValidationError);
            return;
          }
          expect(codePoints(name)).toBeGreaterThanOrEqual(1);
          expect(codePoints(name)).toBeLessThanOrEqual(MAX_DISPLAY_NAME_CODE_POINTS);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
