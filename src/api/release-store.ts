import type { MiddlewareObj } from '@middy/core';
import { describeError, type Logger } from '../logger';
import type { ProfileStoreHandle } from '../profile/store/container-store';

/**
 * Closes the store when each invocation ends, for `serverless invoke local` on an on-disk PGlite,
 * which otherwise keeps Node's event loop (and the command) alive. A failure to close is logged:
 * the response is already decided.
 */
export function releaseStoreAfterEachInvocation(
  store: Pick<ProfileStoreHandle, 'release'>,
  logger: Logger,
): MiddlewareObj {
  const release = async (): Promise<void> => {
    try {
      await store.release();
    } catch (error) {
      logger.warn('could not close the profile store', { error: describeError(error) });
    }
  };
  return { after: release, onError: release };
}

/**
 * Lets go of the store's database connection when each invocation ends, so that a frozen
 * container holds none and connections grow with concurrent requests, not with warm containers.
 */
export function releaseConnectionAfterEachInvocation(
  store: Pick<ProfileStoreHandle, 'releaseConnections'>,
): MiddlewareObj {
  const release = () => store.releaseConnections();
  return { after: release, onError: release };
}
