/**
 * Demo route behind the authorizer: answers with the claims the authorizer passed on.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyResultV2,
} from 'aws-lambda';
import type { AuthorizerContext } from '../auth/caller-claims';

type Event = APIGatewayProxyEventV2WithLambdaAuthorizer<Partial<AuthorizerContext>>;

async function whoami(event: Event): Promise<APIGatewayProxyResultV2> {
  // Only the authorizer writes requestContext.authorizer; clients cannot set it.
  const claims = event.requestContext.authorizer.lambda;
  return Promise.resolve({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      sub: claims.sub,
      username: claims.username,
      groups: claims.groups ? claims.groups.split(',') : [],
      scope: claims.scope,
      clientId: claims.clientId,
    }),
  });
}

export const handler = middy<Event, APIGatewayProxyResultV2>()
  .use(httpErrorHandler())
  .handler(whoami);
