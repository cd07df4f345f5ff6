/**
 * cognito-local (a Cognito emulator) with the pool `us-east-1_LocalPool1` and app client generated
 * from serverless.yml (local/cognito-local/.cognito/, see emulator-config.ts), behind the proxy of
 * cognito-proxy.ts (password policy, GetTokensFromRefreshToken). Its triggers call our functions
 * through serverless-offline's Lambda endpoint.
 *
 * Its users live in `dataDir` when one is given (the emulator and demo stacks keep them in .data/
 * beside the profiles, so both survive a restart together), else in a temporary directory deleted on
 * stop (tests).
 */
import { spawn } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCognitoProxy } from './cognito-proxy';
import { EMULATOR_CONFIG_DIR, LOCAL_CLIENT_ID, LOCAL_POOL_ID } from './emulator-config';
import { findFreePort } from './free-port';
import { ROOT } from './root';
import type { PasswordPolicy } from '../../web/src/password-policy';

export { LOCAL_CLIENT_ID, LOCAL_POOL_ID } from './emulator-config';
/** Every confirmation and password-reset code the emulator sends. */
export const CONFIRMATION_CODE = '123456';

export interface CognitoLocalOptions {
  /** serverless-offline's Lambda endpoint port, which the triggers call. */
  lambdaPort: number;
  /** Where clients reach it (the proxy); a free port when omitted. */
  port?: number;
  /** Keep the emulator's data here across runs; a temporary directory when omitted. */
  dataDir?: string;
  /** Test-only changes to the app client, e.g. `{ AccessTokenValidity: 5, … }`. */
  clientOverrides?: Record<string, unknown>;
}

export interface CognitoLocal {
  endpoint: string;
  /** Path of a file holding the emulator's JWKS (for COGNITO_JWKS_FILE). */
  jwksFile: string;
  /** GetTokensFromRefreshToken calls answered so far. */
  refreshCount(): number;
  stop(): Promise<void>;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Lays out `.cognito/` in `dir`: config and client from the committed files every time; the pool's
 * Options from the committed file too, its users and groups kept from an earlier run.
 */
function prepareDataDir(dir: string, lambdaPort: number, clientOverrides: Record<string, unknown>) {
  const cognitoDir = join(dir, '.cognito');
  mkdirSync(join(cognitoDir, 'db'), { recursive: true });
  const config = readJson(join(EMULATOR_CONFIG_DIR, 'config.json')) as {
    LambdaClient: { endpoint: string };
  };
  config.LambdaClient.endpoint = `http://127.0.0.1:${lambdaPort}`;
  writeFileSync(join(cognitoDir, 'config.json'), JSON.stringify(config, null, 2));

  const clients = readJson(join(EMULATOR_CONFIG_DIR, 'db', 'clients.json')) as {
    Clients: Record<string, Record<string, unknown>>;
  };
  clients.Clients[LOCAL_CLIENT_ID] = { ...clients.Clients[LOCAL_CLIENT_ID], ...clientOverrides };
  writeFileSync(join(cognitoDir, 'db', 'clients.json'), JSON.stringify(clients, null, 2));

  const poolFile = join(cognitoDir, 'db', `${LOCAL_POOL_ID}.json`);
  const committed = readJson(join(EMULATOR_CONFIG_DIR, 'db', `${LOCAL_POOL_ID}.json`)) as {
    Options: { Policies: { PasswordPolicy: PasswordPolicy } };
  };
  if (existsSync(poolFile)) {
    const kept = readJson(poolFile) as Record<string, unknown>;
    writeFileSync(poolFile, JSON.stringify({ ...kept, Options: committed.Options }, null, 2));
  } else {
    cpSync(join(EMULATOR_CONFIG_DIR, 'db', `${LOCAL_POOL_ID}.json`), poolFile);
  }
  const writeAttributes = clients.Clients[LOCAL_CLIENT_ID].WriteAttributes;
  return {
    passwordPolicy: committed.Options.Policies.PasswordPolicy,
    writeAttributes: Array.isArray(writeAttributes)
      ? writeAttributes.filter((name): name is string => typeof name === 'string')
      : undefined,
  };
}

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cognito-gate-cognito-local-'));
  const temporary = options.dataDir === undefined;
  const { passwordPolicy, writeAttributes } = prepareDataDir(
    dir,
    options.lambdaPort,
    options.clientOverrides ?? {},
  );
  const upstreamPort = await findFreePort();

  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'cognito-local', 'lib', 'bin', 'start.js')],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(upstreamPort),
        HOST: '127.0.0.1',
        CODE: CONFIRMATION_CODE,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  // Its own log, for when a call fails inside the emulator: <dir>/cognito-local.log.
  const log = createWriteStream(join(dir, 'cognito-local.log'), { flags: 'a' });
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  });
  let stopProxy = async () => {};
  const stop = async () => {
    await stopProxy();
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    if (temporary) rmSync(dir, { recursive: true, force: true });
  };

  const upstream = `http://127.0.0.1:${upstreamPort}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${upstream}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`cognito-local did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let proxy;
  try {
    proxy = await startCognitoProxy({
      port: options.port ?? 0,
      upstreamPort,
      passwordPolicy,
      writeAttributes,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  stopProxy = proxy.stop;
  const endpoint = `http://127.0.0.1:${proxy.port}`;
  const jwks = await (await fetch(`${upstream}/${LOCAL_POOL_ID}/.well-known/jwks.json`)).text();
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, jwks);
  return { endpoint, jwksFile, refreshCount: proxy.refreshCount, stop };
}
