/**
 * The body of `PATCH /me`, read from the untrusted event: a JSON object with `name` and/or
 * `preferred_username` (the Cognito attribute names, as at sign-up), validated by the same
 * normalizers as sign-up.
 */
import { normalizeDisplayName } from '../profile/rules/normalize-display-name';
import { normalizeHandle } from '../profile/rules/normalize-handle';
import type { ProfileUpdate } from '../profile/store/profile-store';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './http-error';
import { isRecord } from '../is-record';

/** The largest body accepted, in bytes (after base64 decoding). A profile change needs < 300. */
export const MAX_PATCH_BODY_BYTES = 4096;

/** The fields a caller may change. */
export const PATCHABLE_FIELDS: readonly string[] = ['name', 'preferred_username'];

const WHAT_TO_SEND = 'a JSON object with name and/or preferred_username';

// `type/subtype` and at most a UTF-8 charset: JSON is UTF-8 (RFC 8259), anything else is refused.
const JSON_MEDIA_TYPE = 'application/json';
const UTF8_CHARSET = /^charset\s*=\s*(?:utf-8|"utf-8")$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Field names are echoed only when plainly harmless: no control or text-direction characters.
const SHOWABLE_FIELD = /^[A-Za-z0-9_.-]{1,40}$/;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The value of the one header called `name` (any case); `undefined` if absent or repeated. */
function readHeader(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  const values = Object.entries(headers)
    .filter(([key]) => key.toLowerCase() === name)
    .map(([, value]) => value);
  const [value] = values;
  return values.length === 1 && typeof value === 'string' ? value : undefined;
}

/** `application/json`, optionally with `charset=utf-8`, in any case. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type = '', ...parameters] = value.split(';').map((part) => part.trim());
  return (
    type.toLowerCase() === JSON_MEDIA_TYPE &&
    parameters.length <= 1 &&
    parameters.every((parameter) => UTF8_CHARSET.test(parameter))
  );
}

/** The body as text, enforcing the size limit before any decoding work. */
function readBodyText(body: unknown, isBase64Encoded: unknown): string {
  if (body === undefined || body === null || body === '') {
    throw new BadRequestError('empty_body', `The body must be ${WHAT_TO_SEND}.`);
  }
  if (typeof body !== 'string') {
    throw new BadRequestError('invalid_body', `The body must be ${WHAT_TO_SEND}.`);
  }
  if (isBase64Encoded !== true) {
    // A UTF-16 code unit never takes less than one byte in UTF-8: the length is a lower bound.
    if (body.length > MAX_PATCH_BODY_BYTES || Buffer.byteLength(body) > MAX_PATCH_BODY_BYTES) {
      throw new PayloadTooLargeError(MAX_PATCH_BODY_BYTES);
    }
    return body;
  }
  if (body.length > Math.ceil(MAX_PATCH_BODY_BYTES / 3) * 4) {
    throw new PayloadTooLargeError(MAX_PATCH_BODY_BYTES);
  }
  if (!BASE64.test(body)) {
    throw new BadRequestError('invalid_body', 'The body is marked base64-encoded but is not.');
  }
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length > MAX_PATCH_BODY_BYTES) throw new PayloadTooLargeError(MAX_PATCH_BODY_BYTES);
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new BadRequestError('invalid_body', 'The body must be UTF-8 text.', { cause: error });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError('invalid_json', `The body must be valid JSON: ${WHAT_TO_SEND}.`, {
      cause: error,
    });
  }
}

/**
 * Reads the profile change a `PATCH /me` event asks for.
 *
 * @param event - the HTTP API event; only `headers`, `body` and `isBase64Encoded` are read
 * @returns the normalized change, with at least one field
 * @throws {@link UnsupportedMediaTypeError} (415) unless `Content-Type` is JSON in UTF-8
 * @throws {@link PayloadTooLargeError} (413) for a body over {@link MAX_PATCH_BODY_BYTES}
 * @throws {@link BadRequestError} (400) for a missing, malformed or empty body, or an unknown field
 * @throws {@link ProfileValidationError} for an invalid `name` or `preferred_username`
 */
export function parseProfilePatch(event: unknown): ProfileUpdate {
  const request = isRecord(event) ? event : {};
  if (!isJsonContentType(readHeader(request.headers, 'content-type'))) {
    throw new UnsupportedMediaTypeError(
      'The body must be JSON, sent with Content-Type: application/json.',
    );
  }
  const parsed = parseJson(readBodyText(request.body, request.isBase64Encoded));
  if (!isRecord(parsed)) {
    throw new BadRequestError('invalid_body', `The body must be ${WHAT_TO_SEND}.`);
  }

  // Own keys, so a "__proto__" key in the JSON is an unknown field like any other.
  const fields = Object.keys(parsed);
  const unknown = fields.find((field) => !PATCHABLE_FIELDS.includes(field));
  if (unknown !== undefined) {
    const named = SHOWABLE_FIELD.test(unknown) ? `"${unknown}"` : 'in the body';
    throw new BadRequestError(
      'unknown_field',
      `Unknown field ${named}: only name and preferred_username can be changed.`,
    );
  }
  if (fields.length === 0) {
    throw new BadRequestError(
      'empty_update',
      'The body must contain name and/or preferred_username.',
    );
  }

  const update: ProfileUpdate = {};
  if (Object.hasOwn(parsed, 'name')) update.displayName = normalizeDisplayName(parsed.name);
  if (Object.hasOwn(parsed, 'preferred_username')) {
    update.handle = normalizeHandle(parsed.preferred_username);
  }
  return update;
}
