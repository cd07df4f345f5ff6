import { createLogger, type Logger } from '../../src/logger';

export interface LogCapture {
  logger: Logger;
  lines: Record<string, unknown>[];
}

/** A logger that keeps its lines for assertions instead of printing them. */
export function captureLogs(): LogCapture {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'test',
    level: 'DEBUG',
    sink: (line) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return { logger, lines };
}
