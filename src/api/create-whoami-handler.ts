/**
 * Demo route behind the authorizer: answers with the claims the authorizer passed on.
 */
import type { APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';
import { readCaller, type AuthorizerContext } from '../auth/authorizer-context';
import type { Logger } from '../logger';
import { createApiHandler } from './create-api-handler';
import { toJsonResponse } from './json-response';

export type WhoamiEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<Partial<AuthorizerContext>>;

/** Builds the `GET /whoami` handler; it needs no database. */
export function createWhoamiHandler(deps: { logger: Logger }) {
  return createApiHandler<WhoamiEvent>(deps, (event) => {
    // Only the authorizer writes requestContext.authorizer; clients cannot set it. A missing
    // context is a misconfigured route: readCaller throws, and the client gets a generic 500.
    const caller = readCaller(event);
    return Promise.resolve(
      toJsonResponse(200, {
        sub: caller.sub,
        username: caller.username,
        groups: caller.groups,
        scope: caller.scope,
        clientId: caller.clientId,
        principalKind: caller.principalKind,
      }),
    );
  });
}
