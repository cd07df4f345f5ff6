/**
 * `GET /health` (no authorizer): 200 `{"status":"ok"}` when the profile store answers in time,
 * 503 `{"status":"unavailable"}` otherwise. The body never says why; the log does.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describeError, type Logger } from '../logger';
import type { ProfileStoreHandle } from '../profile/profile-store-handle';
import { checkHealth } from './check-health';
import { toJsonResponse } from './json-response';
import { releaseStoreAfterEachInvocation } from './release-store';
import { withHttpErrors } from './with-http-errors';

export interface HealthHandlerDependencies {
  store: Pick<ProfileStoreHandle, 'get' | 'release'>;
  logger: Logger;
  /** How long the database may take to answer. */
  timeoutMs: number;
  /** Close the store after each invocation (`serverless invoke local` on PGlite). */
  releaseStoreAfterEachInvocation?: boolean;
}

/** Builds the `GET /health` handler around its dependencies. */
export function createHealthHandler(deps: HealthHandlerDependencies) {
  const { store, logger, timeoutMs } = deps;
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(withHttpErrors(logger))
    .use(
      deps.releaseStoreAfterEachInvocation === true
        ? [releaseStoreAfterEachInvocation(store, logger)]
        : [],
    )
    .handler(async (_event, context) => {
      const result = await checkHealth(() => store.get(), timeoutMs);
      if (result.healthy) return toJsonResponse(200, { status: 'ok' });
      logger.error('health check failed', {
        requestId: context.awsRequestId,
        error: describeError(result.cause),
      });
      return toJsonResponse(503, { status: 'unavailable' });
    });
}
