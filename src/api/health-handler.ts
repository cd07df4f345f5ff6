/**
 * `GET /health` (no authorizer): 200 `{"status":"ok"}` when the profile store answers in time,
 * 503 `{"status":"unavailable"}` otherwise. The body never says why; the log does.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describeError } from '../logger';
import { checkHealth } from './check-health';
import { createApiHandler, type ApiHandlerDependencies } from './create-api-handler';
import { toJsonResponse } from './json-response';

export interface HealthHandlerDependencies extends ApiHandlerDependencies {
  /** How long the database may take to answer. */
  timeoutMs: number;
}

/** Builds the `GET /health` handler around its dependencies. */
export function createHealthHandler(deps: HealthHandlerDependencies) {
  const { store, logger, timeoutMs } = deps;
  return createApiHandler<APIGatewayProxyEventV2>(deps, async (_event, context) => {
    const result = await checkHealth(() => store.get(), timeoutMs);
    if (result.healthy) return toJsonResponse(200, { status: 'ok' });
    logger.error('health check failed', {
      requestId: context.awsRequestId,
      error: describeError(result.cause),
    });
    return toJsonResponse(503, { status: 'unavailable' });
  });
}
