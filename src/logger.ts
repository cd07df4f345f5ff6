/**
 * Structured JSON logs, one object a line, as CloudWatch Logs Insights reads them.
 *
 * One small module with no dependencies instead of Powertools Logger: the authorizer's bundle and cold start are
 * budgeted (see the README's benchmark), and nothing here ever receives a token, so no
 * redaction layer is needed. Callers pass explicit fields; events and headers are never logged.
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

export type LogValue = string | number | boolean | null | undefined;

export type LogFields = Record<string, LogValue>;

export type LineLevel = Exclude<LogLevel, 'SILENT'>;

/**
 * Writes one line of a message prepared with {@link Logger.prepare}: `values[i]` is the value of
 * the i-th field name given then; undefined values are left out.
 */
export type LineWriter<Names extends readonly string[]> = (values: {
  readonly [I in keyof Names]: LogValue;
}) => void;

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
  /**
   * A writer for a message logged on a hot path (the authorizer's decision line): the message and
   * the field names are fixed here, so their JSON is built once and each line costs only its
   * values. The text is the same as `info(message, fields)` (or warn, ...) would write.
   *
   * @throws {RangeError} when a name is one of the line's own keys (level, timestamp, service, message)
   */
  prepare<const Names extends readonly string[]>(
    level: LineLevel,
    message: string,
    names: Names,
  ): LineWriter<Names>;
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
 * A value's JSON. Hand-rolled rather than JSON.stringify because the authorizer logs every decision
 * on its hot path (3x faster here); text that is not plainly safe still goes through JSON.stringify.
 */
function serializeValue(value: Exclude<LogValue, undefined>): string {
  if (typeof value === 'string')
    return PLAIN_TEXT.test(value) ? `"${value}"` : JSON.stringify(value);
  if (typeof value === 'number') return formatNumber(value);
  if (value === null) return 'null';
  return value ? 'true' : 'false';
}

/**
 * A number's JSON, the same text as `String(value)`. Durations are logged in milliseconds rounded
 * to microseconds (`Math.round(ms * 1000) / 1000`); for those the fixed-point text is built from
 * integers, because V8's general shortest-form conversion of a double costs more (measured: about
 * 150 ns) than the rest of a decision line.
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const micros = Math.round(value * 1000);
  // Exactly a multiple of 1/1000 as the rounding above writes it, so the fixed-point text reads
  // back as the same double; large or negative values take the general path.
  if (micros > 0 && micros < 1e12 && micros / 1000 === value) {
    const whole = Math.floor(micros / 1000);
    const thousandths = micros - whole * 1000;
    return `${whole}.${formatThousandths(thousandths)}`;
  }
  return Number.isFinite(value) ? String(value) : 'null';
}

/** The decimals of n/1000 (1 to 999) without trailing zeros: 5 → "005", 50 → "05", 500 → "5". */
function formatThousandths(n: number): string {
  const digits = n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
  if (n % 100 === 0) return digits.slice(0, 1);
  return n % 10 === 0 ? digits.slice(0, 2) : digits;
}

/** `,"key":value` for each defined field. Fields must not reuse level, timestamp, service or message. */
function serializeFields(fields: LogFields): string {
  let out = '';
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined) out += `,${quote(key)}:${serializeValue(value)}`;
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
    lastTimestamp = formatTimestamp(millis);
  }
  return lastTimestamp;
}

// Years 0000-9999: beyond them toISOString writes a six-digit year with a sign.
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;
let minuteStart = Number.NaN;
let minutePrefix = '';

/**
 * `Date#toISOString`'s text, with the date, hour and minute formatted once a minute: a Lambda
 * container logs each invocation in a new millisecond, and toISOString costs about 0.5 µs, a
 * quarter of a cached authorizer decision.
 */
export function formatTimestamp(millis: number): string {
  if (!(millis >= 0 && millis < LAST_FOUR_DIGIT_YEAR_MS) || !Number.isInteger(millis)) {
    return new Date(millis).toISOString();
  }
  const inMinute = millis % 60_000;
  const minute = millis - inMinute;
  if (minute !== minuteStart) {
    minuteStart = minute;
    // "2026-12-02T15:10:"
    minutePrefix = new Date(minute).toISOString().slice(0, 17);
  }
  const seconds = Math.floor(inMinute / 1000);
  const thousandths = inMinute - seconds * 1000;
  const secondsText = seconds < 10 ? `0${seconds}` : String(seconds);
  const millisText =
    thousandths < 10
      ? `00${thousandths}`
      : thousandths < 100
        ? `0${thousandths}`
        : String(thousandths);
  return `${minutePrefix}${secondsText}.${millisText}Z`;
}

const OWN_KEYS: ReadonlySet<string> = new Set(['level', 'timestamp', 'service', 'message']);

/** Creates a logger that writes one JSON object a line. */
export function createLogger({ service, level, sink = writeToStdout }: LoggerOptions): Logger {
  const threshold = LEVEL_RANK[level];
  const head = `","service":${JSON.stringify(service)},"message":`;
  const write = (lineLevel: LineLevel, message: string, fields?: LogFields) => {
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
    prepare(lineLevel, message, names) {
      for (const name of names) {
        if (OWN_KEYS.has(name)) {
          throw new RangeError(`log field name must not be one of the line's own keys: ${name}`);
        }
      }
      const keys = names.map((name) => `,${JSON.stringify(name)}:`);
      const start = `{"level":"${lineLevel}","timestamp":"`;
      const rest = `${head}${JSON.stringify(message)}`;
      const enabled = LEVEL_RANK[lineLevel] >= threshold;
      // Each field's last value and its `,"name":value` text: most fields repeat from one line to
      // the next (the decision, its reason, the event kind; all but the latency on a cache hit),
      // and are then neither checked nor concatenated again.
      const lastValues: LogValue[] = names.map(() => undefined);
      const lastTexts = names.map(() => '');
      return (values) => {
        if (!enabled) return;
        let out = '';
        for (let i = 0; i < keys.length; i += 1) {
          const value = values[i];
          if (value === undefined) continue;
          if (value !== lastValues[i]) {
            lastValues[i] = value;
            lastTexts[i] = `${keys[i] ?? ''}${serializeValue(value)}`;
          }
          out += lastTexts[i] ?? '';
        }
        sink(`${start}${timestamp()}${rest}${out}}`);
      };
    },
  };
}

/** A short, loggable description of an unknown thrown value: its class and message, no stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : 'non-Error value thrown';
}
