/**
 * The health check behind `GET /health`: the profile store answers a trivial query in time.
 */
import type { ProfileStore } from '../profile/profile-store';

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
