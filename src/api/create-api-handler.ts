import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from '../logger';
import type { ProfileStoreHandle } from '../profile/store/container-store';
import { releaseStoreAfterEachInvocation } from './release-store';
import { withHttpErrors } from './with-http-errors';

export interface ApiHandlerDependencies {
  /** The container's profile store. */
  store: Pick<ProfileStoreHandle, 'get' | 'release'>;
  logger: Logger;
  /** Close the store after each invocation (`serverless invoke local` on PGlite). */
  releaseStoreAfterEachInvocation?: boolean;
}

/** Wraps a route's function in what every API handler shares: the error mapping and store release. */
export function createApiHandler<TEvent>(
  {
    store,
    logger,
    releaseStoreAfterEachInvocation: release,
  }: Partial<ApiHandlerDependencies> & Pick<ApiHandlerDependencies, 'logger'>,
  handle: (event: TEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>,
) {
  return middy<TEvent, APIGatewayProxyStructuredResultV2>()
    .use(withHttpErrors(logger))
    .use(
      release === true && store !== undefined
        ? [releaseStoreAfterEachInvocation(store, logger)]
        : [],
    )
    .handler(handle);
}
