/**
 * The caller's profile, created on first need. PostConfirmation normally creates it, but it may
 * have failed, and Cognito never fires it for users an administrator created: their first call to
 * the API creates it instead, exactly once per sub however many calls race (seedProfile is
 * idempotent per sub and finds a free handle).
 */
import { describeError, type Logger } from '../logger';
import { HandleTakenError, type Profile, type ProfileStore } from '../profile/store/profile-store';
import { ProfileValidationError } from '../profile/rules/validation-error';
import { seedFromIntent } from '../profile/rules/seed-from-intent';
import {
  ConflictError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  ServiceUnavailableError,
} from './http-error';
import { UnknownUserPoolError, type LookUpUser } from './look-up-user';
import type { Caller } from '../auth/authorizer-context';

/** The Cognito attributes a profile is made from. */
const PROFILE_ATTRIBUTES = ['email', 'name', 'preferred_username'] as const;

export interface EnsureProfileDependencies {
  store: ProfileStore;
  /**
   * Cognito's view of the user; `undefined` when no user pool is configured (local runs), in which
   * case the profile is made from the token's claims alone.
   */
  lookUpUser: LookUpUser | undefined;
  logger: Logger;
  /** Milliseconds since the epoch (a kept sign-up intent's expiry); tests freeze it. */
  now?: () => number;
}

/**
 * A client-credentials token reached a route about the caller's own profile. Its `sub` is an app
 * client id, not a user: creating a profile for it would be wrong, so it is refused (403).
 */
export class MachineCallerError extends ForbiddenError {
  constructor() {
    super(
      "This route is for users; a machine (client-credentials) token has no profile. Call it with a user's token.",
      { code: 'user_required' },
    );
  }
}

/** The user of the token was deleted from the pool (the token itself is still valid). */
export class UserGoneError extends NotFoundError {
  constructor() {
    super('user_not_found', 'The user of this token no longer exists.');
  }
}

/** Why no profile can be made: what is missing, which decides what the caller can do about it. */
export type EmailProblem = 'none_known' | 'not_valid' | 'not_in_token';

/**
 * The message for each {@link EmailProblem}: what is wrong, then what actually helps.
 *
 * - Cognito was asked and the account has no valid address: the address is set on the account
 *   (by the person, or an administrator), then the call repeated. The same token works again,
 *   since Cognito is asked on every call until the profile exists; only a token that carries the
 *   old address itself (an id token, where COGNITO_TOKEN_USE allows them) must be replaced,
 *   because the token's claims come first.
 * - Cognito was not asked (no COGNITO_USER_POOL_ID: local runs only) and the token has no valid
 *   `email` claim: only a token with one helps (the dev key's tokens carry one, `npm run token -- --email`).
 *
 * Never "send an id token": the authorizer accepts access tokens only by default
 * (COGNITO_TOKEN_USE=access) and refuses id tokens with 403.
 */
const EMAIL_REQUIRED_MESSAGES: Readonly<Record<EmailProblem, string>> = {
  none_known:
    'A profile needs an email address and this account has none. Add a valid email address to the account (or ask an administrator to), then call again.',
  not_valid:
    "A profile needs an email address and the account's address is not valid. Change it to a valid one (or ask an administrator to), then call again, with a new token if this one carries the old address.",
  not_in_token:
    'A profile needs an email address and this token carries no valid one; this API is not set up to look accounts up in Cognito, so call it with a token whose email claim is a valid address.',
};

/**
 * A profile needs an email address and none usable is known. Answered 409 rather than 500: the
 * request is fine but the account's state does not allow a profile yet; the message says what the
 * caller can do ({@link EMAIL_REQUIRED_MESSAGES}). In deployed stages Cognito is asked, so this
 * only happens for an account without a valid email.
 */
export class EmailRequiredError extends ConflictError {
  constructor(
    readonly problem: EmailProblem,
    options?: ErrorOptions,
  ) {
    super('email_required', EMAIL_REQUIRED_MESSAGES[problem], options);
  }
}

async function gatherAttributes(
  caller: Caller,
  lookUpUser: LookUpUser | undefined,
): Promise<Record<string, string>> {
  // Of the profile's attributes, the authorizer passes on only the email, and only when the token
  // carries one (id tokens, and the dev key's access tokens).
  const fromClaims: Record<string, string> = {};
  if (caller.email !== undefined) fromClaims.email = caller.email;
  if (lookUpUser === undefined) return fromClaims;

  let found: Record<string, string> | undefined;
  try {
    // With email as the sign-in alias, Cognito's user name is the sub, and AdminGetUser accepts it.
    found = await lookUpUser(
      caller.username === '' ? caller.sub : caller.username,
      caller.userPoolId,
    );
  } catch (error) {
    if (error instanceof UnknownUserPoolError) {
      throw new InternalError(error.message, { cause: error });
    }
    throw new ServiceUnavailableError({ cause: error });
  }
  // A user name can be reused once its user is deleted: a different sub is another person.
  if (found === undefined || (found.sub !== undefined && found.sub !== caller.sub)) {
    throw new UserGoneError();
  }
  const attributes: Record<string, string> = {};
  for (const name of PROFILE_ATTRIBUTES) {
    const value = fromClaims[name] ?? found[name];
    if (value !== undefined) attributes[name] = value;
  }
  return attributes;
}

/**
 * Returns the caller's profile, creating it when it does not exist yet from the sign-up's kept
 * intent (handle, display name), the token's claims and, for what they lack, Cognito's attributes.
 *
 * @throws {@link MachineCallerError} (403) when the caller is a machine, not a user
 * @throws {@link UserGoneError} (404) when Cognito no longer knows the user
 * @throws {@link EmailRequiredError} (409) when no valid email address is known
 * @throws {@link ServiceUnavailableError} (503) when Cognito cannot be asked
 */
export async function ensureProfile(
  caller: Caller,
  { store, lookUpUser, logger, now = () => Date.now() }: EnsureProfileDependencies,
): Promise<Profile> {
  if (caller.principalKind !== 'user') throw new MachineCallerError();
  const existing = await store.findBySub(caller.sub);
  if (existing !== undefined) return existing;

  const attributes = await gatherAttributes(caller, lookUpUser);
  if (attributes.email === undefined) {
    if (lookUpUser === undefined) {
      logger.warn(
        'no email for a new profile; COGNITO_USER_POOL_ID is unset, so Cognito was not asked',
        {
          sub: caller.sub,
        },
      );
      throw new EmailRequiredError('not_in_token');
    }
    throw new EmailRequiredError('none_known');
  }
  try {
    // The handle and display name asked for at sign-up, when PostConfirmation failed to use them.
    const userName = caller.username === '' ? caller.sub : caller.username;
    const { profile, created } = await seedFromIntent(
      userName,
      caller.sub,
      attributes,
      store,
      logger,
      now,
    );
    if (created) {
      logger.info('profile created on first API call', { sub: caller.sub, handle: profile.handle });
    }
    return profile;
  } catch (error) {
    // seedProfile validates only the email strictly; name and handle fall back to usable values.
    if (error instanceof ProfileValidationError) {
      throw new EmailRequiredError(lookUpUser === undefined ? 'not_in_token' : 'not_valid', {
        cause: error,
      });
    }
    // Every numbered variant and the sub-derived handle taken: not the client's doing.
    if (error instanceof HandleTakenError) {
      throw new InternalError(`no free handle for a new profile: ${describeError(error)}`, {
        cause: error,
      });
    }
    throw error;
  }
}
