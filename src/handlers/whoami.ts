/**
 * Demo route behind the authorizer: answers with the claims the authorizer passed on.
 */
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyResultV2,
} from 'aws-lambda';
import { toJsonResponse } from '../api/json-response';
import { readCaller } from '../api/read-caller';
import { withHttpErrors } from '../api/with-http-errors';
import type { AuthorizerContext } from '../auth/caller-claims';
import { readLogLevel } from '../config';
import { createLogger } from '../logger';

type Event = APIGatewayProxyEventV2WithLambdaAuthorizer<Partial<AuthorizerContext>>;

const logger = createLogger({ service: 'whoami', level: readLogLevel() });

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function whoami(event: Event): Promise<APIGatewayProxyResultV2> {
  // Only the authorizer writes requestContext.authorizer; clients cannot set it. A missing
  // context is a misconfigured route: readCaller throws, and the client gets a generic 500.
  const caller = readCaller(event);
  const context = event.requestContext.authorizer.lambda;
  return Promise.resolve(
    toJsonResponse(200, {
      sub: caller.sub,
      username: caller.username,
      groups: caller.groups,
      scope: text(context.scope),
      clientId: text(context.clientId),
    }),
  );
}

export const handler = middy<Event, APIGatewayProxyResultV2>()
  .use(withHttpErrors(logger))
  .handler(whoami);
