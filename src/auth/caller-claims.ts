import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { Caller } from './access-rules';

/**
 * What the authorizer hands to the integration as `$context.authorizer.*` / `requestContext.authorizer`.
 * API Gateway (REST) accepts only strings, numbers and booleans as context values, so lists are
 * joined: `groups` with commas, `scope` with spaces as in the token.
 */
export interface AuthorizerContext {
  [key: string]: string | number | boolean;
  sub: string;
  username: string;
  clientId: string;
  tokenUse: string;
  scope: string;
  groups: string;
  authTime: number;
}

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
export function toCaller(payload: JwtPayload): Caller {
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
