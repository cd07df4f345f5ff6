/**
 * The two Cognito sign-up triggers built in-process by their factories, on PGlite, with a frozen
 * clock and an injected sleep: what the bundles in test/bundle do, without a child process.
 *
 * Base events are the sample events in events/ (the shapes of
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html and
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html),
 * cloned per test.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent } from 'aws-lambda';
import { ProfileValidationError } from '../../src/profile/rules/validation-error';
import {
  createProfileStoreHandle,
  type ProfileStoreHandle,
} from '../../src/profile/store/container-store';
import type { ProfileStore } from '../../src/profile/store/profile-store';
import { createPostConfirmationHandler } from '../../src/signup/create-post-confirmation-handler';
import { createPreSignUpHandler } from '../../src/signup/create-pre-sign-up-handler';
import { MalformedTriggerEventError } from '../../src/signup/read-trigger-event';
import type { SignUpPolicy } from '../../src/signup/check-sign-up';
import { SETUP_FAILED_MESSAGE, TRY_AGAIN_MESSAGE } from '../../src/signup/trigger-messages';
import {
  COGNITO_TRIGGER_TIMEOUT_MS,
  TRIGGER_SAFETY_MARGIN_MS,
} from '../../src/signup/trigger-budget';
import { ROOT } from '../../tools/dev-stack/root';
import { findClosedPort } from '../../tools/dev-stack/network-faults';
import { captureLogs, type LogCapture } from '../support/capture-logs';
import {
  buildProfileInput,
  countProfiles,
  createPgliteBackend,
  type FreshDatabase,
} from '../support/profile-store-fixtures';

jest.setTimeout(30_000);

function readEvent(name: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, 'events', name), 'utf8'));
}
const PRE_SIGN_UP = readEvent('pre-sign-up/valid.json') as PreSignUpTriggerEvent;
const PRE_SIGN_UP_RESERVED = readEvent(
  'pre-sign-up/reject-handle-reserved.json',
) as PreSignUpTriggerEvent;
const CONFIRM = readEvent('post-confirmation/valid.json') as PostConfirmationTriggerEvent;
const FORGOT_PASSWORD = readEvent(
  'post-confirmation/forgot-password.json',
) as PostConfirmationTriggerEvent;
const MISSING_EMAIL = readEvent(
  'post-confirmation/reject-missing-email.json',
) as PostConfirmationTriggerEvent;
const OPEN: SignUpPolicy = { allowedEmailDomains: [], autoConfirmEmailDomains: [] };
const ATTEMPT_MS = 1000;

/** A frozen clock that moves only when the code under test sleeps. */
function createFrozenClock(start = Date.UTC(2026, 11, 2, 5, 0, 0)) {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: (ms: number) => {
      sleeps.push(ms);
      time += ms;
      return Promise.resolve();
    },
    sleeps,
    start,
  };
}

/** The error Node gives for a TCP connection nobody accepts: what a database that is down does. */
async function refuseConnection(): Promise<Error> {
  const port = await findClosedPort();
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', (error) => {
      resolve(error);
    });
  });
}

/** The store's methods, bound, with `close` replaced. */
function delegateTo(store: ProfileStore, close: () => Promise<void>): ProfileStore {
  return {
    findBySub: (sub) => store.findBySub(sub),
    findByHandle: (handle) => store.findByHandle(handle),
    isHandleTaken: (handle) => store.isHandleTaken(handle),
    createProfile: (input) => store.createProfile(input),
    updateProfile: (sub, update) => store.updateProfile(sub, update),
    recordSignUpIntent: (intent, expiresAt, now) =>
      store.recordSignUpIntent(intent, expiresAt, now),
    findSignUpIntent: (userName, now) => store.findSignUpIntent(userName, now),
    deleteSignUpIntent: (userName) => store.deleteSignUpIntent(userName),
    ping: () => store.ping(),
    releaseConnections: () => store.releaseConnections(),
    close,
  };
}

interface CountingHandle {
  handle: ProfileStoreHandle;
  opens: () => number;
  closes: () => number;
}

/**
 * The container's store handle over `open`; counts how often the store is opened and closed.
 * `failFirst` opens are refused as by a database that is down.
 */
function createCountingHandle(open: () => Promise<ProfileStore>, failFirst = 0): CountingHandle {
  let opens = 0;
  let closes = 0;
  const handle = createProfileStoreHandle(async () => {
    opens += 1;
    if (opens <= failFirst) throw await refuseConnection();
    const store = await open();
    return delegateTo(store, async () => {
      closes += 1;
      await store.close();
    });
  });
  return { handle, opens: () => opens, closes: () => closes };
}

const backend = createPgliteBackend();
let fresh: FreshDatabase;
let logs: LogCapture;
let clock: ReturnType<typeof createFrozenClock>;

beforeAll(() => backend.prepare(), 60_000);
afterAll(() => backend.dispose());
beforeEach(async () => {
  fresh = await backend.openFresh();
  logs = captureLogs();
  clock = createFrozenClock();
});
afterEach(() => fresh.close());

function sharedDependencies(handle: ProfileStoreHandle) {
  return {
    store: handle,
    logger: logs.logger,
    attemptMs: ATTEMPT_MS,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
  };
}

/** The fresh database's store, never closed by the handler (the test closes it). */
const keepFresh = () => Promise.resolve(delegateTo(fresh.store, () => Promise.resolve()));

describe('createPreSignUpHandler', () => {
  function build(handle = createCountingHandle(keepFresh).handle, policy = OPEN) {
    return createPreSignUpHandler({ ...sharedDependencies(handle), policy });
  }

  it('accepts a valid sign-up and returns the event as it came', async () => {
    const event = structuredClone(PRE_SIGN_UP);
    await expect(build()(structuredClone(event))).resolves.toEqual(event);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'sign-up accepted',
        triggerSource: 'PreSignUp_SignUp',
        userName: event.userName,
        handleGiven: true,
        autoConfirm: false,
        latencyMs: 0,
      }),
    );
  });

  it('confirms and verifies a sign-up from an auto-confirm domain', async () => {
    const handler = build(undefined, { ...OPEN, autoConfirmEmailDomains: ['example.com'] });
    const result = await handler(structuredClone(PRE_SIGN_UP));
    expect(result.response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    });
  });

  it('rejects a reserved handle with the message Cognito shows the person', async () => {
    const rejection = build()(structuredClone(PRE_SIGN_UP_RESERVED));
    await expect(rejection).rejects.toThrow(ProfileValidationError);
    await expect(rejection).rejects.toThrow('Handle is reserved; choose another');
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        message: 'sign-up rejected',
        field: 'preferred_username',
        reason: 'Handle is reserved; choose another',
      }),
    );
  });

  it('rejects a handle another profile holds, in any case', async () => {
    await fresh.store.createProfile(buildProfileInput({ handle: 'jane_doe' }));
    const event = structuredClone(PRE_SIGN_UP);
    event.request.userAttributes.preferred_username = 'Jane_Doe';
    await expect(build()(event)).rejects.toThrow('Handle is already taken; choose another');
  });

  it('retries a refused connection, logging the attempt, and then accepts', async () => {
    const counting = createCountingHandle(keepFresh, 1);
    await expect(build(counting.handle)(structuredClone(PRE_SIGN_UP))).resolves.toBeDefined();
    // random() = 0.5 of the first cap (25 ms).
    expect(clock.sleeps).toEqual([13]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'profile store unavailable; retrying',
        attempt: 1,
        delayMs: 13,
        elapsedMs: 0,
        // Node's socket errors come from another realm under Jest, where describeError cannot
        // tell them from a non-Error; in Lambda this is "Error: connect ECONNREFUSED …".
        error: expect.any(String) as unknown,
      }),
    );
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ message: 'sign-up accepted', latencyMs: 13 }),
    );
  });

  it('gives up before Cognito does and asks the person to try again', async () => {
    const counting = createCountingHandle(keepFresh, Number.POSITIVE_INFINITY);
    const failure = build(counting.handle)(structuredClone(PRE_SIGN_UP));
    await expect(failure).rejects.toThrow(TRY_AGAIN_MESSAGE);
    // No attempt may end after the deadline: the last one started at least ATTEMPT_MS before it.
    const deadline = clock.start + COGNITO_TRIGGER_TIMEOUT_MS - TRIGGER_SAFETY_MARGIN_MS;
    expect(clock.now() + ATTEMPT_MS).toBeLessThanOrEqual(deadline);
    expect(clock.sleeps.length).toBeGreaterThan(3);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'sign-up check failed' }),
    );
  });

  it('ignores a trigger source it does not handle', async () => {
    const event = structuredClone(PRE_SIGN_UP);
    event.triggerSource = 'PreSignUp_Unknown' as PreSignUpTriggerEvent['triggerSource'];
    await expect(build()(structuredClone(event))).resolves.toEqual(event);
    expect(logs.lines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'ignored an unexpected trigger source',
        triggerSource: 'PreSignUp_Unknown',
      }),
    ]);
  });

  it('rejects an event without user attributes, naming what is missing', async () => {
    const event = structuredClone(PRE_SIGN_UP) as unknown as { request: unknown };
    event.request = {};
    await expect(build()(event as PreSignUpTriggerEvent)).rejects.toThrow(
      new MalformedTriggerEventError('trigger event must have request.userAttributes'),
    );
  });

  it('closes the store after each invocation when told to, and only lets go of connections otherwise', async () => {
    const releasing = createCountingHandle(() => backend.openFresh().then((db) => db.store));
    const handler = createPreSignUpHandler({
      ...sharedDependencies(releasing.handle),
      policy: OPEN,
      releaseStoreAfterEachInvocation: true,
    });
    await handler(structuredClone(PRE_SIGN_UP));
    await handler(structuredClone(PRE_SIGN_UP));
    expect([releasing.opens(), releasing.closes()]).toEqual([2, 2]);

    const keeping = createCountingHandle(keepFresh);
    await build(keeping.handle)(structuredClone(PRE_SIGN_UP));
    await build(keeping.handle)(structuredClone(PRE_SIGN_UP));
    expect([keeping.opens(), keeping.closes()]).toEqual([1, 0]);
  });
});

describe('PreSignUp then PostConfirmation', () => {
  const pre = (policy = OPEN) =>
    createPreSignUpHandler({
      ...sharedDependencies(createCountingHandle(keepFresh).handle),
      policy,
    });
  const post = () =>
    createPostConfirmationHandler(sharedDependencies(createCountingHandle(keepFresh).handle));

  /** A confirmation as Cognito sends it for a self-service sign-up: no name, no handle. */
  function laterConfirmation(userName: string) {
    const event = structuredClone(CONFIRM);
    event.userName = userName;
    event.request.userAttributes = {
      sub: userName,
      'cognito:user_status': 'CONFIRMED',
      email_verified: 'true',
      email: 'jane.doe@example.com',
    };
    event.request.clientMetadata = {};
    return event;
  }

  it('seeds the handle and name sent at sign-up when the confirmation carries no metadata', async () => {
    const signUp = structuredClone(PRE_SIGN_UP);
    signUp.request.clientMetadata = { displayName: '  Jane   Q ', handle: 'Jane_Q' };
    await pre()(signUp);
    await post()(laterConfirmation(signUp.userName));
    await expect(fresh.store.findBySub(signUp.userName)).resolves.toMatchObject({
      displayName: 'Jane Q',
      handle: 'jane_q',
    });
    await expect(
      fresh.store.findSignUpIntent(signUp.userName, new Date(clock.now())),
    ).resolves.toBeUndefined();
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ message: 'profile created', fromIntent: true }),
    );
  });

  it('seeds an auto-confirmed sign-up from its intent, PostConfirmation running right after', async () => {
    const signUp = structuredClone(PRE_SIGN_UP);
    signUp.request.clientMetadata = { displayName: 'Jane Auto', handle: 'jane_auto' };
    const decided = await pre({ ...OPEN, autoConfirmEmailDomains: ['example.com'] })(signUp);
    expect(decided.response.autoConfirmUser).toBe(true);
    // Cognito passes SignUp's ClientMetadata to this PostConfirmation too; the intent is used.
    const confirmation = laterConfirmation(signUp.userName);
    confirmation.request.clientMetadata = { handle: 'not_validated_here' };
    await post()(confirmation);
    await expect(fresh.store.findBySub(signUp.userName)).resolves.toMatchObject({
      displayName: 'Jane Auto',
      handle: 'jane_auto',
    });
  });

  it('derives the handle from the email when no intent was kept (an admin-created user)', async () => {
    await post()(laterConfirmation('7c9e6679-7425-40de-944b-e07fc1f90ae7'));
    await expect(
      fresh.store.findBySub('7c9e6679-7425-40de-944b-e07fc1f90ae7'),
    ).resolves.toMatchObject({ handle: 'jane_doe', displayName: 'jane_doe' });
  });
});

describe('createPostConfirmationHandler', () => {
  function build(handle = createCountingHandle(keepFresh).handle) {
    return createPostConfirmationHandler(sharedDependencies(handle));
  }

  it('creates the profile from the confirmed attributes', async () => {
    const event = structuredClone(CONFIRM);
    await expect(build()(structuredClone(event))).resolves.toEqual(event);
    await expect(fresh.store.findBySub(event.request.userAttributes.sub ?? '')).resolves.toEqual(
      expect.objectContaining({
        email: 'jane.doe@example.com',
        displayName: 'Jane Doe',
        handle: 'jane_doe',
      }),
    );
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ message: 'profile created', handle: 'jane_doe', latencyMs: 0 }),
    );
  });

  it('leaves one profile when Cognito delivers the confirmation twice', async () => {
    await build()(structuredClone(CONFIRM));
    await build()(structuredClone(CONFIRM));
    expect(await countProfiles(fresh.db)).toBe(1);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ message: 'profile already existed' }),
    );
  });

  it('passes a confirmed password reset through without touching the profile', async () => {
    const event = structuredClone(FORGOT_PASSWORD);
    await expect(build()(structuredClone(event))).resolves.toEqual(event);
    expect(await countProfiles(fresh.db)).toBe(0);
    expect(logs.lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'password reset confirmed; profile unchanged',
        userName: event.userName,
      }),
    ]);
  });

  it('ignores a trigger source it does not handle', async () => {
    const event = structuredClone(CONFIRM);
    event.triggerSource =
      'PostConfirmation_Unknown' as PostConfirmationTriggerEvent['triggerSource'];
    await expect(build()(structuredClone(event))).resolves.toEqual(event);
    expect(await countProfiles(fresh.db)).toBe(0);
    expect(logs.lines).toEqual([
      expect.objectContaining({ message: 'ignored an unexpected trigger source' }),
    ]);
  });

  it('retries a refused connection, logging the attempt with the sub', async () => {
    const counting = createCountingHandle(keepFresh, 1);
    await build(counting.handle)(structuredClone(CONFIRM));
    expect(await countProfiles(fresh.db)).toBe(1);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        message: 'profile store unavailable; retrying',
        sub: CONFIRM.request.userAttributes.sub,
        attempt: 1,
        delayMs: 13,
      }),
    );
  });

  it('says the account is confirmed but the profile failed when an attribute is unusable', async () => {
    const failure = build()(structuredClone(MISSING_EMAIL));
    await expect(failure).rejects.toThrow(SETUP_FAILED_MESSAGE);
    expect(await countProfiles(fresh.db)).toBe(0);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'profile seeding failed',
        error: expect.stringContaining('Email is required') as unknown,
      }),
    );
  });

  it('rejects a confirmation without a sub, saying so', async () => {
    const event = structuredClone(CONFIRM);
    delete event.request.userAttributes.sub;
    await expect(build()(event)).rejects.toThrow(
      new MalformedTriggerEventError('trigger event must carry userAttributes.sub'),
    );
    expect(await countProfiles(fresh.db)).toBe(0);
  });

  it('closes the store after each invocation when told to', async () => {
    const releasing = createCountingHandle(() => backend.openFresh().then((db) => db.store));
    const handler = createPostConfirmationHandler({
      ...sharedDependencies(releasing.handle),
      releaseStoreAfterEachInvocation: true,
    });
    await handler(structuredClone(CONFIRM));
    await expect(handler(structuredClone(MISSING_EMAIL))).rejects.toThrow(SETUP_FAILED_MESSAGE);
    expect([releasing.opens(), releasing.closes()]).toEqual([2, 2]);
  });
});
