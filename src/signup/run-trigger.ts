/**
 * What both Cognito sign-up triggers share: reading the untrusted event, the trigger-source filter,
 * database work retried inside Cognito's budget (with its log line), the store release after each
 * invocation, and turning an unexpected failure into the message a person may see.
 */
import { describeError, type Logger } from '../logger';
import type { ProfileStoreHandle } from '../profile/store/container-store';
import { HandleTakenError, type ProfileStore } from '../profile/store/profile-store';
import { isTransientDatabaseError } from '../profile/store/transient-error';
import { ProfileValidationError } from '../profile/rules/validation-error';
import { readTriggerEvent, type TriggerEvent } from './read-trigger-event';
import { retryWithinBudget } from './retry-within-budget';
import { MIN_ATTEMPT_MS, triggerDeadline, type InvocationClock } from './trigger-budget';

export interface TriggerDependencies {
  /** The container's profile store. */
  store: Pick<ProfileStoreHandle, 'get' | 'release' | 'releaseConnections'>;
  logger: Logger;
  /** The longest one database attempt can take (see attemptBudgetMs). */
  attemptMs: number;
  /** Close the store after each invocation (`serverless invoke local` on PGlite). */
  releaseStoreAfterEachInvocation?: boolean;
  /** Milliseconds since the epoch; tests freeze it. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The backoff's jitter, a number in [0, 1); tests fix it. */
  random?: () => number;
}

/** What one trigger adds to the shared run: the sources it handles and its work. */
export interface TriggerSpec<TEvent> {
  /** Trigger sources this function handles; any other is logged and returned unchanged. */
  sources: ReadonlySet<string>;
  /** Sources that need no work, with the line logged for them. */
  passThrough?: Readonly<Record<string, string>>;
  handle: (trigger: TriggerEvent, event: TEvent, run: TriggerTools) => Promise<TEvent>;
  /**
   * The error Cognito shows the person for a failure `handle` threw. Logging is done here already;
   * return the error to throw.
   */
  toPersonError: (error: unknown, trigger: TriggerEvent) => Error;
}

export interface TriggerTools {
  /** Runs database work, retrying failures a new attempt may fix, inside Cognito's budget. */
  withStore: <T>(
    work: (store: ProfileStore) => Promise<T>,
    logFields?: Record<string, string>,
  ) => Promise<T>;
  /** Milliseconds since the invocation started, for the log. */
  elapsedMs: () => number;
}

/** The trigger's work did not end before Cognito's budget (minus the margin) was spent. */
export class TriggerDeadlineError extends Error {
  constructor(readonly elapsedMs: number) {
    super(`the sign-up work did not finish within Cognito's budget (${elapsedMs} ms)`);
    this.name = 'TriggerDeadlineError';
  }
}

/**
 * Errors another attempt may fix: the database failing transiently (too many connections, a
 * restart, a refused, reset or timed-out connection, a stale one). Never bad input, a handle
 * someone else holds, or a constraint violation: those fail the same way every time.
 */
export function isRetryableStoreError(error: unknown): boolean {
  if (error instanceof ProfileValidationError || error instanceof HandleTakenError) return false;
  return isTransientDatabaseError(error);
}

/** Builds a trigger's Lambda handler from its spec and the container's dependencies. */
export function createTriggerHandler<TEvent>(deps: TriggerDependencies, spec: TriggerSpec<TEvent>) {
  const { store, logger, attemptMs, now = () => Date.now(), sleep, random } = deps;

  let overran = false;
  const handleEvent = async (event: TEvent, context?: InvocationClock): Promise<TEvent> => {
    const started = now();
    const deadline = triggerDeadline(started, context);
    const trigger = readTriggerEvent(event);
    const passThrough = spec.passThrough?.[trigger.triggerSource];
    if (passThrough !== undefined) {
      logger.info(passThrough, { userName: trigger.userName });
      return event;
    }
    if (!spec.sources.has(trigger.triggerSource)) {
      logger.warn('ignored an unexpected trigger source', {
        triggerSource: trigger.triggerSource.slice(0, 64),
      });
      return event;
    }
    const tools: TriggerTools = {
      withStore: (work, logFields = {}) =>
        retryWithinBudget(
          async (attempt) => {
            // After a failure, start from a new connection: the old one may be what failed.
            if (attempt > 1) await store.releaseConnections();
            return work(await store.get());
          },
          {
            deadline,
            attemptMs,
            // The race below cuts the work off at the deadline, so the last attempt may have
            // less than a full attempt's bound, but not less than this.
            minAttemptMs: Math.min(attemptMs, MIN_ATTEMPT_MS),
            isRetryable: isRetryableStoreError,
            onRetry: (error, attempt, delayMs) => {
              logger.warn('profile store unavailable; retrying', {
                ...logFields,
                attempt,
                delayMs,
                elapsedMs: Math.round(now() - started),
                error: describeError(error),
              });
            },
            now,
            ...(sleep !== undefined && { sleep }),
            ...(random !== undefined && { random }),
          },
        ),
      elapsedMs: () => Math.round(now() - started),
    };
    let timer: NodeJS.Timeout | undefined;
    // However the work goes (several statements, each bounded, on a machine that is short of
    // CPU), Cognito gets an answer before its 5 seconds are up: the person's message, not a
    // timeout. Work still running then is abandoned; what it commits is found again (seeding is
    // idempotent per sub, and GET /me creates a profile that is missing).
    const overtime = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          overran = true;
          reject(new TriggerDeadlineError(Math.round(now() - started)));
        },
        Math.max(0, deadline - now()),
      );
    });
    const work = spec.handle(trigger, event, tools);
    work.catch(() => undefined);
    try {
      return await Promise.race([work, overtime]);
    } catch (error) {
      throw spec.toPersonError(error, trigger);
    } finally {
      clearTimeout(timer);
    }
  };

  // Lambda passes the context second; Cognito's budget is read from it.
  return async (event: TEvent, context?: InvocationClock): Promise<TEvent> => {
    try {
      return await handleEvent(event, context);
    } finally {
      // A frozen container must not hold a connection another container's burst needs.
      if (deps.releaseStoreAfterEachInvocation === true) await store.release();
      else if (overran) {
        // Abandoned work still holds the connection; it is let go of when that work ends
        // (the pool closes it then), without keeping Cognito waiting.
        overran = false;
        void store.releaseConnections();
      } else await store.releaseConnections();
    }
  };
}
