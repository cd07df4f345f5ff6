/**
 * The sign-up logic behind both triggers, on PGlite and on the real PostgreSQL server.
 */
import { ProfileValidationError } from '../../src/profile/rules/validation-error';
import { checkSignUp, type SignUpInput, type SignUpPolicy } from '../../src/signup/check-sign-up';
import {
  HANDLE_VARIANTS_TRIED,
  seedProfile,
  subDerivedHandle,
} from '../../src/profile/rules/seed-profile';
import {
  buildProfileInput,
  countProfiles,
  createPgliteBackend,
  createPostgresBackend,
  type FreshDatabase,
} from '../support/profile-store-fixtures';
import { captureLogs } from '../support/capture-logs';
import { seedFromIntent } from '../../src/profile/rules/seed-from-intent';

jest.setTimeout(30_000);

const OPEN: SignUpPolicy = { allowedEmailDomains: [], autoConfirmEmailDomains: [] };
const ATTRIBUTES = {
  email: 'Jane.Doe@Example.com',
  name: '  Jane \t Doe ',
  preferred_username: 'Jane_Doe',
};
const SUB = '2b5f1c7e-3a4d-4e8f-9b0a-1c2d3e4f5a6b';

/**
 * A SignUp as the page makes it: only the email is an attribute; the display name and handle
 * travel as ClientMetadata (the app client may not write name or preferred_username).
 */
function asSignUp(values: {
  email: string;
  name?: string;
  preferred_username?: string;
}): SignUpInput {
  const clientMetadata: Record<string, string> = {};
  if (values.name !== undefined) clientMetadata.displayName = values.name;
  if (values.preferred_username !== undefined) clientMetadata.handle = values.preferred_username;
  return { attributes: { email: values.email }, clientMetadata };
}

describe.each([createPgliteBackend(), createPostgresBackend()])('sign-up on $name', (backend) => {
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

  describe('checkSignUp', () => {
    it('accepts valid attributes and reports their normalized form', async () => {
      await expect(checkSignUp(asSignUp(ATTRIBUTES), OPEN, fresh.store)).resolves.toEqual({
        email: 'jane.doe@example.com',
        displayName: 'Jane Doe',
        handle: 'jane_doe',
        autoConfirm: false,
      });
    });

    it('accepts a sign-up without a handle', async () => {
      const decision = await checkSignUp(
        asSignUp({ email: 'a@example.com', name: 'Ann' }),
        OPEN,
        fresh.store,
      );
      expect(decision.handle).toBeUndefined();
    });

    it('rejects a handle taken in another case, saying so', async () => {
      await fresh.store.createProfile(buildProfileInput({ handle: 'jane_doe' }));
      const attempt = checkSignUp(
        asSignUp({ ...ATTRIBUTES, preferred_username: 'JANE_DOE' }),
        OPEN,
        fresh.store,
      );
      await expect(attempt).rejects.toThrow(ProfileValidationError);
      await expect(attempt).rejects.toThrow('Handle is already taken; choose another');
    });

    it.each([
      [
        { ...ATTRIBUTES, name: '\u200b\u3164' },
        'name',
        'Display name must contain visible characters',
      ],
      [
        { ...ATTRIBUTES, preferred_username: 'admin' },
        'preferred_username',
        'Handle is reserved; choose another',
      ],
      [
        { ...ATTRIBUTES, email: 'not-an-email' },
        'email',
        'Email must be an address like name@example.com',
      ],
    ])('rejects %j naming the field', async (attributes, field, message) => {
      const error = await checkSignUp(asSignUp(attributes), OPEN, fresh.store).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProfileValidationError);
      expect(error).toMatchObject({ field, message });
    });

    it('rejects sign-ups from domains outside ALLOWED_EMAIL_DOMAINS', async () => {
      const policy = { ...OPEN, allowedEmailDomains: ['example.org'] };
      await expect(checkSignUp(asSignUp(ATTRIBUTES), policy, fresh.store)).rejects.toThrow(
        'Email must be an address at a domain allowed to sign up',
      );
      await expect(
        checkSignUp(asSignUp({ ...ATTRIBUTES, email: 'jane@EXAMPLE.org' }), policy, fresh.store),
      ).resolves.toMatchObject({ email: 'jane@example.org' });
    });

    it('does not fold a look-alike domain into an allowed one', async () => {
      // U+212A KELVIN SIGN lower-cases to "k" under Unicode rules; only A–Z are folded.
      const policy = { ...OPEN, allowedEmailDomains: ['kexample.org'] };
      await expect(
        checkSignUp(
          asSignUp({ ...ATTRIBUTES, email: 'jane@\u212Aexample.org' }),
          policy,
          fresh.store,
        ),
      ).rejects.toThrow('Email must be an address at a domain allowed to sign up');
    });

    it('does not auto-confirm a look-alike of an auto-confirm domain', async () => {
      const policy = { ...OPEN, autoConfirmEmailDomains: ['kexample.com'] };
      await expect(
        checkSignUp(asSignUp({ ...ATTRIBUTES, email: 'x@\u212Aexample.com' }), policy, fresh.store),
      ).resolves.toMatchObject({ autoConfirm: false });
      await expect(
        checkSignUp(asSignUp({ ...ATTRIBUTES, email: 'x@KExample.com' }), policy, fresh.store),
      ).resolves.toMatchObject({ autoConfirm: true });
    });

    it('rejects a name the table could not store (300 code points), saying so', async () => {
      const name = 'q\u0300\u0316\u0323\u0333'.repeat(60);
      await expect(
        checkSignUp(asSignUp({ ...ATTRIBUTES, name }), OPEN, fresh.store),
      ).rejects.toThrow(
        'Display name must be shorter: at most 256 letters, accents and symbols in all',
      );
    });

    it('confirms sign-ups from AUTO_CONFIRM_EMAIL_DOMAINS at once', async () => {
      const policy = { ...OPEN, autoConfirmEmailDomains: ['example.com'] };
      await expect(checkSignUp(asSignUp(ATTRIBUTES), policy, fresh.store)).resolves.toMatchObject({
        autoConfirm: true,
      });
    });

    it('reads the display name and handle from ClientMetadata before the attributes', async () => {
      const decision = await checkSignUp(
        {
          attributes: {
            email: 'a@example.com',
            name: 'Attr Name',
            preferred_username: 'attr_handle',
          },
          clientMetadata: { displayName: 'Meta Name', handle: 'Meta_Handle' },
        },
        OPEN,
        fresh.store,
      );
      expect(decision).toMatchObject({ displayName: 'Meta Name', handle: 'meta_handle' });
    });

    it('reads the attributes an administrator set when there is no ClientMetadata', async () => {
      const decision = await checkSignUp(
        {
          attributes: {
            email: 'a@example.com',
            name: 'Attr Name',
            preferred_username: 'attr_handle',
          },
          clientMetadata: {},
        },
        OPEN,
        fresh.store,
      );
      expect(decision).toMatchObject({ displayName: 'Attr Name', handle: 'attr_handle' });
    });

    it('rejects a reserved handle sent as ClientMetadata, naming the field', async () => {
      const error = await checkSignUp(
        {
          attributes: { email: 'a@example.com' },
          clientMetadata: { displayName: 'A', handle: 'admin' },
        },
        OPEN,
        fresh.store,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProfileValidationError);
      expect(error).toMatchObject({ field: 'preferred_username' });
    });

    it('rejects a sign-up whose ClientMetadata has no display name', async () => {
      await expect(
        checkSignUp(
          { attributes: { email: 'a@example.com' }, clientMetadata: {} },
          OPEN,
          fresh.store,
        ),
      ).rejects.toThrow(ProfileValidationError);
    });
  });

  describe('seedFromIntent', () => {
    const { logger } = captureLogs();
    const NOW = Date.parse('2026-12-02T12:00:00Z');
    const LATER = new Date(NOW + 60_000);
    /** What PreSignUp keeps for SUB, valid for a minute. */
    const keepIntent = () =>
      fresh.store.recordSignUpIntent(
        { userName: SUB, displayName: 'Kept Name', handle: 'kept_handle' },
        LATER,
        new Date(NOW),
      );

    it('seeds from the kept intent, not the attributes, and forgets the intent', async () => {
      await keepIntent();
      const result = await seedFromIntent(
        SUB,
        SUB,
        { email: 'jane@example.com', preferred_username: 'typed_in_cognito' },
        fresh.store,
        logger,
        () => NOW,
      );
      expect(result).toMatchObject({
        created: true,
        fromIntent: true,
        profile: { displayName: 'Kept Name', handle: 'kept_handle' },
      });
      await expect(fresh.store.findSignUpIntent(SUB, new Date(NOW))).resolves.toBeUndefined();
    });

    it('derives the handle from the email when the intent has expired', async () => {
      await keepIntent();
      const result = await seedFromIntent(
        SUB,
        SUB,
        { email: 'jane@example.com' },
        fresh.store,
        logger,
        () => LATER.getTime(),
      );
      expect(result).toMatchObject({
        fromIntent: false,
        profile: { handle: 'jane', displayName: 'jane' },
      });
    });
  });

  describe('seedProfile', () => {
    const { logger } = captureLogs();

    it('falls back to the handle for a name the table could not store', async () => {
      const name = Array.from({ length: 4 }, () =>
        Array.from({ length: 40 }, () => '\u{1F468}').join('\u200D'),
      ).join(' ');
      const { profile, created } = await seedProfile(
        { sub: SUB, attributes: { ...ATTRIBUTES, name } },
        fresh.store,
        logger,
      );
      expect(created).toBe(true);
      expect(profile.displayName).toBe('jane_doe');
      expect(await countProfiles(fresh.db)).toBe(1);
    });

    it('stores the normalized attributes', async () => {
      const { profile, created } = await seedProfile(
        { sub: SUB, attributes: ATTRIBUTES },
        fresh.store,
        logger,
      );
      expect(created).toBe(true);
      expect(profile).toMatchObject({
        cognitoSub: SUB,
        email: 'jane.doe@example.com',
        displayName: 'Jane Doe',
        handle: 'jane_doe',
      });
    });

    it('leaves one row after duplicate and concurrent deliveries', async () => {
      const deliveries = Array.from({ length: 5 }, () =>
        seedProfile({ sub: SUB, attributes: ATTRIBUTES }, fresh.store, logger),
      );
      const results = await Promise.all(deliveries);
      await seedProfile({ sub: SUB, attributes: ATTRIBUTES }, fresh.store, logger);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.profile.id)).size).toBe(1);
      expect(await countProfiles(fresh.db)).toBe(1);
    });

    it('gives the later of two people racing for one handle the next free variant', async () => {
      const other = '9c8b7a6f-5e4d-4c3b-8a29-180f1e2d3c4b';
      const [first, second] = await Promise.all([
        seedProfile({ sub: SUB, attributes: ATTRIBUTES }, fresh.store, logger),
        seedProfile(
          { sub: other, attributes: { ...ATTRIBUTES, email: 'other@example.com' } },
          fresh.store,
          logger,
        ),
      ]);
      expect([first.profile.handle, second.profile.handle].sort()).toEqual([
        'jane_doe',
        'jane_doe_2',
      ]);
      expect(await countProfiles(fresh.db)).toBe(2);
    });

    it('derives a handle from the email when none was given, taking a free variant', async () => {
      await fresh.store.createProfile(buildProfileInput({ handle: 'jane_doe' }));
      const { profile } = await seedProfile(
        { sub: SUB, attributes: { email: 'Jane.Doe+news@example.com', name: 'Jane' } },
        fresh.store,
        logger,
      );
      expect(profile.handle).toBe('jane_doe_2');
    });

    it('falls back to a sub-derived handle when every numbered variant is taken', async () => {
      for (let n = 0; n < HANDLE_VARIANTS_TRIED; n += 1) {
        await fresh.store.createProfile(
          buildProfileInput({
            cognitoSub: `taken-${n}`,
            handle: n === 0 ? 'jane_doe' : `jane_doe_${n + 1}`,
          }),
        );
      }
      const { profile } = await seedProfile(
        { sub: SUB, attributes: ATTRIBUTES },
        fresh.store,
        logger,
      );
      expect(profile.handle).toBe(subDerivedHandle('jane_doe', SUB));
    });

    it('stores SQL metacharacters in a name verbatim', async () => {
      const name = "Robert'); DROP TABLE profiles;--";
      const { profile } = await seedProfile(
        { sub: SUB, attributes: { ...ATTRIBUTES, name } },
        fresh.store,
        logger,
      );
      expect(profile.displayName).toBe(name);
      expect(await fresh.store.findBySub(SUB)).toMatchObject({ displayName: name });
    });

    it('uses the handle as display name when the name is unusable, and says so', async () => {
      const capture = captureLogs();
      const { profile } = await seedProfile(
        { sub: SUB, attributes: { ...ATTRIBUTES, name: '\u202eevil' } },
        fresh.store,
        capture.logger,
      );
      expect(profile.displayName).toBe('jane_doe');
      expect(capture.lines).toContainEqual(
        expect.objectContaining({
          level: 'WARN',
          sub: SUB,
          message: 'display name unusable at confirmation; using the handle',
        }),
      );
    });

    it('rejects a confirmation without an email', async () => {
      await expect(
        seedProfile({ sub: SUB, attributes: { name: 'Jane' } }, fresh.store, logger),
      ).rejects.toThrow(ProfileValidationError);
      expect(await countProfiles(fresh.db)).toBe(0);
    });
  });
});
