/**
 * `npm run start:emulator`: cognito-local (a Cognito emulator with the committed pool
 * us-east-1_LocalPool1 and client cognitogatelocalwebclient1, every code 123456) on
 * http://localhost:9229, and the API on http://localhost:3000 with the authorizer trusting the
 * emulator's keys and the triggers wired to the emulator. Ctrl-C stops both.
 */
import { join } from 'node:path';
import {
  CONFIRMATION_CODE,
  LOCAL_CLIENT_ID,
  LOCAL_POOL_ID,
  startCognitoLocal,
} from '../test/support/cognito-local';
import { startLocalStack } from '../test/support/local-stack';

async function main(): Promise<void> {
  const httpPort = Number(process.env.PORT ?? 3000);
  const lambdaPort = Number(process.env.LAMBDA_PORT ?? 3002);
  const cognitoPort = Number(process.env.COGNITO_PORT ?? 9229);
  const cognito = await startCognitoLocal(lambdaPort, cognitoPort);
  const stack = await startLocalStack({
    PORT: String(httpPort),
    LAMBDA_PORT: String(lambdaPort),
    COGNITO_USER_POOL_ID: LOCAL_POOL_ID,
    COGNITO_CLIENT_IDS: LOCAL_CLIENT_ID,
    COGNITO_JWKS_FILE: cognito.jwksFile,
    DATABASE_URL:
      process.env.DATABASE_URL ?? `pglite:${join(__dirname, '..', '.data', 'emulator-profiles')}`,
  });
  process.stdout.write(
    [
      `Cognito emulator: ${cognito.endpoint} (pool ${LOCAL_POOL_ID}, client ${LOCAL_CLIENT_ID}, every code ${CONFIRMATION_CODE})`,
      `API:              ${stack.baseUrl}`,
      'Ctrl-C stops both.',
      '',
    ].join('\n'),
  );
  const stop = () => {
    void Promise.all([stack.stop(), cognito.stop()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `start:emulator failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
