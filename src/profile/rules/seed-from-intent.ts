/**
 * Seeding a profile from the sign-up's kept intent (what PreSignUp validated), for PostConfirmation
 * and for the first API call after a failed PostConfirmation. The intent is forgotten once the
 * profile exists; without one (administrator-created users, an expired intent) the attributes and
 * the email are used, as seedProfile does.
 */
import type { Logger } from '../../logger';
import type { CreateProfileResult, ProfileStore } from '../store/profile-store';
import { seedProfile } from './seed-profile';

export interface SeedFromIntentResult extends CreateProfileResult {
  /** Whether a kept sign-up intent was found for this userName. */
  fromIntent: boolean;
}

/** Creates (or returns) the profile of `sub`, preferring the intent kept for `userName`. */
export async function seedFromIntent(
  userName: string,
  sub: string,
  attributes: Readonly<Record<string, string>>,
  store: Pick<ProfileStore, 'createProfile' | 'findSignUpIntent' | 'deleteSignUpIntent'>,
  logger: Logger,
  now: () => number,
): Promise<SeedFromIntentResult> {
  const intent =
    userName === '' ? undefined : await store.findSignUpIntent(userName, new Date(now()));
  const result = await seedProfile({ sub, attributes, intent }, store, logger);
  // A retry that finds the intent gone still finds the profile (idempotent per sub).
  if (intent !== undefined) await store.deleteSignUpIntent(userName);
  return { ...result, fromIntent: intent !== undefined };
}
