import type { DatabaseConfig } from '../config';
import type { Logger } from '../logger';
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
