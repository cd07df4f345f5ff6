/**
 * Retries with capped exponential backoff and full jitter ("sleep = random(0, min(cap, base·2ⁿ))",
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/): under a burst,
 * hundreds of containers fail at the same moment, and un-jittered retries would all come back at
 * the same moment too.
 */
export interface RetryOptions {
  /** Milliseconds since the epoch by which the work must have ended, the last attempt included. */
  deadline: number;
  /** The longest one attempt can take (connect plus statement timeouts): none starts unless it can finish before the deadline. */
  attemptMs: number;
  /**
   * For a caller that cuts the work off at the deadline itself: an attempt still starts when at
   * least this much is left, its bound shortened to what is left. Defaults to `attemptMs`.
   */
  minAttemptMs?: number;
  /** The backoff's base: the first pause is at most this; the cap doubles after each failure. */
  initialDelayMs?: number;
  /** The longest pause between two attempts. */
  maxDelayMs?: number;
  /** Errors another attempt cannot fix (bad input, a constraint violation) are thrown at once. */
  isRetryable: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1); tests fix it. */
  random?: () => number;
}

const defaultSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Runs `operation` until it succeeds, throws a non-retryable error, or no further attempt (its
 * pause plus its bound: `attemptMs`, or down to `minAttemptMs` when less is left) would end before
 * `deadline`; then the last error is thrown.
 */
export async function retryWithinBudget<T>(
  operation: (attempt: number) => Promise<T>,
  {
    deadline,
    attemptMs,
    minAttemptMs = attemptMs,
    initialDelayMs = 25,
    maxDelayMs = 400,
    isRetryable,
    onRetry,
    now = () => Date.now(),
    sleep = defaultSleep,
    random = Math.random,
  }: RetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const cap = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
      const delay = Math.round(random() * cap);
      const bound = Math.min(attemptMs, Math.max(minAttemptMs, deadline - now() - delay));
      if (now() + delay + bound > deadline) throw error;
      onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
