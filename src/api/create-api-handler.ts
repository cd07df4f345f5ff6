import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from '../logger';
import type { ProfileStoreHandle } from '../profile/store/container-store';
import {
  releaseConnectionAfterEachInvocation,
  releaseStoreAfterEachInvocation,
} from './release-store';
import { withHttpErrors } from './with-http-errors';

export interface ApiHandlerDependencies {
  /** The container's profile store. */
  store: Pick<ProfileStoreHandle, 'get' | 'release' | 'releaseConnections'>;
  logger: Logger;
  /** Close the store after each invocation (`serverless invoke local` on PGlite). */
  releaseStoreAfterEachInvocation?: boolean;
}

export interface ApiHandlerOptions {
  /**
   * Keep the database connection between invocations (GET /health: a probe should not cost a
   * new connection); the pool's idle timeout still closes it while the container runs. Every
   * other route lets go of it when the invocation ends, so a frozen container holds none.
   */
  keepConnection?: boolean;
}

/** Wraps a route's function in what every API handler shares: the error mapping and store release. */
export function createApiHandler<TEvent>(
  {
    store,
    logger,
    releaseStoreAfterEachInvocation: release,
  }: Partial<ApiHandlerDependencies> & Pick<ApiHandlerDependencies, 'logger'>,
  handle: (event: TEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>,
  { keepConnection = false }: ApiHandlerOptions = {},
) {
  const middlewares =
    store === undefined
      ? []
      : release === true
        ? [releaseStoreAfterEachInvocation(store, logger)]
        : keepConnection
          ? []
          : [releaseConnectionAfterEachInvocation(store)];
  return middy<TEvent, APIGatewayProxyStructuredResultV2>()
    .use(withHttpErrors(logger))
    .use(middlewares)
    .handler(handle);
}
