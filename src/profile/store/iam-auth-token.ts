/**
 * IAM database authentication tokens for PostgreSQL on RDS / RDS Proxy: the password pg sends for
 * each new connection, so no password is stored anywhere.
 *
 * `Signer.getAuthToken()` of @aws-sdk/rds-signer presigns an `Action=connect` request with SigV4
 * from the function's own credentials; it makes no network call (its source: SignatureV4.presign
 * with expiresIn 900, then formatUrl). A token is accepted for 15 minutes, and only for opening a
 * connection: a connection opened with it stays open after that.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.Connecting.html
 */
import { Signer, type SignerConfig } from '@aws-sdk/rds-signer';
import type { PostgresIamDatabaseConfig } from '../../config';

/** What pg calls for every new connection's password. */
export type AuthTokenSource = () => Promise<string>;

/**
 * A token is reused for 10 minutes, well inside its 15-minute life: a connection opened at the end
 * of the reuse window still has 5 minutes of slack for clock skew and a slow handshake. Signing is
 * cheap (one HMAC chain), so this only spares work when a pool opens several connections at once.
 */
export const TOKEN_REUSE_MS = 10 * 60_000;

export interface IamAuthTokenOptions {
  /** Credentials to sign with; the default is the SDK's Node chain (Lambda: its environment). */
  credentials?: SignerConfig['credentials'];
  /** The clock deciding when a cached token is too old (tests freeze it). */
  now?: () => number;
}

/**
 * Returns a token source for the configured host, port and user. Concurrent callers while a token
 * is being signed share that one signing; a failed signing is not cached.
 */
export function createIamAuthTokenSource(
  config: Pick<PostgresIamDatabaseConfig, 'host' | 'port' | 'user' | 'region'>,
  options: IamAuthTokenOptions = {},
): AuthTokenSource {
  const now = options.now ?? Date.now;
  const signer = new Signer({
    hostname: config.host,
    port: config.port,
    username: config.user,
    region: config.region,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  let cached: { token: Promise<string>; signedAt: number } | undefined;
  return () => {
    const at = now();
    if (cached === undefined || at - cached.signedAt >= TOKEN_REUSE_MS) {
      const entry = { token: signer.getAuthToken(), signedAt: at };
      entry.token.catch(() => {
        if (cached === entry) cached = undefined;
      });
      cached = entry;
    }
    return cached.token;
  };
}
