/**
 * The Cognito triggers as they ship: bundled, each invocation in its own Node process (a separate
 * Lambda container), against the real PostgreSQL server and against PGlite.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SETUP_FAILED_MESSAGE, TRY_AGAIN_MESSAGE } from '../../src/signup/trigger-messages';
import {
  countProfiles,
  createPostgresBackend,
  type FreshDatabase,
} from '../support/profile-store-fixtures';
import { findClosedPort } from '../../tools/dev-stack/network-faults';
import { bundleHandlers, invokeBundle } from '../../tools/dev-stack/invoke-bundle';
import { ROOT } from '../../tools/dev-stack/root';

jest.setTimeout(60_000);

const FIXTURES = join(ROOT, 'test', 'fixtures', 'cognito');
const preSignUpBase = JSON.parse(readFileSync(join(FIXTURES, 'pre-sign-up.json'), 'utf8')) as {
  triggerSource: string;
  request: { userAttributes: Record<string, string>; clientMetadata: Record<string, string> };
  response: Record<string, unknown>;
};
const postConfirmationBase = JSON.parse(
  readFileSync(join(FIXTURES, 'post-confirmation.json'), 'utf8'),
) as {
  triggerSource: string;
  userName: string;
  request: { userAttributes: Record<string, string> };
};

/**
 * A PreSignUp_SignUp event as the page causes it: `name` and `preferred_username` given here land
 * in ClientMetadata (`displayName`, `handle`), the rest in the attributes.
 */
function preSignUpEvent(attributes: Record<string, string> = {}) {
  const event = structuredClone(preSignUpBase);
  const { name, preferred_username: handle, ...rest } = attributes;
  Object.assign(event.request.userAttributes, rest);
  if (name !== undefined) event.request.clientMetadata.displayName = name;
  if (handle !== undefined) event.request.clientMetadata.handle = handle;
  return event;
}

function postConfirmationEvent(
  sub: string,
  attributes: Record<string, string> = {},
  triggerSource?: string,
) {
  const event = structuredClone(postConfirmationBase);
  Object.assign(event.request.userAttributes, { sub, ...attributes });
  event.userName = sub;
  if (triggerSource !== undefined) event.triggerSource = triggerSource;
  return event;
}

let preSignUp: string;
let postConfirmation: string;
let removeBundles: () => void;

beforeAll(async () => {
  const built = await bundleHandlers([
    'src/handlers/pre-sign-up.ts',
    'src/handlers/post-confirmation.ts',
  ]);
  [preSignUp = '', postConfirmation = ''] = built.paths;
  removeBundles = () => {
    built.remove();
  };
});

afterAll(() => {
  removeBundles();
});

const postgres = createPostgresBackend();

describe('sign-up triggers on PostgreSQL', () => {
  if (!postgres.available) {
    it('is not run: no PostgreSQL server on this machine (CI requires one)', () => {
      expect(process.env.CI).not.toBe('true');
    });
    return;
  }

  let fresh: FreshDatabase;
  let env: Record<string, string>;
  beforeAll(() => postgres.prepare(), 60_000);
  afterAll(() => postgres.dispose());
  beforeEach(async () => {
    fresh = await postgres.openFresh();
    env = { DATABASE_URL: fresh.config?.connectionString ?? '' };
  });
  afterEach(() => fresh.close());

  it('PreSignUp returns the event for a valid sign-up', async () => {
    const event = preSignUpEvent();
    const { result, logs } = await invokeBundle(preSignUp, event, env);
    expect(result).toEqual(event);
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'sign-up accepted', autoConfirm: false }),
    );
  });

  it('PreSignUp confirms and verifies sign-ups from AUTO_CONFIRM_EMAIL_DOMAINS', async () => {
    const { result } = await invokeBundle(preSignUp, preSignUpEvent(), {
      ...env,
      AUTO_CONFIRM_EMAIL_DOMAINS: 'example.com',
    });
    expect(result).toMatchObject({
      response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false },
    });
  });

  it('PreSignUp rejects an invisible name with a message for the person', async () => {
    const { error } = await invokeBundle(preSignUp, preSignUpEvent({ name: '\u2800\u200b' }), env);
    expect(error).toEqual({
      name: 'ProfileValidationError',
      message: 'Display name must contain visible characters',
    });
  });

  it('PreSignUp rejects a handle taken in any case', async () => {
    await fresh.store.createProfile({
      cognitoSub: 'someone-else',
      email: 'x@example.com',
      displayName: 'X',
      handle: 'jane_doe',
    });
    const { error } = await invokeBundle(
      preSignUp,
      preSignUpEvent({ preferred_username: 'JANE_doe' }),
      env,
    );
    expect(error).toEqual({
      name: 'ProfileValidationError',
      message: 'Handle is already taken; choose another',
    });
  });

  it('PostConfirmation seeds one profile from the normalized attributes', async () => {
    const sub = '11111111-2222-4333-8444-555555555555';
    const event = postConfirmationEvent(sub);
    const { result, logs } = await invokeBundle(postConfirmation, event, env);
    expect(result).toEqual(event);
    expect(await fresh.store.findBySub(sub)).toMatchObject({
      email: 'jane.doe@example.com',
      displayName: 'Jane Doe',
      handle: 'jane_doe',
    });
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'profile created', sub, handle: 'jane_doe' }),
    );
  });

  it('PostConfirmation delivered to four containers at once leaves one row and no error', async () => {
    const sub = '11111111-2222-4333-8444-555555555555';
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () =>
        invokeBundle(postConfirmation, postConfirmationEvent(sub), env),
      ),
    );
    expect(outcomes.map((outcome) => outcome.error)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(await countProfiles(fresh.db)).toBe(1);
  });

  it('PostConfirmation gives two people racing for one handle a profile each', async () => {
    const [a, b] = await Promise.all([
      invokeBundle(
        postConfirmation,
        postConfirmationEvent('aaaaaaaa-0000-4000-8000-000000000001'),
        env,
      ),
      invokeBundle(
        postConfirmation,
        postConfirmationEvent('bbbbbbbb-0000-4000-8000-000000000002', {
          email: 'other@example.com',
        }),
        env,
      ),
    ]);
    expect([a.error, b.error]).toEqual([undefined, undefined]);
    const handles = await fresh.db.query('SELECT handle FROM profiles ORDER BY handle');
    expect(handles).toEqual([{ handle: 'jane_doe' }, { handle: 'jane_doe_2' }]);
  });

  it('PostConfirmation for a confirmed password reset changes nothing', async () => {
    const event = postConfirmationEvent(
      'cccccccc-0000-4000-8000-000000000003',
      {},
      'PostConfirmation_ConfirmForgotPassword',
    );
    const { result } = await invokeBundle(postConfirmation, event, env);
    expect(result).toEqual(event);
    expect(await countProfiles(fresh.db)).toBe(0);
  });
});

describe('sign-up triggers without a database', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { DATABASE_URL: `postgres://nobody:secret@127.0.0.1:${await findClosedPort()}/profiles` };
  });

  it('PostConfirmation retries within the 5-second budget, then fails with a message and the cause logged', async () => {
    const sub = 'dddddddd-0000-4000-8000-000000000004';
    const { error, logs, elapsedMs } = await invokeBundle(
      postConfirmation,
      postConfirmationEvent(sub),
      env,
    );
    expect(error).toEqual({ name: 'Error', message: SETUP_FAILED_MESSAGE });
    expect(elapsedMs).toBeLessThan(5000);
    expect(
      logs.filter((line) => line.message === 'profile store unavailable; retrying').length,
    ).toBeGreaterThan(0);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'profile seeding failed',
        sub,
        error: expect.stringContaining('ECONNREFUSED') as unknown,
      }),
    );
    expect(JSON.stringify(logs)).not.toContain('secret');
  });

  it('PreSignUp fails with a try-again message', async () => {
    const { error } = await invokeBundle(preSignUp, preSignUpEvent(), env);
    expect(error).toEqual({ name: 'Error', message: TRY_AGAIN_MESSAGE });
  });
});

describe('sign-up triggers on the embedded PGlite default', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cognito-gate-pglite-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the database on first use and seeds the profile', async () => {
    const env = { DATABASE_URL: `pglite:${dataDir}` };
    const sub = 'eeeeeeee-0000-4000-8000-000000000005';
    const first = await invokeBundle(postConfirmation, postConfirmationEvent(sub), env);
    expect(first.error).toBeUndefined();
    const again = await invokeBundle(postConfirmation, postConfirmationEvent(sub), env);
    expect(again.logs).toContainEqual(
      expect.objectContaining({ message: 'profile already existed', sub }),
    );
    const taken = await invokeBundle(
      preSignUp,
      preSignUpEvent({ preferred_username: 'Jane_Doe' }),
      env,
    );
    expect(taken.error?.message).toBe('Handle is already taken; choose another');
  });
});
