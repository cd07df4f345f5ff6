/**
 * The contract between the authorizer and the functions behind it: what the authorizer writes into
 * `requestContext.authorizer` and how a handler reads it back. Writer and reader live here together
 * so the encoding of each field (lists especially) is defined once.
 */
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { isRecord } from '../is-record';
import { InternalError } from '../api/http-error';
import type { Entitlements, PrincipalKind } from './access-rules';
import { TokenRejectedError } from './token-rejected-error';

/**
 * What the authorizer hands to the integration as `$context.authorizer.*` / `requestContext.authorizer`.
 * API Gateway (REST) accepts only strings, numbers and booleans as context values
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html),
 * so `groups` travels as a JSON array string (`["ops,admin"]`): a group name may contain commas,
 * spaces or quotes, and a joined list could not tell one such group from several. `scope` stays
 * space-separated as in the token (scope tokens cannot contain spaces, RFC 6749 §3.3).
 */
// A type alias, not an interface: aws-lambda's context constraint needs the implicit index
// signature that only type aliases get.
export type AuthorizerContext = {
  sub: string;
  username: string;
  clientId: string;
  tokenUse: string;
  scope: string;
  /** JSON array of strings: `[]`, `["admin"]`, `["ops,admin"]`. */
  groups: string;
  authTime: number;
  /** `machine` for client-credentials tokens (no user behind them), else `user`. */
  principalKind: PrincipalKind;
  /** The user pool that issued the token (several may be trusted). */
  userPoolId: string;
  /** Present only when the token carries one. */
  email?: string;
};

// Cognito subs are UUIDs (client ids for machine tokens); anything printable, without spaces, is
// accepted as a defence in depth against control characters reaching logs and SQL parameters, not
// as a format check. The writer refuses a token whose sub fails it: REST needs a principalId, and
// an empty one is a 500 at the gateway.
const SUB = /^[\x21-\x7e]{1,128}$/;
// Cognito user names: up to 128 characters, no whitespace or control characters.
const USERNAME = /^[^\p{White_Space}\p{Cc}]{1,128}$/u;
const MAX_FIELD_LENGTH = 2048;

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

/**
 * Cognito's client-credentials access tokens have `sub` equal to `client_id`, no `username` and no
 * groups (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html).
 */
function readPrincipalKind(payload: JwtPayload): PrincipalKind {
  const isMachine =
    payload.token_use === 'access' &&
    payload.username === undefined &&
    typeof payload.sub === 'string' &&
    payload.sub === payload.client_id;
  return isMachine ? 'machine' : 'user';
}

function readAuthTime(payload: JwtPayload): number | undefined {
  const authTime = payload.auth_time;
  return typeof authTime === 'number' && Number.isFinite(authTime) ? authTime : undefined;
}

/** Groups, scopes, principal kind and sign-in facts of a verified token, for access rules. */
export function toEntitlements(payload: JwtPayload): Entitlements {
  const scope = readString(payload, 'scope');
  return {
    groups: readStringList(payload, 'cognito:groups'),
    scopes: scope === '' ? [] : scope.split(' '),
    principalKind: readPrincipalKind(payload),
    amr: readStringList(payload, 'amr'),
    authTime: readAuthTime(payload),
  };
}

/** The `groups` context value; most callers have none, and `[]` needs no serializer. */
function encodeGroups(groups: readonly string[]): string {
  return groups.length === 0 ? '[]' : JSON.stringify(groups);
}

/** `https://cognito-idp.<region>.amazonaws.com/<pool>` (or `issuer-cognito-idp.…`) → `<pool>`. */
function readUserPoolId(payload: JwtPayload): string {
  const iss = readString(payload, 'iss');
  return iss.slice(iss.lastIndexOf('/') + 1);
}

/**
 * Builds the authorizer context from a verified Cognito access or id token.
 *
 * @throws {@link TokenRejectedError} (`invalid_claims`) when the token has no usable string `sub`
 */
export function toAuthorizerContext(payload: JwtPayload): AuthorizerContext {
  const { sub } = payload;
  if (typeof sub !== 'string' || !SUB.test(sub)) {
    throw new TokenRejectedError(
      'invalid_claims',
      'token must carry a sub claim of 1-128 printable characters',
    );
  }
  const tokenUse = readString(payload, 'token_use');
  const isIdToken = tokenUse === 'id';
  const context: AuthorizerContext = {
    sub,
    // Access tokens name the user `username`; id tokens `cognito:username`.
    username: readString(payload, isIdToken ? 'cognito:username' : 'username'),
    // Access tokens carry the app client in `client_id`; id tokens in `aud`.
    clientId: isIdToken ? readString(payload, 'aud') : readString(payload, 'client_id'),
    tokenUse,
    scope: readString(payload, 'scope'),
    groups: encodeGroups(readStringList(payload, 'cognito:groups')),
    authTime: readAuthTime(payload) ?? 0,
    principalKind: readPrincipalKind(payload),
    userPoolId: readUserPoolId(payload),
  };
  // Id tokens carry the email; Cognito's access tokens do not (the dev key's do, so that a local
  // first call to GET /me can create the profile without asking Cognito).
  const email = readString(payload, 'email');
  if (email !== '') context.email = email;
  return context;
}

export interface Caller {
  /** The Cognito user's `sub` (a machine caller's: its client id). */
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
  /** The caller's Cognito groups, each exactly as named in the pool. */
  groups: string[];
  principalKind: PrincipalKind;
  /** The pool that issued the caller's token; empty when the context has none. */
  userPoolId: string;
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

function readText(context: Record<string, unknown>, key: string): string {
  const value = context[key];
  return typeof value === 'string' && value.length <= MAX_FIELD_LENGTH ? value : '';
}

function readGroups(context: Record<string, unknown>): string[] {
  const raw = readText(context, 'groups');
  let groups: unknown;
  try {
    groups = JSON.parse(raw);
  } catch {
    groups = undefined;
  }
  if (!Array.isArray(groups) || !groups.every((group) => typeof group === 'string')) {
    // Never guess (for instance split on commas): a wrong guess could grant a group.
    throw new MissingAuthorizerContextError('groups is not a JSON array of strings');
  }
  return groups;
}

function readPrincipal(context: Record<string, unknown>): PrincipalKind {
  const kind = context.principalKind;
  if (kind !== 'user' && kind !== 'machine') {
    throw new MissingAuthorizerContextError('no valid principalKind');
  }
  return kind;
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
 * @throws {@link MissingAuthorizerContextError} when the context, its `sub`, `groups` or
 *   `principalKind` is missing or malformed
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
    groups: readGroups(context),
    principalKind: readPrincipal(context),
    userPoolId: readText(context, 'userPoolId'),
  };
}
