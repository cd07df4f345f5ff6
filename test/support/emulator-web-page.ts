/**
 * The web page built against the emulator stack and opened in headless Chromium, as the browser
 * suites drive it: cognito-local behind its proxy, the API (serverless-offline) trusting the
 * emulator's keys, the page built by Vite and served by `vite preview`, and one browser page.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import {
  LOCAL_CLIENT_ID,
  LOCAL_POOL_ID,
  startCognitoLocal,
  type CognitoLocal,
} from '../../tools/dev-stack/cognito-local';
import { findFreePort } from '../../tools/dev-stack/free-port';
import { startLocalStack, type LocalStack } from '../../tools/dev-stack/local-stack';
import { ROOT } from '../../tools/dev-stack/root';
import { launchHeadlessChromium, waitUntilServing } from './headless-chromium';

const run = promisify(execFile);

export interface EmulatorWebPage {
  cognito: CognitoLocal;
  stack: LocalStack;
  webUrl: string;
  page: Page;
  /** Stops whatever was started; safe to call after a failed start. */
  stop(): Promise<void>;
}

/** Starts everything; `clientOverrides` are test-only changes to the emulator's app client. */
export async function startEmulatorWebPage(
  options: { clientOverrides?: Record<string, unknown> } = {},
): Promise<EmulatorWebPage> {
  const started: {
    cognito?: CognitoLocal;
    stack?: LocalStack;
    preview?: ChildProcess;
    context?: BrowserContext;
    dirs: string[];
  } = { dirs: [] };
  const stop = async () => {
    await started.context?.close();
    started.preview?.kill('SIGTERM');
    await started.stack?.stop();
    await started.cognito?.stop();
    for (const dir of started.dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [lambdaPort, webPort] = [await findFreePort(), await findFreePort()];
    const webUrl = `http://localhost:${webPort}`;
    const cognito = await startCognitoLocal({
      lambdaPort,
      ...(options.clientOverrides === undefined
        ? {}
        : { clientOverrides: options.clientOverrides }),
    });
    started.cognito = cognito;
    const stack = await startLocalStack({
      LAMBDA_PORT: String(lambdaPort),
      COGNITO_USER_POOL_ID: LOCAL_POOL_ID,
      COGNITO_CLIENT_IDS: LOCAL_CLIENT_ID,
      COGNITO_JWKS_FILE: cognito.jwksFile,
      WEB_ORIGIN: webUrl,
    });
    started.stack = stack;
    const outDir = mkdtempSync(join(tmpdir(), 'cognito-gate-web-'));
    started.dirs.push(outDir);
    const viteEnv = {
      ...process.env,
      VITE_USER_POOL_ID: LOCAL_POOL_ID,
      VITE_USER_POOL_CLIENT_ID: LOCAL_CLIENT_ID,
      VITE_REGION: 'us-east-1',
      VITE_USER_POOL_ENDPOINT: cognito.endpoint.replace('127.0.0.1', 'localhost'),
      VITE_API_URL: stack.baseUrl,
    };
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    await run(
      process.execPath,
      [vite, 'build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir'],
      { cwd: ROOT, env: viteEnv },
    );
    started.preview = spawn(
      process.execPath,
      [
        vite,
        'preview',
        '--config',
        'web/vite.config.ts',
        '--outDir',
        outDir,
        '--port',
        String(webPort),
        '--strictPort',
      ],
      { cwd: ROOT, env: viteEnv, stdio: 'ignore' },
    );
    await waitUntilServing(webUrl);
    const profileDir = mkdtempSync(join(tmpdir(), 'cognito-gate-chromium-'));
    started.dirs.push(profileDir);
    const context = await launchHeadlessChromium(profileDir);
    started.context = context;
    const page = context.pages()[0] ?? (await context.newPage());
    return { cognito, stack, webUrl, page, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
