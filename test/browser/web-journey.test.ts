/**
 * The web page in a real browser (Debian's Chromium, headless, driven by playwright-core) against the
 * emulator stack: sign-up → confirm → sign-in → profile → edit handle → sign-out → forgot password →
 * sign-in with the new password; a rejected sign-up showing our message; a taken handle on edit.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CONFIRMATION_CODE } from '../../tools/dev-stack/cognito-local';
import { ROOT } from '../../tools/dev-stack/root';
import { CHROMIUM } from '../support/headless-chromium';
import { startEmulatorWebPage, type EmulatorWebPage } from '../support/emulator-web-page';

jest.setTimeout(120_000);

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
    let web: EmulatorWebPage;
    let page: Page;
    let webUrl: string;
    const hostsContacted = new Set<string>();

    beforeAll(async () => {
      web = await startEmulatorWebPage();
      ({ page, webUrl } = web);
      page.on('request', (request) => {
        hostsContacted.add(new URL(request.url()).hostname);
      });
    }, 180_000);

    afterAll(async () => {
      // web is unset when the start failed, and stopped itself then.
      await (web as EmulatorWebPage | undefined)?.stop();
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
