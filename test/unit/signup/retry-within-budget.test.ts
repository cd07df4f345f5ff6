import { retryWithinBudget } from '../../../src/signup/retry-within-budget';
import { triggerDeadline, attemptBudgetMs } from '../../../src/signup/trigger-budget';
import { isRetryableStoreError } from '../../../src/signup/run-trigger';
import { HandleTakenError } from '../../../src/profile/store/profile-store';
import { ProfileValidationError } from '../../../src/profile/rules/validation-error';
import { readDatabaseConfig } from '../../../src/config';

/** A clock that only moves when the code under test sleeps or an attempt takes time. */
function frozenClock(start = 1_000_000) {
  let time = start;
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
    sleep: (ms: number) => {
      time += ms;
      return Promise.resolve();
    },
  };
}

const tooManyConnections = () =>
  Object.assign(new Error('sorry, too many clients already'), { code: '53300' });

describe('retryWithinBudget', () => {
  it('retries fast failures until the next attempt would not end before the deadline', async () => {
    const clock = frozenClock();
    const deadline = clock.now() + 4500;
    let attempts = 0;
    const attempt = retryWithinBudget(
      () => {
        attempts += 1;
        clock.advance(10);
        return Promise.reject(tooManyConnections());
      },
      { deadline, attemptMs: 2500, isRetryable: () => true, random: () => 1, ...clock },
    );
    await expect(attempt).rejects.toMatchObject({ code: '53300' });
    // Pauses of 25, 50, 100, 200, 400, 400, … ms: the budget is used up to deadline - attemptMs.
    expect(clock.now()).toBeLessThanOrEqual(deadline - 2500);
    expect(clock.now()).toBeGreaterThan(deadline - 2500 - 400 - 10);
    expect(attempts).toBeGreaterThan(5);
  });

  it('retries after an attempt that timed out when another still fits', async () => {
    const clock = frozenClock();
    const deadline = clock.now() + 4500;
    let attempts = 0;
    const result = await retryWithinBudget(
      () => {
        attempts += 1;
        if (attempts === 1) {
          clock.advance(1000);
          return Promise.reject(new Error('timeout exceeded when trying to connect'));
        }
        return Promise.resolve('ok');
      },
      { deadline, attemptMs: 2500, isRetryable: () => true, random: () => 0.5, ...clock },
    );
    expect(result).toBe('ok');
    expect(attempts).toBe(2);
  });

  it('throws a non-retryable error at once', async () => {
    const clock = frozenClock();
    let attempts = 0;
    const error = new ProfileValidationError('name', 'must be at most 100 characters');
    await expect(
      retryWithinBudget(
        () => {
          attempts += 1;
          return Promise.reject(error);
        },
        {
          deadline: clock.now() + 4500,
          attemptMs: 100,
          isRetryable: isRetryableStoreError,
          ...clock,
        },
      ),
    ).rejects.toBe(error);
    expect(attempts).toBe(1);
  });

  it('jitters each pause within its exponential cap', async () => {
    const clock = frozenClock();
    const pauses: number[] = [];
    await expect(
      retryWithinBudget(() => Promise.reject(tooManyConnections()), {
        deadline: clock.now() + 3000,
        attemptMs: 0,
        isRetryable: () => true,
        random: () => 0.5,
        onRetry: (_error, _attempt, delayMs) => pauses.push(delayMs),
        ...clock,
      }),
    ).rejects.toMatchObject({ code: '53300' });
    expect(pauses.slice(0, 6)).toEqual([13, 25, 50, 100, 200, 200]);
  });
});

describe('isRetryableStoreError', () => {
  it.each([
    ['too many connections', tooManyConnections()],
    ['an administrator shutdown', Object.assign(new Error('terminating'), { code: '57P01' })],
    ['a server starting up', Object.assign(new Error('starting up'), { code: '57P03' })],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a read timeout', new Error('Query read timeout')],
    ['a connection that ended', new Error('Connection terminated unexpectedly')],
  ])('retries %s', (_case, error) => {
    expect(isRetryableStoreError(error)).toBe(true);
  });

  it.each([
    ['a CHECK violation', Object.assign(new Error('violates check constraint'), { code: '23514' })],
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a validation error', new ProfileValidationError('email', 'must contain one @')],
    ['a taken handle', new HandleTakenError('ada')],
    ['a syntax error', Object.assign(new Error('syntax error'), { code: '42601' })],
    ['a bug', new TypeError('cannot read properties of undefined')],
  ])('never retries %s', (_case, error) => {
    expect(isRetryableStoreError(error)).toBe(false);
  });
});

describe('triggerDeadline', () => {
  it("ends Cognito's 5 seconds minus the safety margin after the start", () => {
    expect(triggerDeadline(10_000)).toBe(14_500);
    expect(triggerDeadline(10_000, { getRemainingTimeInMillis: () => 60_000 })).toBe(14_500);
  });

  it("uses the Lambda context's remaining time when that is shorter", () => {
    expect(triggerDeadline(10_000, { getRemainingTimeInMillis: () => 3000 })).toBe(12_500);
  });

  it('bounds an attempt by the connect timeout plus the read timeout', () => {
    const config = readDatabaseConfig({ DATABASE_URL: 'postgres://u@db.example/profiles' });
    expect(attemptBudgetMs(config)).toBe(1000 + 1000 + 500);
  });
});

describe('retryWithinBudget with a shortened last attempt', () => {
  it('starts an attempt while minAttemptMs still fits before the deadline', async () => {
    const clock = frozenClock();
    const deadline = clock.now() + 4500;
    const starts: number[] = [];
    await expect(
      retryWithinBudget(
        () => {
          starts.push(clock.now());
          clock.advance(1500);
          return Promise.reject(new Error('Query read timeout'));
        },
        {
          deadline,
          attemptMs: 2500,
          minAttemptMs: 1000,
          isRetryable: () => true,
          random: () => 0,
          ...clock,
        },
      ),
    ).rejects.toThrow('Query read timeout');
    // At 0, 1.5 s and 3.0 s (1.5 s left: at least 1 s); not at 4.5 s.
    expect(starts.map((at) => at - (deadline - 4500))).toEqual([0, 1500, 3000]);
  });
});
