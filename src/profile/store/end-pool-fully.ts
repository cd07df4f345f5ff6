import type { Pool } from 'pg';

/**
 * Ends a pool and waits until each of its connections has really closed. `pool.end()` resolves as
 * soon as no client is checked out, while the sockets are still closing; dropping or restarting the
 * database right then terminates those sessions, and the errors arrive at clients that the pool
 * has already let go of.
 */
export async function endPoolFully(pool: Pool): Promise<void> {
  const open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    let removed = 0;
    if (open === 0) resolve();
    pool.on('remove', () => {
      removed += 1;
      if (removed >= open) resolve();
    });
  });
  await pool.end();
  await closed;
}
