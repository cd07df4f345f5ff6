import type { DatabaseConfig } from '../config';

/**
 * Cognito gives a trigger 5 seconds, then fails the request (and retries a few times on its own).
 * Our retries stop well before that.
 */
export const TRIGGER_BUDGET_MS = 4000;

/** The longest one database attempt can take: connect plus statement timeouts. */
export function attemptBudgetMs(config: DatabaseConfig): number {
  return config.kind === 'postgres' ? config.connectTimeoutMs + config.statementTimeoutMs : 1000;
}
