import type { DatabaseConfig } from '../config';
import type { Logger } from '../logger';
import { openProfileStore } from './open-profile-store';
import { createProfileStoreHandle, type ProfileStoreHandle } from './profile-store-handle';

export interface ContainerStore {
  store: ProfileStoreHandle;
  /** `serverless invoke local` on PGlite: close the store when each invocation ends. */
  releaseAfterEachInvocation: boolean;
}

/** The profile store of a Lambda container, opened at cold start: what every handler module needs. */
export function openContainerStore(config: DatabaseConfig, logger: Logger): ContainerStore {
  return {
    store: createProfileStoreHandle(() => openProfileStore(config, logger)),
    releaseAfterEachInvocation: config.kind === 'pglite' && config.closeAfterEachInvocation,
  };
}
