/**
 * The web page in a real browser (Debian's Chromium, headless, driven by playwright-core) against the
 * emulator stack: sign-up → confirm → sign-in → profile → edit handle → sign-out → forgot password →
 * sign-in with the new password; a rejected sign-up showing our message; a taken handle on edit.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import {
  CONFIRMATION_CODE,
  LOCAL_CLIENT_ID,
  LOCAL_POOL_ID,
  startCognitoLocal,
  type CognitoLocal,
} from '../../tools/dev-stack/cognito-local';
import { ROOT } from '../../tools/dev-stack/root';
import { CHROMIUM, launchHeadlessChromium, waitUntilServing } from '../support/headless-chromium';
import { findFreePort } from '../../tools/dev-stack/free-port';
import { startLocalStack, type LocalStack } from '../../tools/dev-stack/local-stack';

jest.setTimeout(120_000);
const run = promisify(execFile);

// Without Chromium the suite is reported as skipped, with the reason in its name; under CI=true
// a missing browser is a failure instead (CI installs it).
const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing && process.env.CI === 'true') {
  throw new Error(`CI=true requires Chromium at ${CHROMIUM} (apt-get install chromium)`);
}
const describeWithChromium = chromiumMissing ? describe.skip : describe;

describeWithChromium(
  chromiumMissing
    ? `the web page (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium or set CHROMIUM_PATH)`
    : 'the web page',
  () => {
    let cognito: CognitoLocal;
    let stack: LocalStack;
    let preview: ChildProcess;
    let profileDir: string;
    let outDir: string;
    let context: BrowserContext;
    let page: Page;
    let webUrl: string;
    const hostsContacted = new Set<string>();

    beforeAll(async () => {
      const [lambdaPort, webPort] = [await findFreePort(), await findFreePort()];
      webUrl = `http://localhost:${webPort}`;
      cognito = await startCognitoLocal({ lambdaPort });
      stack = await startLocalStack({
        LAMBDA_PORT: String(lambdaPort),
        COGNITO_USER_POOL_ID: LOCAL_POOL_ID,
        COGNITO_CLIENT_IDS: LOCAL_CLIENT_ID,
        COGNITO_JWKS_FILE: cognito.jwksFile,
        WEB_ORIGIN: webUrl,
      });
      outDir = mkdtempSync(join(tmpdir(), 'cognito-gate-web-'));
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
        {
          cwd: ROOT,
          env: viteEnv,
        },
      );
      preview = spawn(
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
      profileDir = mkdtempSync(join(tmpdir(), 'cognito-gate-chromium-'));
      context = await launchHeadlessChromium(profileDir);
      page = context.pages()[0] ?? (await context.newPage());
      page.on('request', (request) => {
        hostsContacted.add(new URL(request.url()).hostname);
      });
    }, 180_000);

    afterAll(async () => {
      // Each may be missing when the set-up failed half-way.
      const started = { context, preview, stack, cognito } as Partial<{
        context: BrowserContext;
        preview: ChildProcess;
        stack: LocalStack;
        cognito: CognitoLocal;
      }>;
      await started.context?.close();
      started.preview?.kill('SIGTERM');
      await started.stack?.stop();
      await started.cognito?.stop();
      rmSync(profileDir, { recursive: true, force: true });
      rmSync(outDir, { recursive: true, force: true });
    });

    async function signUp(email: string, name: string, handle: string) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill('Correct-Horse-9');
      await page.getByLabel('Display name').fill(name);
      await page.getByLabel('Handle').fill(handle);
      await page.getByRole('button', { name: 'Sign up' }).click();
    }

    async function signIn(email: string, password: string) {
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }

    it('walks the whole journey', async () => {
      await page.goto(webUrl);
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await signUp('ada@example.com', 'Ada Lovelace', 'ada_l');
      await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
      await page.getByLabel('Confirmation code').fill(CONFIRMATION_CODE);
      await page.getByRole('button', { name: 'Confirm' }).click();
      await signIn('ada@example.com', 'Correct-Horse-9');
      await page.getByRole('heading', { name: 'My profile' }).waitFor();
      // The profile comes from GET /me through the authorizer, after the heading appears.
      await page.getByText('ada@example.com').first().waitFor();
      await page.getByText('Ada Lovelace').first().waitFor();
      await page.getByText('ada_l', { exact: true }).first().waitFor();
      const artifacts = join(ROOT, 'test-artifacts');
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'profile.png'), fullPage: true });

      await page.getByLabel('Handle').fill('Ada_King');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('ada_king').first().waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByRole('button', { name: 'Forgot password?' }).click();
      await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await page.getByLabel('Email').fill('ada@example.com');
      await page.getByRole('button', { name: 'Reset password' }).click();
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await page.getByLabel('Confirmation code').fill(CONFIRMATION_CODE);
      await page.getByLabel('New password').fill('Brand-New-Pass-7');
      await page.getByRole('button', { name: 'Set new password' }).click();
      await signIn('ada@example.com', 'Brand-New-Pass-7');
      await page.getByRole('heading', { name: 'My profile' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    });

    it('shows our message for a rejected sign-up, without Cognito’s wrapper', async () => {
      await page.goto(webUrl);
      await page.getByRole('button', { name: 'Create an account' }).click();
      await signUp('ghost@example.com', '\u200b\u3164', 'ghost_1');
      const alert = page
        .getByRole('alert')
        .filter({ hasText: 'Display name must contain visible characters' });
      await alert.first().waitFor();
      await expect(page.getByText('failed with error').count()).resolves.toBe(0);
    });

    it('refuses a password the stack’s policy refuses, before sending it', async () => {
      await page.goto(webUrl);
      await page.getByRole('button', { name: 'Create an account' }).click();
      const signUpCalls: string[] = [];
      const onRequest = (request: { headers(): Record<string, string> }) => {
        const target = request.headers()['x-amz-target'] ?? '';
        if (target.endsWith('.SignUp')) signUpCalls.push(target);
      };
      page.on('request', onRequest);
      await page.getByLabel('Email').fill('weak@example.com');
      await page.getByLabel('Password', { exact: true }).fill('short');
      await page.getByLabel('Display name').fill('Weak Password');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page
        .getByRole('alert')
        .filter({
          hasText: 'At least 10 characters, with upper- and lower-case letters and a digit.',
        })
        .first()
        .waitFor();
      page.off('request', onRequest);
      expect(signUpCalls).toEqual([]);
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    });

    it('shows the 409 message beside the handle when it is taken', async () => {
      await page.goto(webUrl);
      await page.getByRole('button', { name: 'Create an account' }).click();
      await signUp('grace@example.com', 'Grace Hopper', 'grace_h');
      await page.getByLabel('Confirmation code').fill(CONFIRMATION_CODE);
      await page.getByRole('button', { name: 'Confirm' }).click();
      await signIn('grace@example.com', 'Correct-Horse-9');
      await page.getByRole('heading', { name: 'My profile' }).waitFor();
      await page.getByLabel('Handle').fill('ADA_KING');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('alert').filter({ hasText: /taken/i }).first().waitFor();
    });

    it('contacted loopback hosts only', () => {
      expect(
        [...hostsContacted].filter((host) => !['localhost', '127.0.0.1', '[::1]'].includes(host)),
      ).toEqual([]);
    });
  },
);
