import fc from 'fast-check';

import { scalarString } from '../../support/arbitraries';
import {
  BadRequestError,
  HttpError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../../src/api/http-error';
import {
  isJsonContentType,
  MAX_PATCH_BODY_BYTES,
  parseProfilePatch,
} from '../../../src/api/parse-profile-patch';
import { ProfileValidationError } from '../../../src/profile/rules/validation-error';
import { buildPatchEvent } from '../../fixtures/api/api-events';

function rejectionOf(event: unknown): unknown {
  try {
    parseProfilePatch(event);
  } catch (error) {
    return error;
  }
  throw new Error('expected parseProfilePatch to throw');
}

describe('parseProfilePatch', () => {
  it('normalizes the name and lower-cases the handle', () => {
    const event = buildPatchEvent('{"name":"  Ada \\t Lovelace ","preferred_username":"Ada_L"}');
    expect(parseProfilePatch(event)).toEqual({ displayName: 'Ada Lovelace', handle: 'ada_l' });
  });

  it('accepts a change of one field', () => {
    expect(parseProfilePatch(buildPatchEvent('{"name":"Ada"}'))).toEqual({ displayName: 'Ada' });
    expect(parseProfilePatch(buildPatchEvent('{"preferred_username":"ada"}'))).toEqual({
      handle: 'ada',
    });
  });

  it('reads a base64-encoded body', () => {
    const event = buildPatchEvent(Buffer.from('{"name":"Zoë"}').toString('base64'));
    event.isBase64Encoded = true;
    expect(parseProfilePatch(event)).toEqual({ displayName: 'Zoë' });
  });

  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'APPLICATION/JSON;CHARSET="UTF-8"',
  ])('accepts Content-Type %s', (contentType) => {
    expect(parseProfilePatch(buildPatchEvent('{"name":"Ada"}', contentType))).toEqual({
      displayName: 'Ada',
    });
  });

  it('finds the Content-Type header in any case', () => {
    const event = buildPatchEvent('{"name":"Ada"}');
    delete event.headers['content-type'];
    event.headers['Content-Type'] = 'application/json';
    expect(parseProfilePatch(event)).toEqual({ displayName: 'Ada' });
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
    'application/json; charset=utf-8; boundary=x',
    'application/jsonp',
    'application/json;',
  ])('rejects Content-Type %s with 415', (contentType) => {
    const error = rejectionOf(buildPatchEvent('{"name":"Ada"}', contentType));
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(error).toMatchObject({ statusCode: 415, code: 'unsupported_media_type' });
  });

  it('rejects a request without Content-Type with 415', () => {
    const event = buildPatchEvent('{"name":"Ada"}');
    delete event.headers['content-type'];
    expect(rejectionOf(event)).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('rejects a body over the limit with 413, before parsing it', () => {
    const body = JSON.stringify({ name: 'a'.repeat(MAX_PATCH_BODY_BYTES) });
    expect(rejectionOf(buildPatchEvent(body))).toBeInstanceOf(PayloadTooLargeError);
    expect(rejectionOf(buildPatchEvent(`{${' '.repeat(MAX_PATCH_BODY_BYTES)}`))).toMatchObject({
      statusCode: 413,
      code: 'payload_too_large',
    });
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const body = JSON.stringify({ name: 'é'.repeat(MAX_PATCH_BODY_BYTES / 2) });
    expect(body.length).toBeLessThan(MAX_PATCH_BODY_BYTES + 20);
    expect(rejectionOf(buildPatchEvent(body))).toBeInstanceOf(PayloadTooLargeError);
  });

  it('applies the limit to the decoded size of a base64 body', () => {
    const event = buildPatchEvent(
      Buffer.from(`{"name":"Ada"}${' '.repeat(MAX_PATCH_BODY_BYTES)}`).toString('base64'),
    );
    event.isBase64Encoded = true;
    expect(rejectionOf(event)).toBeInstanceOf(PayloadTooLargeError);
  });

  it.each([
    ['invalid JSON', '{"name":', 'invalid_json'],
    ['a JSON array', '[]', 'invalid_body'],
    ['a JSON string', '"Ada"', 'invalid_body'],
    ['null', 'null', 'invalid_body'],
    ['an empty object', '{}', 'empty_update'],
  ])('rejects %s with 400', (_what, body, code) => {
    const error = rejectionOf(buildPatchEvent(body));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ statusCode: 400, code });
  });

  it.each([undefined, ''])('rejects a missing body (%j) with 400', (body) => {
    expect(rejectionOf(buildPatchEvent(body))).toMatchObject({
      statusCode: 400,
      code: 'empty_body',
    });
  });

  it('rejects a body marked base64 that is not', () => {
    const event = buildPatchEvent('{"name":"Ada"}');
    event.isBase64Encoded = true;
    expect(rejectionOf(event)).toMatchObject({ statusCode: 400, code: 'invalid_body' });
  });

  it('rejects a base64 body that is not UTF-8', () => {
    const event = buildPatchEvent(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'));
    event.isBase64Encoded = true;
    expect(rejectionOf(event)).toMatchObject({
      statusCode: 400,
      code: 'invalid_body',
      message: 'The body must be UTF-8 text.',
    });
  });

  it('rejects an unknown field, naming it', () => {
    const error = rejectionOf(buildPatchEvent('{"name":"Ada","email":"x@example.com"}'));
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'unknown_field',
      message: 'Unknown field "email": only name and preferred_username can be changed.',
    });
  });

  it('rejects "__proto__" as an unknown field', () => {
    expect(rejectionOf(buildPatchEvent('{"__proto__":{"name":"x"}}'))).toMatchObject({
      code: 'unknown_field',
      message: 'Unknown field "__proto__": only name and preferred_username can be changed.',
    });
  });

  it('does not echo a field name with unsafe characters', () => {
    const error = rejectionOf(buildPatchEvent('{"na\\u202eme":"x"}'));
    expect(error).toMatchObject({ code: 'unknown_field' });
    expect((error as Error).message).not.toContain('\u202e');
  });

  it.each([
    ['{"name":"\\u200b"}', 'name', 'Display name must contain visible characters'],
    ['{"name":42}', 'name', 'Display name must be text'],
    ['{"preferred_username":"admin"}', 'preferred_username', 'Handle is reserved; choose another'],
    [
      '{"preferred_username":"a b"}',
      'preferred_username',
      'Handle must be 3–30 letters (a–z), digits or underscores and start with a letter',
    ],
  ])('rejects %s with the message of the field', (body, field, message) => {
    const error = rejectionOf(buildPatchEvent(body));
    expect(error).toBeInstanceOf(ProfileValidationError);
    expect(error).toMatchObject({ field, message });
  });

  it('rejects events of the wrong shape as a client error', () => {
    expect(rejectionOf(null)).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(rejectionOf({ headers: ['content-type'] })).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(
      rejectionOf({ headers: { 'content-type': 'application/json' }, body: { name: 'x' } }),
    ).toMatchObject({ statusCode: 400, code: 'invalid_body' });
  });

  describe('properties', () => {
    const isClientError = (error: unknown) =>
      (error instanceof HttpError && error.expose && error.statusCode < 500) ||
      error instanceof ProfileValidationError;

    const jsonBody = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.json(),
      fc
        .record(
          {
            name: fc.oneof(scalarString(), fc.jsonValue()),
            preferred_username: fc.oneof(fc.string(), fc.jsonValue()),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
      fc.dictionary(fc.string(), fc.jsonValue()).map((value) => JSON.stringify(value)),
    );

    it('throws nothing but client errors, whatever the body', () => {
      fc.assert(
        fc.property(
          jsonBody,
          fc.boolean(),
          fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8'),
          (body, base64, contentType) => {
            const event = buildPatchEvent(
              base64 ? Buffer.from(body).toString('base64') : body,
              contentType,
            );
            event.isBase64Encoded = base64;
            try {
              const update = parseProfilePatch(event);
              expect(Object.keys(update).length).toBeGreaterThan(0);
            } catch (error) {
              if (!isClientError(error)) throw error;
            }
          },
        ),
        { numRuns: 500 },
      );
    });

    it('throws nothing but client errors for any event-like value', () => {
      fc.assert(
        fc.property(fc.anything(), fc.anything(), fc.anything(), (headers, body, base64) => {
          try {
            parseProfilePatch({ headers, body, isBase64Encoded: base64 });
          } catch (error) {
            if (!isClientError(error)) throw error;
          }
        }),
      );
    });

    it('returns only values the normalizers accept', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 70 }), (name) => {
          try {
            const { displayName } = parseProfilePatch(buildPatchEvent(JSON.stringify({ name })));
            expect(displayName).toBe(displayName?.normalize('NFC').trim());
          } catch (error) {
            if (!(error instanceof ProfileValidationError)) throw error;
          }
        }),
      );
    });
  });
});

describe('isJsonContentType', () => {
  it('is false without a header', () => {
    expect(isJsonContentType(undefined)).toBe(false);
  });
});
