/**
 * `GET /me`: the caller's profile, created on the first call if the user has none yet.
 */
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import type { AuthorizerContext } from '../auth/caller-claims';
import type { Logger } from '../logger';
import type { ProfileStoreHandle } from '../profile/profile-store-handle';
import { ensureProfile } from './ensure-profile';
import { toJsonResponse } from './json-response';
import type { LookUpUser } from './look-up-user';
import { toProfileResponse } from './profile-response';
import { readCaller } from './read-caller';
import { releaseStoreAfterEachInvocation } from './release-store';
import { withHttpErrors } from './with-http-errors';

/** An HTTP API (payload 2.0) request that went through our authorizer. */
export type AuthorizedEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<
  Partial<AuthorizerContext>
>;

export interface MeHandlerDependencies {
  /** The container's profile store. */
  store: Pick<ProfileStoreHandle, 'get' | 'release'>;
  /** Cognito's view of a user, for profiles created on first call; `undefined` skips Cognito. */
  lookUpUser: LookUpUser | undefined;
  logger: Logger;
  /** Close the store after each invocation (`serverless invoke local` on PGlite). */
  releaseStoreAfterEachInvocation?: boolean;
}

/** Builds the `GET /me` handler around its dependencies. */
export function createGetMeHandler(deps: MeHandlerDependencies) {
  const { store, lookUpUser, logger } = deps;
  return middy<AuthorizedEvent, APIGatewayProxyStructuredResultV2>()
    .use(withHttpErrors(logger))
    .use(
      deps.releaseStoreAfterEachInvocation === true
        ? [releaseStoreAfterEachInvocation(store, logger)]
        : [],
    )
    .handler(async (event) => {
      const caller = readCaller(event);
      const profile = await ensureProfile(caller, { store: await store.get(), lookUpUser, logger });
      return toJsonResponse(200, toProfileResponse(profile));
    });
}
