/**
 * cognito-local (a Cognito emulator) with the committed pool `us-east-1_LocalPool1` and app client,
 * started in a copy of local/cognito-local/ on a free loopback port. Its triggers call our functions
 * through serverless-offline's Lambda endpoint.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './root';
import { findFreePort } from './free-port';

export const LOCAL_POOL_ID = 'us-east-1_LocalPool1';
export const LOCAL_CLIENT_ID = 'cognitogatelocalwebclient1';
/** Every confirmation and password-reset code the emulator sends. */
export const CONFIRMATION_CODE = '123456';

export interface CognitoLocal {
  endpoint: string;
  /** Path of a file holding the emulator's JWKS (for COGNITO_JWKS_FILE). */
  jwksFile: string;
  stop(): Promise<void>;
}

export async function startCognitoLocal(
  lambdaPort: number,
  fixedPort?: number,
): Promise<CognitoLocal> {
  const port = fixedPort ?? (await findFreePort());
  const dir = mkdtempSync(join(tmpdir(), 'cognito-gate-cognito-local-'));
  cpSync(join(ROOT, 'local', 'cognito-local', '.cognito'), join(dir, '.cognito'), {
    recursive: true,
  });
  const configFile = join(dir, '.cognito', 'config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as {
    LambdaClient: { endpoint: string };
  };
  config.LambdaClient.endpoint = `http://127.0.0.1:${lambdaPort}`;
  writeFileSync(configFile, JSON.stringify(config, null, 2));

  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'cognito-local', 'lib', 'bin', 'start.js')],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        CODE: CONFIRMATION_CODE,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${endpoint}/health`);
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
  const jwks = await (await fetch(`${endpoint}/${LOCAL_POOL_ID}/.well-known/jwks.json`)).text();
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, jwks);
  return { endpoint, jwksFile, stop };
}
