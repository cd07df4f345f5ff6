import { join } from 'node:path';
import {
  CONFIRMATION_CODE,
  LOCAL_CLIENT_ID,
  LOCAL_POOL_ID,
  startCognitoLocal,
} from './cognito-local';
import { startLocalStack } from './local-stack';

export interface EmulatorStack {
  apiUrl: string;
  cognitoEndpoint: string;
  stop(): Promise<void>;
}

/**
 * cognito-local (pool us-east-1_LocalPool1, client cognitogatelocalwebclient1, every code 123456)
 * and the API with the authorizer trusting the emulator's keys and the triggers wired to it.
 */
export async function startEmulatorStack(dataName: string): Promise<EmulatorStack> {
  const httpPort = Number(process.env.PORT ?? 3000);
  const lambdaPort = Number(process.env.LAMBDA_PORT ?? 3002);
  const cognitoPort = Number(process.env.COGNITO_PORT ?? 9229);
  const cognito = await startCognitoLocal(lambdaPort, cognitoPort);
  try {
    const stack = await startLocalStack({
      PORT: String(httpPort),
      LAMBDA_PORT: String(lambdaPort),
      COGNITO_USER_POOL_ID: LOCAL_POOL_ID,
      COGNITO_CLIENT_IDS: LOCAL_CLIENT_ID,
      COGNITO_JWKS_FILE: cognito.jwksFile,
      DATABASE_URL:
        process.env.DATABASE_URL ?? `pglite:${join(__dirname, '..', '..', '.data', dataName)}`,
    });
    return {
      apiUrl: stack.baseUrl,
      cognitoEndpoint: cognito.endpoint,
      stop: async () => {
        await Promise.all([stack.stop(), cognito.stop()]);
      },
    };
  } catch (error) {
    await cognito.stop();
    throw error;
  }
}

export function describeEmulatorStack(stack: EmulatorStack): string {
  return [
    `Cognito emulator: ${stack.cognitoEndpoint} (pool ${LOCAL_POOL_ID}, client ${LOCAL_CLIENT_ID}, every code ${CONFIRMATION_CODE})`,
    `API:              ${stack.apiUrl}`,
  ].join('\n');
}
