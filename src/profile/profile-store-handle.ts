import type { ProfileStore } from './profile-store';

export interface ProfileStoreHandle {
  /** The container's store, opened on first need (and already at cold start). */
  get(): Promise<ProfileStore>;
  /** Closes the store; the next `get` opens it again. */
  release(): Promise<void>;
}

/**
 * Opens the store once per container, starting at cold start, and hands the same instance to every
 * invocation. A failed open (database down while the container started) is not remembered: the
 * next call tries again instead of failing forever.
 */
export function createProfileStoreHandle(open: () => Promise<ProfileStore>): ProfileStoreHandle {
  let opening: Promise<ProfileStore> | undefined;
  const get = () => {
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
  // Start now, during the cold start; a failure here is reported by the first invocation's call.
  get().catch(() => undefined);
  return {
    get,
    async release() {
      const current = opening;
      opening = undefined;
      const store = await current?.catch(() => undefined);
      await store?.close();
    },
  };
}
