/**
 * The PRODUCTION build of the page (built for a real pool: no emulator endpoint) in Debian's
 * Chromium, with Cognito's regional endpoint intercepted by Playwright (no network). It checks
 * what real Cognito would enforce and cognito-local does not: the AuthFlow the page sends is one
 * the stack's app client enables (ExplicitAuthFlows), and SignUp sets only attributes the client
 * may write (WriteAttributes), sending the display name and handle as ClientMetadata. Both lists are read from serverless.yml's WebClient.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { ROOT } from '../../tools/dev-stack/root';
import { CHROMIUM, launchHeadlessChromium, waitUntilServing } from '../support/headless-chromium';
import { findFreePort } from '../../tools/dev-stack/free-port';

jest.setTimeout(120_000);
const run = promisify(execFile);
const REGION = 'eu-west-1';
const COGNITO = `https://cognito-idp.${REGION}.amazonaws.com/`;

/** A list property of the WebClient resource in serverless.yml. */
function readWebClientList(property: string): string[] {
  const yml = readFileSync(join(ROOT, 'serverless.yml'), 'utf8');
  const client = yml.slice(yml.indexOf('    WebClient:'));
  const block = new RegExp(`${property}:\\n((?:\\s+- \\S+\\n)+)`, 'u').exec(client)?.[1] ?? '';
  return [...block.matchAll(/- (\S+)/gu)].map((match) => match[1] ?? '');
}

interface CognitoCall {
  target: string;
  body: Record<string, unknown>;
}

describe('the production build against (intercepted) real Cognito', () => {
  if (!existsSync(CHROMIUM)) {
    it('is not run: no Chromium at /usr/bin/chromium (CI requires it)', () => {
      expect(process.env.CI).not.toBe('true');
    });
    return;
  }

  let preview: ChildProcess;
  let outDir: string;
  let profileDir: string;
  let context: BrowserContext;
  let page: Page;
  let webUrl: string;
  const calls: CognitoCall[] = [];

  beforeAll(async () => {
    const webPort = await findFreePort();
    webUrl = `http://localhost:${webPort}`;
    outDir = mkdtempSync(join(tmpdir(), 'cognito-gate-web-prod-'));
    const viteEnv = {
      ...process.env,
      VITE_USER_POOL_ID: `${REGION}_AbC123xyz`,
      VITE_USER_POOL_CLIENT_ID: '1example23456789abcdefghij',
      VITE_REGION: REGION,
      VITE_USER_POOL_ENDPOINT: '',
      VITE_API_URL: 'https://api.example.invalid',
    };
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    // prettier-ignore
    await run(process.execPath, [vite, 'build', '--mode', 'production', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir'], { cwd: ROOT, env: viteEnv });
    // prettier-ignore
    preview = spawn(process.execPath, [vite, 'preview', '--config', 'web/vite.config.ts', '--outDir', outDir, '--port', String(webPort), '--strictPort'], { cwd: ROOT, env: viteEnv, stdio: 'ignore' });
    await waitUntilServing(webUrl);
    profileDir = mkdtempSync(join(tmpdir(), 'cognito-gate-chromium-'));
    context = await launchHeadlessChromium(profileDir);
    page = context.pages()[0] ?? (await context.newPage());
    await page.route(`${COGNITO}**`, async (route: Route) => {
      const request = route.request();
      if (request.method() === 'OPTIONS') {
        await route.fulfill({
          status: 204,
          headers: {
            'access-control-allow-origin': '*',
            'access-control-allow-headers': '*',
            'access-control-allow-methods': 'POST',
          },
        });
        return;
      }
      const target = (request.headers()['x-amz-target'] ?? '').replace(
        'AWSCognitoIdentityProviderService.',
        '',
      );
      calls.push({
        target,
        body: JSON.parse(request.postData() ?? '{}') as Record<string, unknown>,
      });
      const json = (status: number, body: unknown) =>
        route.fulfill({
          status,
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'access-control-allow-origin': '*',
            'access-control-expose-headers': '*',
          },
          body: JSON.stringify(body),
        });
      if (target === 'SignUp') {
        await json(200, {
          UserConfirmed: false,
          UserSub: '3f1c2b9e-0000-4000-8000-000000000001',
          CodeDeliveryDetails: {
            AttributeName: 'email',
            DeliveryMedium: 'EMAIL',
            Destination: 'a***@e***',
          },
        });
        return;
      }
      // Enough to observe the request: real Cognito's answer to a wrong password.
      await json(400, {
        __type: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
    });
  }, 180_000);

  afterAll(async () => {
    // Each may be missing when the set-up failed half-way.
    const started = { context, preview, profileDir, outDir } as Partial<{
      context: BrowserContext;
      preview: ChildProcess;
      profileDir: string;
      outDir: string;
    }>;
    await started.context?.close();
    started.preview?.kill('SIGTERM');
    for (const dir of [started.profileDir, started.outDir]) {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs in with a flow the app client enables (SRP), not USER_PASSWORD_AUTH', async () => {
    calls.length = 0;
    await page.goto(webUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password', { exact: true }).fill('Correct-Horse-9');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email or password is not right.').first().waitFor();

    const initiate = calls.find((call) => call.target === 'InitiateAuth');
    expect(initiate?.body.AuthFlow).toBe('USER_SRP_AUTH');
    const params = initiate?.body.AuthParameters as Record<string, unknown> | undefined;
    // SRP sends the public value A, never the password.
    expect(typeof params?.SRP_A).toBe('string');
    expect(JSON.stringify(initiate?.body)).not.toContain('Correct-Horse-9');
    expect(readWebClientList('ExplicitAuthFlows')).toContain(
      `ALLOW_${String(initiate?.body.AuthFlow)}`,
    );
  });

  it('signs up setting only attributes the app client may write', async () => {
    calls.length = 0;
    await page.goto(webUrl);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password', { exact: true }).fill('Correct-Horse-9');
    await page.getByLabel('Display name').fill('Ada Lovelace');
    await page.getByLabel('Handle').fill('ada_l');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();

    const signUp = calls.find((call) => call.target === 'SignUp');
    const names = ((signUp?.body.UserAttributes ?? []) as { Name: string }[]).map((a) => a.Name);
    expect(names).toContain('email');
    const writable = readWebClientList('WriteAttributes');
    expect(names.filter((name) => !writable.includes(name))).toEqual([]);
    // The display name and handle travel as ClientMetadata, which PreSignUp reads.
    expect(names).not.toContain('name');
    expect(names).not.toContain('preferred_username');
    expect(signUp?.body.ClientMetadata).toEqual({ displayName: 'Ada Lovelace', handle: 'ada_l' });
  });
});
