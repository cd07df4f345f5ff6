/**
 * The profile API's answer to a transient database failure: one more try on a new connection
 * (the old one may be what failed, as after a freeze or a failover), then 503 from
 * with-http-errors. People are waiting on the API, so it does not retry for long; the client
 * may try again after `Retry-After`.
 */
import { describeError, type Logger } from '../logger';
import type { ProfileStoreHandle } from '../profile/store/container-store';
import { isTransientDatabaseError } from '../profile/store/transient-error';

/** The pause before the second try, with jitter: up to this many milliseconds. */
const RETRY_DELAY_MS = 100;

export interface RetryOnceDependencies {
  store: Pick<ProfileStoreHandle, 'releaseConnections'>;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** Runs `work`, and once more after a transient database failure. `work` must be safe to repeat. */
export async function retryTransientOnce<T>(
  work: () => Promise<T>,
  { store, logger, sleep = defaultSleep }: RetryOnceDependencies,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isTransientDatabaseError(error)) throw error;
    logger.warn('database unavailable; retrying once on a new connection', {
      error: describeError(error),
    });
    await store.releaseConnections();
    await sleep(Math.round(Math.random() * RETRY_DELAY_MS));
    return work();
  }
}
