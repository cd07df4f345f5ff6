import { checkHealth, HealthCheckTimeoutError } from '../../../src/api/create-health-handler';

describe('checkHealth', () => {
  it('is healthy when the store answers', async () => {
    await expect(
      checkHealth(() => Promise.resolve({ ping: () => Promise.resolve() }), 100),
    ).resolves.toEqual({
      healthy: true,
    });
  });

  it('reports the cause when the ping rejects', async () => {
    const cause = new Error('connection refused');
    await expect(
      checkHealth(() => Promise.resolve({ ping: () => Promise.reject(cause) }), 100),
    ).resolves.toEqual({ healthy: false, cause });
  });

  it('reports the cause when the store cannot be opened', async () => {
    const cause = new Error('no database');
    await expect(checkHealth(() => Promise.reject(cause), 100)).resolves.toEqual({
      healthy: false,
      cause,
    });
  });

  it('gives up on a store that never answers', async () => {
    jest.useFakeTimers();
    try {
      const result = checkHealth(
        () => Promise.resolve({ ping: () => new Promise<void>(() => undefined) }),
        250,
      );
      await jest.advanceTimersByTimeAsync(250);
      const settled = await result;
      expect(settled.healthy).toBe(false);
      expect(settled).toMatchObject({ cause: expect.any(HealthCheckTimeoutError) as unknown });
      expect(settled.healthy ? '' : (settled.cause as Error).message).toBe(
        'the profile store did not answer within 250 ms',
      );
    } finally {
      jest.useRealTimers();
    }
  });
});
