/**
 * `PATCH /me`: changes the caller's display name and/or handle, creating the profile first if the
 * user has none yet.
 */
import { createApiHandler } from './create-api-handler';
import { ensureProfile, UserGoneError } from './ensure-profile';
import type { AuthorizedEvent, MeHandlerDependencies } from './create-get-me-handler';
import { toJsonResponse } from './json-response';
import { parseProfilePatch } from './parse-profile-patch';
import { toProfileResponse } from './profile-response';
import { retryTransientOnce } from './retry-once';
import { readCaller } from '../auth/authorizer-context';

/** Builds the `PATCH /me` handler around its dependencies. */
export function createPatchMeHandler(deps: MeHandlerDependencies) {
  const { store, lookUpUser, logger } = deps;
  return createApiHandler<AuthorizedEvent>(deps, async (event) => {
    const caller = readCaller(event);
    // The body is checked before anything is created: a bad request changes nothing.
    const update = parseProfilePatch(event);
    // Both statements are safe to repeat: the profile is created once per sub, and setting the
    // same fields again changes nothing more.
    const updated = await retryTransientOnce(
      async () => {
        const profileStore = await store.get();
        await ensureProfile(caller, { store: profileStore, lookUpUser, logger });
        // HandleTakenError from here becomes 409 in withHttpErrors.
        return profileStore.updateProfile(caller.sub, update);
      },
      { store, logger },
    );
    // Only if the profile was deleted between the two statements: the user is being removed.
    if (updated === undefined) throw new UserGoneError();
    logger.info('profile updated', {
      sub: caller.sub,
      fields: Object.keys(update).join(','),
    });
    return toJsonResponse(200, toProfileResponse(updated));
  });
}
