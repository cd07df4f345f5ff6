/**
 * GET /whoami and GET /admin/whoami (see src/api/create-whoami-handler.ts).
 */
import { createWhoamiHandler } from '../api/create-whoami-handler';
import { readLogLevel } from '../config';
import { createLogger } from '../logger';

const logger = createLogger({ service: 'whoami', level: readLogLevel() });

export const handler = createWhoamiHandler({ logger });
