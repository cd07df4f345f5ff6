/**
 * Cognito waits 5 seconds for a trigger, and retries a failed or timed-out trigger a few times on
 * its own. Our retries must therefore stay well inside that budget, then give up loudly.
 */
export interface RetryOptions {
  /** Milliseconds this work may take in all. */
  budgetMs: number;
  /** The longest one attempt can take (connect plus statement timeouts): none starts unless it can finish in time. */
  attemptMs: number;
  /** First pause between attempts; doubles after each failure. */
  initialDelayMs?: number;
  /** Errors that another attempt cannot fix (bad input) are thrown at once. */
  isRetryable: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** Runs `operation` until it succeeds, a non-retryable error occurs, or the budget is spent. */
export async function retryWithinBudget<T>(
  operation: () => Promise<T>,
  {
    budgetMs,
    attemptMs,
    initialDelayMs = 100,
    isRetryable,
    onRetry,
    now = () => Date.now(),
    sleep = defaultSleep,
  }: RetryOptions,
): Promise<T> {
  const deadline = now() + budgetMs;
  let delay = initialDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isRetryable(error) || now() + delay + attemptMs > deadline) throw error;
      onRetry?.(error, attempt);
      await sleep(delay);
      delay *= 2;
    }
  }
}
