/**
 * `GET /profiles/{handle}` (administrators): the profile with that handle, in any case.
 */
import { createApiHandler, type ApiHandlerDependencies } from './create-api-handler';
import type { AuthorizedEvent } from './create-get-me-handler';
import { ForbiddenError, NotFoundError } from './http-error';
import { toJsonResponse } from './json-response';
import { toProfileResponse } from './profile-response';
import { retryTransientOnce } from './retry-once';
import { readCaller } from '../auth/authorizer-context';
import { HANDLE_PATTERN } from '../profile/rules/normalize-handle';

/** The Cognito group whose members may read any profile. */
export const ADMIN_GROUP = 'admin';

export type GetProfileHandlerDependencies = ApiHandlerDependencies;

function readHandle(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || !('pathParameters' in event)) return undefined;
  const { pathParameters } = event;
  if (typeof pathParameters !== 'object' || pathParameters === null) return undefined;
  const handle: unknown = (pathParameters as Record<string, unknown>).handle;
  // Any stored handle has this shape; anything else cannot name a profile, so it is answered 404
  // without a query. Upper case is allowed: the lookup ignores case.
  return typeof handle === 'string' && HANDLE_PATTERN.test(handle) ? handle : undefined;
}

/** Builds the `GET /profiles/{handle}` handler around its dependencies. */
export function createGetProfileHandler(deps: GetProfileHandlerDependencies) {
  const { store } = deps;
  return createApiHandler<AuthorizedEvent>(deps, async (event) => {
    const caller = readCaller(event);
    // The authorizer's ACCESS_RULES already require the group; checked again so that a route
    // wired without the rule does not open every profile to every user.
    if (!caller.groups.includes(ADMIN_GROUP)) {
      throw new ForbiddenError('Only administrators can read other profiles.');
    }
    const handle = readHandle(event);
    const profile =
      handle === undefined
        ? undefined
        : await retryTransientOnce(async () => (await store.get()).findByHandle(handle), {
            store,
            logger: deps.logger,
          });
    if (profile === undefined) {
      throw new NotFoundError('profile_not_found', 'No profile has this handle.');
    }
    return toJsonResponse(200, toProfileResponse(profile));
  });
}
