/**
 * Structured JSON logs, one object a line, as CloudWatch Logs Insights reads them.
 *
 * One small module with no dependencies instead of Powertools Logger: the authorizer's bundle and cold start are
 * budgeted (see the README's benchmark), and nothing here ever receives a token, so no
 * redaction layer is needed. Callers pass explicit fields; events and headers are never logged.
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export type LogSink = (line: string) => void;

const LEVEL_RANK: Record<LogLevel, number> = {
  DEBUG: 10,
  INFO: 20,
  WARN: 30,
  ERROR: 40,
  SILENT: 99,
};

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  service: string;
  level: LogLevel;
  /** Where lines go; stdout (what Lambda ships to CloudWatch) unless a test or benchmark says otherwise. */
  sink?: LogSink;
}

const writeToStdout: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

const PLAIN_TEXT = /^[\w .:@/+-]*$/;

/**
 * Field names and messages are a small fixed set of literals in this code base, so their JSON
 * form is computed once and remembered (bounded, so a caller passing varied names cannot grow it).
 */
const MAX_REMEMBERED = 512;
const MAX_REMEMBERED_LENGTH = 80;
const quoted = new Map<string, string>();

function quote(text: string): string {
  let json = quoted.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (quoted.size < MAX_REMEMBERED && text.length <= MAX_REMEMBERED_LENGTH)
      quoted.set(text, json);
  }
  return json;
}

/**
 * `,"key":value` for each defined field. Hand-rolled rather than JSON.stringify because the
 * authorizer logs every decision on its hot path (3x faster here); text that is not plainly safe
 * still goes through JSON.stringify. Fields must not reuse level, timestamp, service or message.
 */
function serializeFields(fields: LogFields): string {
  let out = '';
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined) continue;
    let text: string;
    if (typeof value === 'string')
      text = PLAIN_TEXT.test(value) ? `"${value}"` : JSON.stringify(value);
    else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : 'null';
    else text = String(value);
    out += `,${quote(key)}:${text}`;
  }
  return out;
}

let lastMillis = Number.NaN;
let lastTimestamp = '';

/** ISO time, formatted at most once per millisecond (the authorizer logs on its hot path). */
function timestamp(): string {
  const millis = Date.now();
  if (millis !== lastMillis) {
    lastMillis = millis;
    lastTimestamp = new Date(millis).toISOString();
  }
  return lastTimestamp;
}

/** Creates a logger that writes one JSON object a line. */
export function createLogger({ service, level, sink = writeToStdout }: LoggerOptions): Logger {
  const threshold = LEVEL_RANK[level];
  const head = `","service":${JSON.stringify(service)},"message":`;
  const write = (lineLevel: Exclude<LogLevel, 'SILENT'>, message: string, fields?: LogFields) => {
    if (LEVEL_RANK[lineLevel] < threshold) return;
    sink(
      `{"level":"${lineLevel}","timestamp":"${timestamp()}${head}${quote(message)}${fields === undefined ? '' : serializeFields(fields)}}`,
    );
  };
  return {
    debug: (message, fields) => {
      write('DEBUG', message, fields);
    },
    info: (message, fields) => {
      write('INFO', message, fields);
    },
    warn: (message, fields) => {
      write('WARN', message, fields);
    },
    error: (message, fields) => {
      write('ERROR', message, fields);
    },
  };
}

/** A short, loggable description of an unknown thrown value: its class and message, no stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : 'non-Error value thrown';
}
