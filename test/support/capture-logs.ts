import { createLogger, type Logger, type LogLevel } from '../../src/logger';

export interface LogCapture {
  logger: Logger;
  /** Each line parsed. */
  lines: Record<string, unknown>[];
  /** Each line as the logger wrote it, for checks on the text itself. */
  rawLines: string[];
}

export interface CaptureLogsOptions {
  service?: string;
  level?: LogLevel;
}

/** A logger that keeps its lines for assertions instead of printing them. */
export function captureLogs({
  service = 'test',
  level = 'DEBUG',
}: CaptureLogsOptions = {}): LogCapture {
  const lines: Record<string, unknown>[] = [];
  const rawLines: string[] = [];
  const logger = createLogger({
    service,
    level,
    sink: (line) => {
      rawLines.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return { logger, lines, rawLines };
}
