/**
 * `GET /me`: the caller's profile, created on the first call if the user has none yet.
 */
import type { APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';
import type { AuthorizerContext } from '../auth/authorizer-context';
import { createApiHandler, type ApiHandlerDependencies } from './create-api-handler';
import { ensureProfile } from './ensure-profile';
import { toJsonResponse } from './json-response';
import type { LookUpUser } from './look-up-user';
import { toProfileResponse } from './profile-response';
import { retryTransientOnce } from './retry-once';
import { readCaller } from '../auth/authorizer-context';

/** An HTTP API (payload 2.0) request that went through our authorizer. */
export type AuthorizedEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<
  Partial<AuthorizerContext>
>;

export interface MeHandlerDependencies extends ApiHandlerDependencies {
  /** Cognito's view of a user, for profiles created on first call; `undefined` skips Cognito. */
  lookUpUser: LookUpUser | undefined;
}

/** Builds the `GET /me` handler around its dependencies. */
export function createGetMeHandler(deps: MeHandlerDependencies) {
  const { store, lookUpUser, logger } = deps;
  return createApiHandler<AuthorizedEvent>(deps, async (event) => {
    const caller = readCaller(event);
    // ensureProfile is idempotent per sub: a retry never creates a second profile.
    const profile = await retryTransientOnce(
      async () => ensureProfile(caller, { store: await store.get(), lookUpUser, logger }),
      { store, logger },
    );
    return toJsonResponse(200, toProfileResponse(profile));
  });
}
