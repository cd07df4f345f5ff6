/**
 * Minting Cognito-shaped RS256 tokens for local runs, tests and benchmarks. Never used by the
 * Lambda functions themselves.
 */
import {
  createSign,
  generateKeyPairSync,
  type KeyObject,
  createPrivateKey,
  createPublicKey,
} from 'node:crypto';

export interface JsonWebKeyPair {
  kid: string;
  privateKey: KeyObject;
  /** The public half as it appears in a JWKS. */
  publicJwk: { kty: 'RSA'; n: string; e: string; kid: string; alg: 'RS256'; use: 'sig' };
}

export type Claims = Record<string, unknown>;

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Signs `payload` with RS256; `header` fields override the defaults (alg, typ, kid). */
export function signJwt(keyPair: JsonWebKeyPair, payload: Claims, header: Claims = {}): string {
  const signingInput = `${encodeSegment({ alg: 'RS256', typ: 'JWT', kid: keyPair.kid, ...header })}.${encodeSegment(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(keyPair.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function toPublicJwk(privateKey: KeyObject, kid: string): JsonWebKeyPair['publicJwk'] {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new TypeError('not an RSA key');
  return { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' };
}

/** A fresh RSA-2048 key pair (tests and benchmarks). */
export function generateKeyPair(kid: string): JsonWebKeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicJwk: toPublicJwk(privateKey, kid) };
}

/** A key pair from a private JWK (the committed dev key). */
export function keyPairFromPrivateJwk(
  jwk: { kid: string } & Record<string, unknown>,
): JsonWebKeyPair {
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return { kid: jwk.kid, privateKey, publicJwk: toPublicJwk(privateKey, jwk.kid) };
}

/** `https://cognito-idp.<region>.amazonaws.com/<pool id>`, as Cognito writes `iss`. */
export function cognitoIssuer(userPoolId: string): string {
  const region = userPoolId.split('_')[0] ?? '';
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

export interface CognitoTokenOptions {
  userPoolId: string;
  clientId: string;
  tokenUse?: 'access' | 'id';
  sub?: string;
  username?: string;
  email?: string;
  groups?: string[];
  scope?: string;
  /** Seconds since the epoch; `iat` and, unless {@link authTime} says otherwise, `auth_time`. */
  issuedAt: number;
  /** When the user signed in (`auth_time`), if earlier than `issuedAt` (a refreshed token). */
  authTime?: number;
  /** Authentication methods (`amr`), for step-up rules; absent unless given. */
  amr?: string[];
  /**
   * A client-credentials token, as Cognito issues to a machine: `sub` is the client id, no
   * `username`, no groups, no `auth_time`, and the scopes are the resource server's.
   */
  machine?: boolean;
  /** Lifetime in seconds (Cognito's default is 3600). */
  expiresIn?: number;
}

/** The claims Cognito puts in an access or id token. */
export function buildCognitoClaims(options: CognitoTokenOptions): Claims {
  if (options.machine === true) {
    return {
      sub: options.clientId,
      iss: cognitoIssuer(options.userPoolId),
      token_use: 'access',
      iat: options.issuedAt,
      exp: options.issuedAt + (options.expiresIn ?? 3600),
      jti: `${options.clientId.slice(0, 8)}-${options.issuedAt}`,
      client_id: options.clientId,
      scope: options.scope ?? 'profiles/read',
      version: 2,
    };
  }
  const sub = options.sub ?? '4f1c2a3b-0000-4000-8000-000000000001';
  const username = options.username ?? sub;
  const tokenUse = options.tokenUse ?? 'access';
  const common: Claims = {
    sub,
    iss: cognitoIssuer(options.userPoolId),
    token_use: tokenUse,
    auth_time: options.authTime ?? options.issuedAt,
    iat: options.issuedAt,
    exp: options.issuedAt + (options.expiresIn ?? 3600),
    jti: `${sub.slice(0, 8)}-${options.issuedAt}`,
    origin_jti: `${sub.slice(0, 8)}-origin`,
    ...(options.groups && options.groups.length > 0 && { 'cognito:groups': options.groups }),
    ...(options.amr && { amr: options.amr }),
  };
  if (tokenUse === 'id') {
    return {
      ...common,
      aud: options.clientId,
      'cognito:username': username,
      email: options.email ?? 'jane@example.com',
      email_verified: true,
    };
  }
  return {
    ...common,
    client_id: options.clientId,
    username,
    scope: options.scope ?? 'aws.cognito.signin.user.admin',
    // Not in Cognito's access tokens; only added when asked for (dev tokens, see scripts/token.ts).
    ...(options.email !== undefined && { email: options.email }),
  };
}
