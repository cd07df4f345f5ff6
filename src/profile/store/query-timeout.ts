import type { PostgresDatabaseConfig } from '../../config';

/**
 * The client-side bound on a query (`pg`'s query_timeout), a little above statement_timeout so
 * that the server's cancellation (a clear SQLSTATE 57014) normally comes first. It still fires
 * when the server or the network went silent: a connection dropped without a reset would
 * otherwise wait for TCP to give up, long after Cognito's 5-second trigger limit.
 */
export const QUERY_TIMEOUT_MARGIN_MS = 500;

/** How long the client waits for a statement's answer. */
export function queryTimeoutMs(config: Pick<PostgresDatabaseConfig, 'statementTimeoutMs'>): number {
  return config.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS;
}
