/**
 * Demo route behind the authorizer (until the profile API arrives): answers with the claims the
 * authorizer passed on.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyResultV2,
} from 'aws-lambda';
import type { AuthorizerContext } from '../auth/caller-claims';
import { readLogLevel } from '../config';
import { createLogger, describeError } from '../logger';

type Event = APIGatewayProxyEventV2WithLambdaAuthorizer<Partial<AuthorizerContext>>;

const logger = createLogger({ service: 'whoami', level: readLogLevel() });

/** The route is configured behind the authorizer; a request without its context is our fault. */
class MissingAuthorizerContextError extends Error {
  constructor() {
    super('request reached a protected route without authorizer context');
    this.name = 'MissingAuthorizerContextError';
  }
}

function readClaims(event: unknown): Partial<AuthorizerContext> | undefined {
  const lambda = (event as { requestContext?: { authorizer?: { lambda?: unknown } } } | null)
    ?.requestContext?.authorizer?.lambda;
  return typeof lambda === 'object' && lambda !== null ? lambda : undefined;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function whoami(event: Event): Promise<APIGatewayProxyResultV2> {
  // Only the authorizer writes requestContext.authorizer; clients cannot set it.
  const claims = readClaims(event);
  if (typeof claims?.sub !== 'string' || claims.sub === '') {
    throw new MissingAuthorizerContextError();
  }
  return Promise.resolve({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      sub: claims.sub,
      username: text(claims.username),
      groups: text(claims.groups) === '' ? [] : text(claims.groups).split(','),
      scope: text(claims.scope),
      clientId: text(claims.clientId),
    }),
  });
}

export const handler = middy<Event, APIGatewayProxyResultV2>()
  .use(
    httpErrorHandler({
      // Unexposed (5xx) errors answer with this body; the cause goes to our log, not the client.
      fallbackMessage: JSON.stringify({
        error: { code: 'internal_error', message: 'Something went wrong on our side.' },
      }),
      logger: (error: unknown) => {
        logger.error('request failed', { error: describeError(error) });
      },
    }),
  )
  .handler(whoami);
