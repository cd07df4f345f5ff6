/**
 * The whole sign-up journey against cognito-local (a Cognito emulator) and the local stack:
 * sign up → PreSignUp → confirm → PostConfirmation seeds the profile → sign in → call the API with
 * the access token through the authorizer; plus rejected sign-ups, password recovery and groups.
 * Known emulator gaps (no GlobalSignOut, no SRP) are documented in the README.
 */
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CONFIRMATION_CODE,
  LOCAL_CLIENT_ID,
  LOCAL_POOL_ID,
  startCognitoLocal,
  type CognitoLocal,
} from '../../tools/dev-stack/cognito-local';
import { findFreePort } from '../../tools/dev-stack/free-port';
import { startLocalStack, type LocalStack } from '../../tools/dev-stack/local-stack';
import { createPostgresBackend, type FreshDatabase } from '../support/profile-store-fixtures';

jest.setTimeout(120_000);

const postgres = createPostgresBackend();
// The emulator compares usernames case-sensitively (the stack's pool does not: UsernameConfiguration),
// so every Cognito call below spells the address as it was signed up.
const ADA = 'Ada.Lovelace@Example.com';

describe('the sign-up journey on cognito-local', () => {
  if (!postgres.available) {
    it('is not run: no PostgreSQL server on this machine (CI requires one)', () => {
      expect(process.env.CI).not.toBe('true');
    });
    return;
  }

  let cognito: CognitoLocal;
  let stack: LocalStack;
  let database: FreshDatabase;
  let client: CognitoIdentityProviderClient;

  beforeAll(async () => {
    await postgres.prepare();
    database = await postgres.openFresh();
    const lambdaPort = await findFreePort();
    cognito = await startCognitoLocal({ lambdaPort });
    stack = await startLocalStack({
      LAMBDA_PORT: String(lambdaPort),
      COGNITO_USER_POOL_ID: LOCAL_POOL_ID,
      COGNITO_CLIENT_IDS: LOCAL_CLIENT_ID,
      COGNITO_JWKS_FILE: cognito.jwksFile,
      DATABASE_URL: database.config?.connectionString ?? '',
    });
    client = new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  }, 180_000);

  afterAll(async () => {
    client.destroy();
    await stack.stop();
    await cognito.stop();
    await database.close();
    await postgres.dispose();
  });

  async function signUp(email: string, name: string, handle?: string) {
    return client.send(
      new SignUpCommand({
        ClientId: LOCAL_CLIENT_ID,
        Username: email,
        Password: 'Correct-Horse-9',
        // As the page signs up: the app client may write only the email; the display name and
        // handle go to PreSignUp as ClientMetadata (cognito-local 5.3 passes it on).
        UserAttributes: [{ Name: 'email', Value: email }],
        ClientMetadata: { displayName: name, ...(handle === undefined ? {} : { handle }) },
      }),
    );
  }

  async function confirm(email: string) {
    await client.send(
      new ConfirmSignUpCommand({
        ClientId: LOCAL_CLIENT_ID,
        Username: email,
        ConfirmationCode: CONFIRMATION_CODE,
      }),
    );
  }

  async function signIn(email: string, password = 'Correct-Horse-9'): Promise<string> {
    const result = await client.send(
      new InitiateAuthCommand({
        ClientId: LOCAL_CLIENT_ID,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const token = result.AuthenticationResult?.AccessToken;
    if (token === undefined) throw new Error('no access token');
    return token;
  }

  async function call(path: string, token: string) {
    const response = await fetch(`${stack.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const profileOf = async (email: string) =>
    (
      await database.db.query(
        'SELECT email, display_name, handle, cognito_sub FROM profiles WHERE email = $1',
        [email],
      )
    )[0];

  it('signs up, confirms, seeds the profile, signs in and calls the API', async () => {
    const { UserSub: sub } = await signUp(ADA, '  Ada   Lovelace ', 'Ada_L');
    expect(await profileOf('ada.lovelace@example.com')).toBeUndefined();
    await confirm(ADA);
    expect(await profileOf('ada.lovelace@example.com')).toEqual({
      email: 'ada.lovelace@example.com',
      display_name: 'Ada Lovelace',
      handle: 'ada_l',
      cognito_sub: sub,
    });
    const token = await signIn(ADA);
    const response = await call('/whoami', token);
    expect(response).toEqual({
      status: 200,
      body: expect.objectContaining({ sub, groups: [] }) as unknown,
    });
  });

  it('refuses a signed-in person writing their own handle or name in Cognito, as the client’s WriteAttributes do on AWS', async () => {
    const token = await signIn(ADA);
    for (const attribute of [
      { Name: 'preferred_username', Value: 'admin' },
      { Name: 'name', Value: 'Ada \u202eecalevoL' },
    ]) {
      const attempt = client.send(
        new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [attribute] }),
      );
      await expect(attempt).rejects.toThrow(NotAuthorizedException);
      await expect(attempt).rejects.toThrow('A client attempted to write unauthorized attribute');
    }
    expect((await call('/me', token)).body).toMatchObject({
      name: 'Ada Lovelace',
      preferred_username: 'ada_l',
    });
  });

  it('refuses a sign-up that sets name as an attribute (it travels as ClientMetadata)', async () => {
    const attempt = client.send(
      new SignUpCommand({
        ClientId: LOCAL_CLIENT_ID,
        Username: 'attr@example.com',
        Password: 'Correct-Horse-9',
        UserAttributes: [
          { Name: 'email', Value: 'attr@example.com' },
          { Name: 'name', Value: 'Attr' },
        ],
      }),
    );
    await expect(attempt).rejects.toThrow(NotAuthorizedException);
  });

  it('rejects a sign-up with an invisible name, with our message', async () => {
    await expect(signUp('ghost@example.com', '\u200b\u3164', 'ghost')).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: expect.stringContaining('Display name must contain visible characters') as unknown,
    });
  });

  it('rejects a sign-up whose handle is taken in another case', async () => {
    await expect(signUp('other.ada@example.com', 'Other Ada', 'ADA_l')).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: expect.stringContaining('Handle is already taken; choose another') as unknown,
    });
  });

  it('signs out: a revoked refresh token gets no new tokens', async () => {
    const signedIn = await client.send(
      new InitiateAuthCommand({
        ClientId: LOCAL_CLIENT_ID,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: ADA, PASSWORD: 'Correct-Horse-9' },
      }),
    );
    const refreshToken = signedIn.AuthenticationResult?.RefreshToken ?? '';
    const refresh = () =>
      client.send(
        new InitiateAuthCommand({
          ClientId: LOCAL_CLIENT_ID,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      );
    await expect(refresh()).resolves.toMatchObject({
      AuthenticationResult: expect.any(Object) as unknown,
    });
    await client.send(new RevokeTokenCommand({ ClientId: LOCAL_CLIENT_ID, Token: refreshToken }));
    await expect(refresh()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('recovers a forgotten password without touching the profile', async () => {
    const before = await profileOf('ada.lovelace@example.com');
    await client.send(
      new ForgotPasswordCommand({
        ClientId: LOCAL_CLIENT_ID,
        Username: ADA,
      }),
    );
    await client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: LOCAL_CLIENT_ID,
        Username: ADA,
        ConfirmationCode: CONFIRMATION_CODE,
        Password: 'Brand-New-Pass-7',
      }),
    );
    await expect(signIn(ADA, 'Brand-New-Pass-7')).resolves.toEqual(expect.any(String));
    expect(await profileOf('ada.lovelace@example.com')).toEqual(before);
  });

  it('lets a member of the admin group through the admin route, and no one else', async () => {
    await signUp('grace@example.com', 'Grace Hopper', 'grace');
    await confirm('grace@example.com');
    await client.send(new CreateGroupCommand({ UserPoolId: LOCAL_POOL_ID, GroupName: 'admin' }));
    await client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: LOCAL_POOL_ID,
        Username: 'grace@example.com',
        GroupName: 'admin',
      }),
    );
    expect(await call('/profiles/ada_l', await signIn('grace@example.com'))).toEqual({
      status: 200,
      body: expect.objectContaining({ preferred_username: 'ada_l' }) as unknown,
    });
    expect((await call('/profiles/grace', await signIn(ADA, 'Brand-New-Pass-7'))).status).toBe(403);
  });
  it('refuses a password the pool’s policy refuses, as Cognito does (the emulator itself does not)', async () => {
    const attempt = client.send(
      new SignUpCommand({
        ClientId: LOCAL_CLIENT_ID,
        Username: 'shorty@example.com',
        Password: 'short',
        UserAttributes: [{ Name: 'email', Value: 'shorty@example.com' }],
        ClientMetadata: { displayName: 'Shorty' },
      }),
    );
    await expect(attempt).rejects.toThrow(InvalidPasswordException);
    await expect(attempt).rejects.toThrow(
      'Password did not conform with policy: Password not long enough',
    );
  });

  it('refreshes tokens through GetTokensFromRefreshToken (what Amplify calls), which the API accepts', async () => {
    await signUp('lin@example.com', 'Lin Yu', 'lin_y');
    await confirm('lin@example.com');
    const signedIn = await client.send(
      new InitiateAuthCommand({
        ClientId: LOCAL_CLIENT_ID,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'lin@example.com', PASSWORD: 'Correct-Horse-9' },
      }),
    );
    const refreshed = await client.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: LOCAL_CLIENT_ID,
        RefreshToken: signedIn.AuthenticationResult?.RefreshToken,
      }),
    );
    const token = refreshed.AuthenticationResult?.AccessToken;
    expect(token).toEqual(expect.any(String));
    expect(token).not.toBe(signedIn.AuthenticationResult?.AccessToken);
    expect((await call('/me', token ?? '')).body).toMatchObject({ preferred_username: 'lin_y' });
    expect(cognito.refreshCount()).toBe(1);
  });
});
