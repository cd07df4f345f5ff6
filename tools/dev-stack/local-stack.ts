/**
 * The local stack (`npm start`: serverless-offline with every function, the authorizer trusting the
 * dev key, the embedded PGlite store) on free loopback ports, started and stopped by a test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { ROOT } from './root';

export interface LocalStackOptions {
  /** Receives serverless-offline's output as it comes (the stacks' scripts print it). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export interface LocalStack {
  baseUrl: string;
  lambdaPort: number;
  /** Everything the stack printed so far (its JSON log lines among it). */
  output(): string;
  stop(): Promise<void>;
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `serverless offline start` with `env` added; resolves once it serves requests. Ports are
 * free ones unless `PORT` / `LAMBDA_PORT` are in `env`.
 */
export async function startLocalStack(
  env: Record<string, string> = {},
  options: LocalStackOptions = {},
): Promise<LocalStack> {
  const httpPort = Number(env.PORT ?? (await findFreePort()));
  const lambdaPort = Number(env.LAMBDA_PORT ?? (await findFreePort()));
  const dataDir = mkdtempSync(join(tmpdir(), 'cognito-gate-stack-'));
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'offline', 'start'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        PORT: String(httpPort),
        LAMBDA_PORT: String(lambdaPort),
        DATABASE_URL: `pglite:${join(dataDir, 'profiles')}`,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    options.onStdout?.(text);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    options.onStderr?.(text);
  });
  const stop = async () => {
    await stopProcess(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`serverless-offline did not start within 90 s:\n${output}`));
      }, 90_000);
      const check = setInterval(() => {
        if (output.includes('Server ready')) {
          clearInterval(check);
          clearTimeout(timer);
          resolve();
        }
      }, 100);
      child.once('exit', (code) => {
        clearInterval(check);
        clearTimeout(timer);
        reject(new Error(`serverless-offline exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl: `http://localhost:${httpPort}`, lambdaPort, output: () => output, stop };
}
