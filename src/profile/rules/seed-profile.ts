/**
 * What the PostConfirmation trigger does: create the one profile of a confirmed user from the
 * normalized sign-up attributes. Safe to repeat: Cognito retries, duplicate deliveries and
 * concurrent containers all end with one row.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../logger';
import { cutHandle, deriveHandle, handleVariant } from './derive-handle';
import { normalizeDisplayName } from './normalize-display-name';
import { normalizeEmail } from './normalize-email';
import { MAX_HANDLE_LENGTH, normalizeHandle } from './normalize-handle';
import {
  HandleTakenError,
  type CreateProfileResult,
  type ProfileStore,
  type SignUpIntent,
} from '../store/profile-store';
import { ProfileValidationError } from './validation-error';

/** Numbered variants tried (`jane`, `jane_2` … `jane_20`) before a sub-derived one. */
export const HANDLE_VARIANTS_TRIED = 20;

/** The handle asked for, or one derived from the email when none (or an invalid one) was given. */
export function chooseBaseHandle(typed: string | undefined, email: string): string {
  if (typed !== undefined && typed.trim() !== '') {
    try {
      return normalizeHandle(typed);
    } catch (error) {
      if (!(error instanceof ProfileValidationError)) throw error;
    }
  }
  return deriveHandle(email.slice(0, email.lastIndexOf('@')));
}

/**
 * A last-resort variant that is the same for a user every time (so retries converge) and almost
 * certainly free: the base cut short plus 8 hex digits of a hash of the sub.
 */
export function subDerivedHandle(base: string, sub: string): string {
  const suffix = `_${createHash('sha256').update(sub).digest('hex').slice(0, 8)}`;
  return normalizeHandle(`${cutHandle(base, MAX_HANDLE_LENGTH - suffix.length)}${suffix}`);
}

/** The handles to try, in a fixed order, computed only as far as needed (usually just the first). */
function* handleCandidates(base: string, sub: string): Generator<string> {
  for (let n = 0; n < HANDLE_VARIANTS_TRIED; n += 1) yield handleVariant(base, n);
  yield subDerivedHandle(base, sub);
}

export interface SeedProfileInput {
  sub: string;
  attributes: Readonly<Record<string, string>>;
  /**
   * What PreSignUp validated and kept (see check-sign-up.ts); it wins over the `name` and
   * `preferred_username` attributes, which only an administrator can set for this app.
   */
  intent?: Pick<SignUpIntent, 'displayName' | 'handle'> | undefined;
}

/**
 * Creates the user's profile, or returns the one that exists. A taken handle never fails the
 * confirmation: the next free variant, in a fixed order, is used instead.
 */
export async function seedProfile(
  { sub, attributes, intent }: SeedProfileInput,
  store: Pick<ProfileStore, 'createProfile'>,
  logger: Logger,
): Promise<CreateProfileResult> {
  const email = normalizeEmail(attributes.email);
  const base = chooseBaseHandle(intent?.handle ?? attributes.preferred_username, email);
  let displayName: string;
  try {
    displayName = normalizeDisplayName(intent?.displayName ?? attributes.name);
  } catch (error) {
    if (!(error instanceof ProfileValidationError)) throw error;
    // PreSignUp validated it; an admin-created user or a later attribute edit may still carry a
    // bad one. The profile is created anyway, and the person can rename themselves.
    logger.warn('display name unusable at confirmation; using the handle', {
      sub,
      reason: error.message,
    });
    displayName = base;
  }

  for (const handle of handleCandidates(base, sub)) {
    try {
      return await store.createProfile({ cognitoSub: sub, email, displayName, handle });
    } catch (error) {
      if (!(error instanceof HandleTakenError)) throw error;
    }
  }
  throw new HandleTakenError(base);
}
