/**
 * Reads a user's attributes from Cognito (AdminGetUser), for profiles created on the first API
 * call: access tokens carry only `sub` and `username`, and the authorizer passes no `name` or
 * `preferred_username` on, so Cognito is asked for what the token lacks.
 */

/**
 * A user's attributes by name (`email`, `name`, `preferred_username`, `sub`, …) in the pool that
 * issued the caller's token (empty when the authorizer context does not say); `undefined` when
 * Cognito has no such user.
 */
export type LookUpUser = (
  username: string,
  userPoolId: string,
) => Promise<Record<string, string> | undefined>;

/** The caller's pool is not one the API may ask: a configuration mismatch (500), not the caller's fault. */
export class UnknownUserPoolError extends Error {
  constructor(userPoolId: string) {
    super(
      `COGNITO_USER_POOL_ID of the API does not list the caller's pool "${userPoolId.slice(0, 60)}"`,
    );
    this.name = 'UnknownUserPoolError';
  }
}

// The API answers people waiting on it: a slow Cognito should fail fast (503) rather than hold the
// request until API Gateway's 30-second limit.
const CONNECTION_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
const MAX_ATTEMPTS = 2;

/**
 * The real lookup: AdminGetUser on the caller's pool (one of `userPoolIds`; with a single pool, a
 * context without one means that pool), through the AWS SDK v3 that Lambda provides
 * (loaded on first use, one client per container). The function's role needs
 * `cognito-idp:AdminGetUser` on the pool.
 */
export function createCognitoUserLookup(userPoolIds: readonly string[]): LookUpUser {
  let client: Promise<LookUpUser> | undefined;
  return async (username, callerPoolId) => {
    const poolId =
      callerPoolId === '' && userPoolIds.length === 1 ? (userPoolIds[0] ?? '') : callerPoolId;
    if (!userPoolIds.includes(poolId)) throw new UnknownUserPoolError(callerPoolId);
    client ??= import('@aws-sdk/client-cognito-identity-provider').then((sdk) => {
      const cognito = new sdk.CognitoIdentityProviderClient({
        maxAttempts: MAX_ATTEMPTS,
        requestHandler: {
          connectionTimeout: CONNECTION_TIMEOUT_MS,
          requestTimeout: REQUEST_TIMEOUT_MS,
        },
      });
      return async (name: string, userPoolId: string) => {
        try {
          const user = await cognito.send(
            new sdk.AdminGetUserCommand({ UserPoolId: userPoolId, Username: name }),
          );
          const attributes: Record<string, string> = {};
          for (const { Name, Value } of user.UserAttributes ?? []) {
            if (Name !== undefined && Value !== undefined) attributes[Name] = Value;
          }
          return attributes;
        } catch (error) {
          // By name rather than instanceof: the class belongs to the SDK copy that was loaded.
          if (error instanceof Error && error.name === 'UserNotFoundException') return undefined;
          throw error;
        }
      };
    });
    return (await client)(username, poolId);
  };
}
