import type { DatabaseConfig } from '../config';
import { queryTimeoutMs } from '../profile/store/query-timeout';

/**
 * Cognito waits 5 seconds for a trigger's answer, then fails the request
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools-working-with-aws-lambda-triggers.html:
 * "Amazon Cognito invokes Lambda functions synchronously … the function must respond within 5
 * seconds"). The functions' Lambda timeout is 5 s too (serverless.yml).
 */
export const COGNITO_TRIGGER_TIMEOUT_MS = 5000;

/**
 * Kept free at the end of the 5 seconds: the answer's way back to Cognito, Lambda's own overhead,
 * the log line, and clock differences between Cognito and the function.
 */
export const TRIGGER_SAFETY_MARGIN_MS = 500;

/** What the Lambda runtime passes; only the remaining time is read. */
export interface InvocationClock {
  getRemainingTimeInMillis?: () => number;
}

/**
 * When the trigger's database work must be done: Cognito's 5 s from `startedAt`, or the Lambda's
 * remaining time if that is shorter (a lower function timeout, time spent before the handler ran),
 * minus the safety margin.
 */
export function triggerDeadline(startedAt: number, context?: InvocationClock): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  const available =
    typeof remaining === 'number' && Number.isFinite(remaining)
      ? Math.min(COGNITO_TRIGGER_TIMEOUT_MS, remaining)
      : COGNITO_TRIGGER_TIMEOUT_MS;
  return startedAt + available - TRIGGER_SAFETY_MARGIN_MS;
}

/**
 * The longest one database attempt can take: opening the connection plus the first statement's
 * client-side read timeout (statement_timeout plus its margin).
 */
export function attemptBudgetMs(config: DatabaseConfig): number {
  return config.kind === 'postgres' ? config.connectTimeoutMs + queryTimeoutMs(config) : 1000;
}

/**
 * The least time worth giving an attempt: one connection and a few indexed statements take well
 * under this even on a loaded database; less would mostly end in the deadline's cut.
 */
export const MIN_ATTEMPT_MS = 1000;
