/**
 * The contract between the authorizer and the functions behind it: what the authorizer writes into
 * `requestContext.authorizer` and how a handler reads it back. Writer and reader live here together
 * so the encoding of each field (lists especially) is defined once.
 */
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { isRecord } from '../is-record';
import { InternalError } from '../api/http-error';
import type { Entitlements } from './access-rules';

/**
 * What the authorizer hands to the integration as `$context.authorizer.*` / `requestContext.authorizer`.
 * API Gateway (REST) accepts only strings, numbers and booleans as context values, so lists are
 * joined: `groups` with commas, `scope` with spaces as in the token.
 */
// A type alias, not an interface: aws-lambda's context constraint needs the implicit index
// signature that only type aliases get.
export type AuthorizerContext = {
  sub: string;
  username: string;
  clientId: string;
  tokenUse: string;
  scope: string;
  groups: string;
  authTime: number;
  /** Present only when the token carries one. */
  email?: string;
};

function readString(payload: JwtPayload, key: string): string {
  const value = payload[key];
  return typeof value === 'string' ? value : '';
}

function readStringList(payload: JwtPayload, key: string): string[] {
  const value = payload[key];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** Groups and scopes of a verified token, for access rules. */
export function toEntitlements(payload: JwtPayload): Entitlements {
  const scope = readString(payload, 'scope');
  return {
    groups: readStringList(payload, 'cognito:groups'),
    scopes: scope === '' ? [] : scope.split(' '),
  };
}

/** Builds the authorizer context from a verified Cognito access or id token. */
export function toAuthorizerContext(payload: JwtPayload): AuthorizerContext {
  const tokenUse = readString(payload, 'token_use');
  const isIdToken = tokenUse === 'id';
  const authTime = payload.auth_time;
  const context: AuthorizerContext = {
    sub: readString(payload, 'sub'),
    // Access tokens name the user `username`; id tokens `cognito:username`.
    username: readString(payload, isIdToken ? 'cognito:username' : 'username'),
    // Access tokens carry the app client in `client_id`; id tokens in `aud`.
    clientId: isIdToken ? readString(payload, 'aud') : readString(payload, 'client_id'),
    tokenUse,
    scope: readString(payload, 'scope'),
    groups: readStringList(payload, 'cognito:groups').join(','),
    authTime: typeof authTime === 'number' && Number.isFinite(authTime) ? authTime : 0,
  };
  // Id tokens carry the email; Cognito's access tokens do not (the dev key's do, so that a local
  // first call to GET /me can create the profile without asking Cognito).
  const email = readString(payload, 'email');
  if (email !== '') context.email = email;
  return context;
}

export interface Caller {
  /** The Cognito user's `sub`. */
  sub: string;
  /** The Cognito user name (`username` / `cognito:username`); empty when the context has none. */
  username: string;
  /** `access` or `id`. */
  tokenUse: string;
  /** The app client the token was issued to. */
  clientId: string;
  /** The token's OAuth scopes, space-separated as in the token. */
  scope: string;
  /** Only id tokens carry the email. */
  email: string | undefined;
  /** The caller's Cognito groups. */
  groups: string[];
}

/**
 * A protected route ran without the authorizer's context: the route is misconfigured (no
 * authorizer attached), which is our fault, hence a 500.
 */
export class MissingAuthorizerContextError extends InternalError {
  constructor(detail: string) {
    super(`request reached a protected route without a valid authorizer context: ${detail}`);
  }
}

// Cognito subs are UUIDs; anything printable, without spaces, is accepted as a defence in depth
// against control characters reaching logs and SQL parameters, not as a format check.
const SUB = /^[\x21-\x7e]{1,128}$/;
// Cognito user names: up to 128 characters, no whitespace or control characters.
const USERNAME = /^[^\p{White_Space}\p{Cc}]{1,128}$/u;
const MAX_FIELD_LENGTH = 2048;

function readText(context: Record<string, unknown>, key: string): string {
  const value = context[key];
  return typeof value === 'string' && value.length <= MAX_FIELD_LENGTH ? value : '';
}

/** The authorizer context (`requestContext.authorizer.lambda`), if the event has one. */
function readAuthorizerContext(event: unknown): Record<string, unknown> | undefined {
  if (!isRecord(event) || !isRecord(event.requestContext)) return undefined;
  const { authorizer } = event.requestContext;
  if (!isRecord(authorizer) || !isRecord(authorizer.lambda)) return undefined;
  return authorizer.lambda;
}

/**
 * Reads and validates the caller of an HTTP API (payload 2.0) request.
 *
 * @throws {@link MissingAuthorizerContextError} when the context or its `sub` is missing or malformed
 */
export function readCaller(event: unknown): Caller {
  const context = readAuthorizerContext(event);
  if (context === undefined) throw new MissingAuthorizerContextError('no context');
  const sub = readText(context, 'sub');
  if (!SUB.test(sub)) throw new MissingAuthorizerContextError('no valid sub');
  const username = readText(context, 'username');
  const email = readText(context, 'email');
  return {
    sub,
    username: USERNAME.test(username) ? username : '',
    tokenUse: readText(context, 'tokenUse'),
    clientId: readText(context, 'clientId'),
    scope: readText(context, 'scope'),
    email: email === '' ? undefined : email,
    groups: readText(context, 'groups')
      .split(',')
      .map((group) => group.trim())
      .filter((group) => group !== ''),
  };
}
