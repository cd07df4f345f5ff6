/**
 * A page session outlives its access token on the emulator stack: with an access token valid for a
 * few seconds, the person signs in, the token expires (the API refuses it), and the page still
 * reads `GET /me`, because Amplify refreshed the tokens through `GetTokensFromRefreshToken`, which
 * the stack's proxy answers for cognito-local (tools/dev-stack/cognito-proxy.ts).
 *
 * The short validity is a test-only override of the emulator's app client (`clientOverrides`), not
 * a change to the stack: Cognito accepts 5 minutes to 1 day for an access token
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html),
 * cognito-local any number of seconds (it passes `<validity><unit>` to jsonwebtoken's expiresIn).
 */
import { existsSync } from 'node:fs';
import { CONFIRMATION_CODE } from '../../tools/dev-stack/cognito-local';
import { CHROMIUM } from '../support/headless-chromium';
import { startEmulatorWebPage, type EmulatorWebPage } from '../support/emulator-web-page';

jest.setTimeout(120_000);

/**
 * Long enough that Amplify, which refreshes a token 5 seconds before its `exp` (isTokenExpired's
 * tolerance in @aws-amplify/core), does not refresh on every call; short enough to wait out.
 */
const ACCESS_TOKEN_SECONDS = 8;

const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing && process.env.CI === 'true') {
  throw new Error(`CI=true requires Chromium at ${CHROMIUM} (apt-get install chromium)`);
}
const describeWithChromium = chromiumMissing ? describe.skip : describe;

/** The payload of a JWT, decoded without verifying it (the API verified it already). */
function claimsOf(token: string): { exp: number; jti: string } {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    exp: number;
    jti: string;
  };
}

describeWithChromium(
  chromiumMissing
    ? `a page session past its access token (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium or set CHROMIUM_PATH)`
    : 'a page session past its access token',
  () => {
    let web: EmulatorWebPage;
    /** The bearer tokens the page sent to `GET /me`, in order (never printed). */
    const meTokens: string[] = [];
    /** GetTokensFromRefreshToken calls the page made. */
    let pageRefreshes = 0;

    beforeAll(async () => {
      web = await startEmulatorWebPage({
        clientOverrides: {
          AccessTokenValidity: ACCESS_TOKEN_SECONDS,
          TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'minutes', RefreshToken: 'days' },
        },
      });
      web.page.on('request', (request) => {
        const headers = request.headers();
        if (headers['x-amz-target']?.endsWith('.GetTokensFromRefreshToken') === true) {
          pageRefreshes += 1;
        }
        const authorization = headers.authorization ?? '';
        if (
          request.method() === 'GET' &&
          request.url() === `${web.stack.baseUrl}/me` &&
          authorization.startsWith('Bearer ')
        ) {
          meTokens.push(authorization.slice('Bearer '.length));
        }
      });
    }, 180_000);

    afterAll(async () => {
      // web is unset when the start failed, and stopped itself then.
      await (web as EmulatorWebPage | undefined)?.stop();
    });

    it('still reads /me after the access token expired, with a refreshed token', async () => {
      const { page, webUrl } = web;
      await page.goto(webUrl);
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByLabel('Email').fill('kate@example.com');
      await page.getByLabel('Password', { exact: true }).fill('Correct-Horse-9');
      await page.getByLabel('Display name').fill('Kate Johnson');
      await page.getByLabel('Handle').fill('kate_j');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByLabel('Confirmation code').fill(CONFIRMATION_CODE);
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill('kate@example.com');
      await page.getByLabel('Password', { exact: true }).fill('Correct-Horse-9');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('kate_j', { exact: true }).first().waitFor();

      expect(meTokens.length).toBeGreaterThan(0);
      const first = meTokens.at(-1) ?? '';
      const { exp, jti } = claimsOf(first);
      expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(ACCESS_TOKEN_SECONDS * 1000);
      // aws-jwt-verify (no graceSeconds configured) refuses a token once `exp` < now in seconds;
      // a second more keeps this from racing the clock.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, exp * 1000 + 1500 - Date.now())),
      );
      const stale = await fetch(`${web.stack.baseUrl}/me`, {
        headers: { Authorization: `Bearer ${first}` },
      });
      // The HTTP API's simple-response authorizer answers an expired token with 403.
      expect(stale.status).toBe(403);

      const refreshesBefore = web.cognito.refreshCount();
      const pageRefreshesBefore = pageRefreshes;
      const sentBefore = meTokens.length;
      await page.reload();
      // Without a refresh the page falls back to signing in; waiting for either fails fast.
      const profile = page.getByRole('heading', { name: 'My profile' });
      await profile.or(page.getByRole('heading', { name: 'Sign in' })).waitFor();
      await expect(profile.isVisible()).resolves.toBe(true);
      await page.getByText('kate_j', { exact: true }).first().waitFor();
      await page.getByText('Kate Johnson').first().waitFor();

      expect(web.cognito.refreshCount()).toBeGreaterThan(refreshesBefore);
      expect(pageRefreshes).toBeGreaterThan(pageRefreshesBefore);
      expect(meTokens.length).toBeGreaterThan(sentBefore);
      const refreshed = claimsOf(meTokens.at(-1) ?? '');
      // Compared by claims, so that a failure prints no token.
      expect(refreshed.jti).not.toBe(jti);
      expect(refreshed.exp).toBeGreaterThan(exp);
    });
  },
);
