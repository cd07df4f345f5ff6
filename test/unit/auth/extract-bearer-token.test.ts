import fc from 'fast-check';

import { scalarString } from '../../support/arbitraries';
import {
  extractBearerCredentials,
  extractBearerToken,
  MAX_AUTHORIZATION_LENGTH,
} from '../../../src/auth/extract-bearer-token';
import { TokenRejectedError } from '../../../src/auth/token-rejected-error';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

function reasonOf(header: string | undefined): string | undefined {
  try {
    extractBearerToken(header);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenRejectedError);
    return (error as TokenRejectedError).reason;
  }
}

describe('extractBearerToken', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])('accepts the %s scheme', (scheme) => {
    expect(extractBearerToken(`${scheme} ${JWT}`)).toBe(JWT);
  });

  it('tolerates surrounding whitespace and several spaces after the scheme', () => {
    expect(extractBearerToken(`  Bearer   ${JWT}  `)).toBe(JWT);
  });

  it.each([
    ['missing', undefined, 'missing_token'],
    ['empty', '', 'missing_token'],
    ['blank', '   ', 'missing_token'],
    ['Basic', 'Basic dXNlcjpwYXNz', 'not_bearer'],
    ['a bare JWT', JWT, 'not_bearer'],
    ['the scheme alone', 'Bearer', 'not_bearer'],
    ['Bearer glued to the token', `Bearer${JWT}`, 'not_bearer'],
    ['two tokens', `Bearer ${JWT} ${JWT}`, 'multiple_tokens'],
    ['two comma-joined headers', `Bearer ${JWT}, Bearer ${JWT}`, 'multiple_tokens'],
    ['two segments', 'Bearer abc.def', 'malformed_token'],
    ['five segments (JWE)', 'Bearer a.b.c.d.e', 'malformed_token'],
    ['padding', 'Bearer abc.def.ghi=', 'malformed_token'],
    ['an empty segment', 'Bearer abc..ghi', 'malformed_token'],
    ['a non-canonical signature ending', 'Bearer abc.def.c2lnbh', 'malformed_token'],
  ])('rejects a header that is %s', (_label, header, reason) => {
    expect(reasonOf(header)).toBe(reason);
  });

  it(`rejects a header longer than ${MAX_AUTHORIZATION_LENGTH} characters`, () => {
    const header = `Bearer ${'a'.repeat(MAX_AUTHORIZATION_LENGTH)}.b.c`;
    expect(reasonOf(header)).toBe('token_too_long');
  });

  it('accepts a header of exactly the limit', () => {
    const padding = MAX_AUTHORIZATION_LENGTH - 'Bearer '.length - '.b.c2lnbmF0dXJl'.length;
    const token = `${'a'.repeat(padding)}.b.c2lnbmF0dXJl`;
    expect(extractBearerToken(`Bearer ${token}`)).toBe(token);
  });

  it('only ever throws TokenRejectedError and only returns three base64url segments', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), scalarString(), fc.constant(undefined)), (header) => {
        try {
          const token = extractBearerToken(header);
          expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
        } catch (error) {
          expect(error).toBeInstanceOf(TokenRejectedError);
        }
      }),
    );
  });

  it('reads the scheme exactly as /^bearer[ \t]+/i would, for any header', () => {
    // The reference the character-code check replaced; kept here as its specification.
    const reference = (value: string) => /^bearer[ \t]+/i.exec(value.trim())?.[0].length;
    // Each letter of the scheme, its other case, or a character differing from it in the case
    // bit's neighbours (what a wrong mask would confuse with a letter).
    const nearLetter = (letter: string) => {
      const code = letter.charCodeAt(0);
      return fc.constantFrom(
        ...[code, code ^ 0x20, code ^ 0x40, code ^ 0x60, code ^ 0x80].map((c) =>
          String.fromCharCode(c),
        ),
      );
    };
    const nearScheme = fc
      .tuple(...['b', 'e', 'a', 'r', 'e', 'r'].map(nearLetter))
      .map((letters) => letters.join(''));
    const schemeLike = fc
      .tuple(
        fc.oneof(nearScheme, fc.mixedCase(fc.constantFrom('bearer', 'bearr', 'bearers', 'basic'))),
        fc.stringMatching(/^[ \t\u00a0\u2003\n]{0,3}$/),
        fc.oneof(fc.constant(JWT), fc.string()),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(schemeLike, fc.string(), scalarString()), (header) => {
        const skipped = reference(header);
        let result: string | TokenRejectedError;
        try {
          result = extractBearerCredentials(header);
        } catch (error) {
          expect(error).toBeInstanceOf(TokenRejectedError);
          result = error as TokenRejectedError;
        }
        if (skipped === undefined || header.length > MAX_AUTHORIZATION_LENGTH) {
          expect(result).toBeInstanceOf(TokenRejectedError);
        } else {
          expect(result).toBe(header.trim().slice(skipped));
        }
      }),
    );
  });
});
