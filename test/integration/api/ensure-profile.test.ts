/**
 * Creating the caller's profile on the first API call, on PGlite and on the PostgreSQL server.
 */
import { EmailRequiredError, ensureProfile, UserGoneError } from '../../../src/api/ensure-profile';
import { ServiceUnavailableError } from '../../../src/api/http-error';
import type { LookUpUser } from '../../../src/api/look-up-user';
import type { Caller } from '../../../src/auth/authorizer-context';
import {
  buildProfileInput,
  countProfiles,
  createPgliteBackend,
  createPostgresBackend,
  type FreshDatabase,
} from '../../support/profile-store-fixtures';
import { captureLogs } from '../../support/capture-logs';

jest.setTimeout(30_000);

const SUB = '4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const ACCESS_CALLER: Caller = {
  sub: SUB,
  username: SUB,
  tokenUse: 'access',
  clientId: 'web-client',
  scope: 'aws.cognito.signin.user.admin',
  email: undefined,
  groups: [],
  principalKind: 'user',
  userPoolId: 'us-east-1_LocalDev1',
};
const COGNITO_ATTRIBUTES = {
  sub: SUB,
  email: 'Grace.Hopper@Example.com',
  email_verified: 'true',
  name: ' Grace  Hopper ',
  preferred_username: 'Grace_H',
};

/** An in-memory Cognito: users by user name; records every lookup. */
function createLookUp(users: Record<string, Record<string, string>>) {
  const calls: string[] = [];
  const lookUpUser: LookUpUser = (username) => {
    calls.push(username);
    return Promise.resolve(users[username] === undefined ? undefined : { ...users[username] });
  };
  return { lookUpUser, calls };
}

describe.each([createPgliteBackend(), createPostgresBackend()])(
  'ensureProfile on $name',
  (backend) => {
    if (!backend.available) {
      it('is not run: no PostgreSQL server on this machine (CI requires one)', () => {
        expect(process.env.CI).not.toBe('true');
      });
      return;
    }

    let fresh: FreshDatabase;
    beforeAll(() => backend.prepare(), 60_000);
    afterAll(() => backend.dispose());
    beforeEach(async () => {
      fresh = await backend.openFresh();
    });
    afterEach(() => fresh.close());

    it('returns the existing profile without asking Cognito', async () => {
      await fresh.store.createProfile(buildProfileInput({ cognitoSub: SUB }));
      const { lookUpUser, calls } = createLookUp({});
      const profile = await ensureProfile(ACCESS_CALLER, {
        store: fresh.store,
        lookUpUser,
        logger: captureLogs().logger,
      });
      expect(profile).toMatchObject({ cognitoSub: SUB, handle: 'ada_lovelace' });
      expect(calls).toEqual([]);
    });

    it("creates the profile from the id token's email when Cognito is not configured", async () => {
      const profile = await ensureProfile(
        { ...ACCESS_CALLER, tokenUse: 'id', email: 'Jane.Doe@Example.com' },
        { store: fresh.store, lookUpUser: undefined, logger: captureLogs().logger },
      );
      expect(profile).toMatchObject({
        cognitoSub: SUB,
        email: 'jane.doe@example.com',
        handle: 'jane_doe',
        // No name in the claims: the handle stands in until the person renames themselves.
        displayName: 'jane_doe',
      });
      expect(await countProfiles(fresh.db)).toBe(1);
    });

    it('creates the profile from Cognito when the claims lack the email', async () => {
      const { lookUpUser, calls } = createLookUp({ [SUB]: COGNITO_ATTRIBUTES });
      const capture = captureLogs();
      const profile = await ensureProfile(ACCESS_CALLER, {
        store: fresh.store,
        lookUpUser,
        logger: capture.logger,
      });
      expect(profile).toMatchObject({
        cognitoSub: SUB,
        email: 'grace.hopper@example.com',
        displayName: 'Grace Hopper',
        handle: 'grace_h',
      });
      expect(calls).toEqual([SUB]);
      expect(capture.lines).toContainEqual(
        expect.objectContaining({ message: 'profile created on first API call', sub: SUB }),
      );
    });

    it('prefers the email of the token over the one Cognito returns', async () => {
      const { lookUpUser } = createLookUp({ [SUB]: COGNITO_ATTRIBUTES });
      const profile = await ensureProfile(
        { ...ACCESS_CALLER, tokenUse: 'id', email: 'grace@example.org' },
        { store: fresh.store, lookUpUser, logger: captureLogs().logger },
      );
      expect(profile).toMatchObject({ email: 'grace@example.org', handle: 'grace_h' });
    });

    it('looks the user up by sub when the context has no user name', async () => {
      const { lookUpUser, calls } = createLookUp({ [SUB]: COGNITO_ATTRIBUTES });
      await ensureProfile(
        { ...ACCESS_CALLER, username: '' },
        { store: fresh.store, lookUpUser, logger: captureLogs().logger },
      );
      expect(calls).toEqual([SUB]);
    });

    it('creates exactly one profile under concurrent first calls', async () => {
      const { lookUpUser } = createLookUp({ [SUB]: COGNITO_ATTRIBUTES });
      const deps = { store: fresh.store, lookUpUser, logger: captureLogs().logger };
      const profiles = await Promise.all(
        Array.from({ length: 5 }, () => ensureProfile(ACCESS_CALLER, deps)),
      );
      expect(new Set(profiles.map((profile) => profile.id)).size).toBe(1);
      expect(await countProfiles(fresh.db)).toBe(1);
    });

    it('takes the next free handle when the chosen one is held by someone else', async () => {
      await fresh.store.createProfile(
        buildProfileInput({ cognitoSub: 'someone-else', handle: 'grace_h' }),
      );
      const { lookUpUser } = createLookUp({ [SUB]: COGNITO_ATTRIBUTES });
      const profile = await ensureProfile(ACCESS_CALLER, {
        store: fresh.store,
        lookUpUser,
        logger: captureLogs().logger,
      });
      expect(profile.handle).toBe('grace_h_2');
    });

    it('throws UserGoneError (404) when Cognito no longer knows the user', async () => {
      const { lookUpUser } = createLookUp({});
      const attempt = ensureProfile(ACCESS_CALLER, {
        store: fresh.store,
        lookUpUser,
        logger: captureLogs().logger,
      });
      await expect(attempt).rejects.toThrow(UserGoneError);
      await expect(attempt).rejects.toMatchObject({
        statusCode: 404,
        code: 'user_not_found',
        message: 'The user of this token no longer exists.',
      });
      expect(await countProfiles(fresh.db)).toBe(0);
    });

    it('throws UserGoneError when the user name now belongs to another sub', async () => {
      const { lookUpUser } = createLookUp({
        [SUB]: { ...COGNITO_ATTRIBUTES, sub: '00000000-0000-4000-8000-000000000000' },
      });
      await expect(
        ensureProfile(ACCESS_CALLER, {
          store: fresh.store,
          lookUpUser,
          logger: captureLogs().logger,
        }),
      ).rejects.toThrow(UserGoneError);
    });

    it('throws ServiceUnavailableError (503) when Cognito cannot be asked', async () => {
      const lookUpUser: LookUpUser = () =>
        Promise.reject(
          Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }),
        );
      const attempt = ensureProfile(ACCESS_CALLER, {
        store: fresh.store,
        lookUpUser,
        logger: captureLogs().logger,
      });
      await expect(attempt).rejects.toThrow(ServiceUnavailableError);
      await expect(attempt).rejects.toMatchObject({ statusCode: 503, expose: true });
    });

    it('throws EmailRequiredError (409) for an access token when Cognito is not configured', async () => {
      const capture = captureLogs();
      const attempt = ensureProfile(ACCESS_CALLER, {
        store: fresh.store,
        lookUpUser: undefined,
        logger: capture.logger,
      });
      await expect(attempt).rejects.toThrow(EmailRequiredError);
      await expect(attempt).rejects.toMatchObject({ statusCode: 409, code: 'email_required' });
      // What helps here is a token with an email claim; an id token would be refused with 403.
      await expect(attempt).rejects.toThrow(
        'this token carries no valid one; this API is not set up to look accounts up in Cognito, so call it with a token whose email claim is a valid address.',
      );
      await expect(attempt).rejects.not.toThrow(/id token/u);
      expect(capture.lines).toContainEqual(expect.objectContaining({ level: 'WARN', sub: SUB }));
    });

    it('throws EmailRequiredError saying to add an address when the account has none', async () => {
      const { email: _email, ...withoutEmail } = COGNITO_ATTRIBUTES;
      const { lookUpUser } = createLookUp({ [SUB]: withoutEmail });
      const attempt = ensureProfile(ACCESS_CALLER, {
        store: fresh.store,
        lookUpUser,
        logger: captureLogs().logger,
      });
      await expect(attempt).rejects.toMatchObject({ statusCode: 409, code: 'email_required' });
      await expect(attempt).rejects.toThrow(
        'A profile needs an email address and this account has none. Add a valid email address to the account (or ask an administrator to), then call again.',
      );
      expect(await countProfiles(fresh.db)).toBe(0);
    });

    it('throws EmailRequiredError when the account has an invalid email', async () => {
      const { lookUpUser } = createLookUp({
        [SUB]: { ...COGNITO_ATTRIBUTES, email: 'not-an-email' },
      });
      await expect(
        ensureProfile(ACCESS_CALLER, {
          store: fresh.store,
          lookUpUser,
          logger: captureLogs().logger,
        }),
      ).rejects.toThrow(
        "A profile needs an email address and the account's address is not valid. Change it to a valid one (or ask an administrator to), then call again",
      );
      expect(await countProfiles(fresh.db)).toBe(0);
    });
  },
);
