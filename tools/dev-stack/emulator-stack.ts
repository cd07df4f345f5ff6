import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CONFIRMATION_CODE,
  LOCAL_CLIENT_ID,
  LOCAL_POOL_ID,
  startCognitoLocal,
} from './cognito-local';
import { ROOT } from './root';
import { startLocalStack } from './local-stack';
import { createStackLogPrinter, type LogFormat } from './stack-log';
import {
  API_PORT,
  COGNITO_PORT,
  LAMBDA_PORT,
  assertPortFree,
  readPort,
  type PortSetting,
} from './stack-ports';

export interface EmulatorStack {
  apiUrl: string;
  cognitoEndpoint: string;
  /** Where the emulator's users and the profiles live. */
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmulatorStackOptions {
  /** `.data/<name>/` holds this stack's state: `cognito/` (users) and `profiles/` (PGlite). */
  name: string;
  /** Delete that state first (`--reset`). */
  reset: boolean;
  logFormat: LogFormat;
  /** Ports already checked elsewhere (the demo's page), named in the API's CORS origin. */
  webOrigin?: string;
  env?: NodeJS.ProcessEnv;
}

/** `.data/<name>`: the state of one stack. */
export function stackDataDir(name: string): string {
  return join(ROOT, '.data', name);
}

/** Reads and checks every port of the emulator stack before anything starts. */
export async function readEmulatorPorts(env: NodeJS.ProcessEnv) {
  const settings: PortSetting[] = [API_PORT, LAMBDA_PORT, COGNITO_PORT];
  const [api, lambda, cognito] = settings.map((setting) => readPort(setting, env)) as [
    number,
    number,
    number,
  ];
  for (const [port, setting] of [
    [api, API_PORT],
    [lambda, LAMBDA_PORT],
    [cognito, COGNITO_PORT],
  ] as const) {
    await assertPortFree(port, setting);
  }
  return { api, lambda, cognito };
}

/**
 * cognito-local (pool us-east-1_LocalPool1, client cognitogatelocalwebclient1, every code 123456)
 * and the API with the authorizer trusting the emulator's keys and the triggers wired to it; the
 * functions' log lines printed as they come.
 */
export async function startEmulatorStack(options: EmulatorStackOptions): Promise<EmulatorStack> {
  const env = options.env ?? process.env;
  const ports = await readEmulatorPorts(env);
  const dataDir = stackDataDir(options.name);
  if (options.reset) {
    rmSync(dataDir, { recursive: true, force: true });
    if (env.DATABASE_URL !== undefined && env.DATABASE_URL !== '') {
      process.stderr.write(
        `--reset cleared the emulator's users in ${relative(ROOT, dataDir)}, but not the profiles in DATABASE_URL: clear those too, or a handle stays taken.\n`,
      );
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const printer = createStackLogPrinter(options.logFormat, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  const cognito = await startCognitoLocal({
    lambdaPort: ports.lambda,
    port: ports.cognito,
    dataDir: join(dataDir, 'cognito'),
  });
  try {
    const stack = await startLocalStack(
      {
        PORT: String(ports.api),
        LAMBDA_PORT: String(ports.lambda),
        COGNITO_USER_POOL_ID: LOCAL_POOL_ID,
        COGNITO_CLIENT_IDS: LOCAL_CLIENT_ID,
        COGNITO_JWKS_FILE: cognito.jwksFile,
        DATABASE_URL:
          env.DATABASE_URL !== undefined && env.DATABASE_URL !== ''
            ? env.DATABASE_URL
            : `pglite:${join(dataDir, 'profiles')}`,
        ...(options.webOrigin === undefined ? {} : { WEB_ORIGIN: options.webOrigin }),
      },
      { onStdout: printer.stdout, onStderr: printer.stderr },
    );
    return {
      apiUrl: stack.baseUrl,
      cognitoEndpoint: cognito.endpoint.replace('127.0.0.1', 'localhost'),
      dataDir,
      stop: async () => {
        await Promise.all([stack.stop(), cognito.stop()]);
        printer.flush();
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
    `State:            ${relative(ROOT, stack.dataDir)}/ (users in cognito/, profiles in profiles/; --reset clears both)`,
  ].join('\n');
}
