/**
 * `GET /health` (no authorizer): 200 `{"status":"ok"}` when the profile store answers in time,
 * 503 `{"status":"unavailable"}` otherwise. The body never says why; the log does.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describeError } from '../logger';
import type { ProfileStore } from '../profile/store/profile-store';
import { createApiHandler, type ApiHandlerDependencies } from './create-api-handler';
import { toJsonResponse } from './json-response';

export type HealthResult = { healthy: true } | { healthy: false; cause: unknown };

/** The check ran out of time (a hung connection, a database that accepts but never answers). */
export class HealthCheckTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the profile store did not answer within ${timeoutMs} ms`);
    this.name = 'HealthCheckTimeoutError';
  }
}

/**
 * Opens (if needed) and pings the store, giving up after `timeoutMs`. Never throws: a failure is
 * reported with its cause, for the log.
 */
export async function checkHealth(
  getStore: () => Promise<Pick<ProfileStore, 'ping'>>,
  timeoutMs: number,
): Promise<HealthResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new HealthCheckTimeoutError(timeoutMs));
    }, timeoutMs);
  });
  const ping = (async () => {
    const store = await getStore();
    await store.ping();
  })();
  // The ping may settle after the timeout has answered; its failure then has nobody to report to.
  ping.catch(() => undefined);
  try {
    await Promise.race([ping, timeout]);
    return { healthy: true };
  } catch (cause) {
    return { healthy: false, cause };
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthHandlerDependencies extends ApiHandlerDependencies {
  /** How long the database may take to answer. */
  timeoutMs: number;
}

/** Builds the `GET /health` handler around its dependencies. */
export function createHealthHandler(deps: HealthHandlerDependencies) {
  const { store, logger, timeoutMs } = deps;
  return createApiHandler<APIGatewayProxyEventV2>(
    deps,
    async (_event, context) => {
      const result = await checkHealth(() => store.get(), timeoutMs);
      if (result.healthy) return toJsonResponse(200, { status: 'ok' });
      logger.error('health check failed', {
        requestId: context.awsRequestId,
        error: describeError(result.cause),
      });
      return toJsonResponse(503, { status: 'unavailable' });
    },
    { keepConnection: true },
  );
}
