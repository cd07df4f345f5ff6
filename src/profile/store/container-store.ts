/**
 * The profile store's lifecycle in a Lambda container: which implementation DATABASE_URL names,
 * opened once at cold start, shared by every invocation, released when the handler asks.
 */
import type { DatabaseConfig } from '../../config';
import type { Logger } from '../../logger';
import type { ProfileStore } from './profile-store';

/**
 * Opens the profile store DATABASE_URL names. Each implementation is loaded only when chosen, so
 * a PostgreSQL function does not evaluate PGlite (megabytes of WebAssembly glue) at cold start.
 */
export async function openProfileStore(
  config: DatabaseConfig,
  logger: Logger,
): Promise<ProfileStore> {
  if (config.kind === 'postgres') {
    const { createPostgresProfileStore } = await import('./postgres-profile-store');
    logger.info('profile store: PostgreSQL', { database: config.displayUrl, ssl: config.ssl });
    return createPostgresProfileStore(config, logger);
  }
  const { openPgliteProfileStore } = await import('./pglite-profile-store');
  logger.info('profile store: PGlite', { dataDir: config.dataDir ?? 'memory' });
  return openPgliteProfileStore({ dataDir: config.dataDir });
}

export interface ProfileStoreHandle {
  /** The container's store, opened on first need (and already at cold start). */
  get(): Promise<ProfileStore>;
  /** Closes the store; the next `get` opens it again. */
  release(): Promise<void>;
  /**
   * Lets go of the store's database connection, if it has one open, keeping the store: called
   * when an invocation ends, so that a frozen container holds no connection. Never throws (a
   * connection that fails to close is gone anyway).
   */
  releaseConnections(): Promise<void>;
}

/**
 * Opens the store once per container, starting at cold start, and hands the same instance to every
 * invocation. A failed open (database down while the container started) is not remembered: the
 * next call tries again instead of failing forever.
 */
export function createProfileStoreHandle(open: () => Promise<ProfileStore>): ProfileStoreHandle {
  let opening: Promise<ProfileStore> | undefined;
  const get = () => {
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
  // Start now, during the cold start; a failure here is reported by the first invocation's call.
  get().catch(() => undefined);
  return {
    get,
    async release() {
      const current = opening;
      opening = undefined;
      const store = await current?.catch(() => undefined);
      await store?.close();
    },
    async releaseConnections() {
      const store = await opening?.catch(() => undefined);
      await store?.releaseConnections().catch(() => undefined);
    },
  };
}

export interface ContainerStore {
  store: ProfileStoreHandle;
  /**
   * `serverless invoke local` on PGlite: close the store when each invocation ends. (Every
   * invocation releases its database connection either way; see `releaseConnections`.)
   */
  releaseAfterEachInvocation: boolean;
}

/** The profile store of a Lambda container, opened at cold start: what every handler module needs. */
export function openContainerStore(config: DatabaseConfig, logger: Logger): ContainerStore {
  return {
    store: createProfileStoreHandle(() => openProfileStore(config, logger)),
    releaseAfterEachInvocation: config.kind === 'pglite' && config.closeAfterEachInvocation,
  };
}
