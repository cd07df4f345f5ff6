/**
 * What the local stacks print: serverless-offline's output turned into one line per log line,
 * prefixed with the function that wrote it. Our functions log one JSON object a line (src/logger.ts)
 * whose `service` names the function in kebab case; other lines (stack traces, console output,
 * serverless-offline's own) belong to the function serverless-offline last named with `(λ: name)`.
 *
 * `text` is for a terminal (`getMe | INFO profile created on first API call sub=… handle=ada`);
 * `json` keeps every function log line exactly as written, on stdout, one object a line (pipe it to
 * `jq`), and sends the rest to stderr.
 */
export type LogFormat = 'text' | 'json';

export interface StackLogSinks {
  /** Function log lines (and, in `text`, everything else). */
  out: (line: string) => void;
  /** `json` only: lines that are not a function's JSON log line. */
  err: (line: string) => void;
}

const STACK = 'offline';
const LAMBDA_MARKER = /\(λ: ([\w-]+)\)/u;

/** `pre-sign-up` → `preSignUp`: the logger's service name as serverless.yml names the function. */
export function toFunctionName(service: string): string {
  return service.replace(/-([a-z0-9])/gu, (_, letter: string) => letter.toUpperCase());
}

interface JsonLogLine {
  level: string;
  service: string;
  message: string;
  fields: Record<string, unknown>;
}

function parseJsonLogLine(line: string): JsonLogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const {
    level,
    service,
    message,
    timestamp: _timestamp,
    ...fields
  } = parsed as Record<string, unknown>;
  if (typeof level !== 'string' || typeof service !== 'string' || typeof message !== 'string') {
    return undefined;
  }
  return { level, service, message, fields };
}

function formatValue(value: unknown): string {
  if (typeof value === 'string' && /^[\w.:@/+-]+$/u.test(value)) return value;
  return JSON.stringify(value);
}

/** One JSON log line for a terminal: `LEVEL message key=value …`. */
export function formatJsonLogLine(line: JsonLogLine): string {
  const fields = Object.entries(line.fields)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
  return `${line.level.padEnd(5)} ${line.message}${fields === '' ? '' : ` ${fields}`}`;
}

/**
 * A line splitter over chunks of one stream; returns `push(chunk)` and `flush()`. Chunks split
 * lines anywhere, so the tail of a chunk waits for the next.
 */
function splitLines(onLine: (line: string) => void) {
  let pending = '';
  return {
    push(chunk: string) {
      const parts = (pending + chunk).split(/\r?\n/u);
      pending = parts.pop() ?? '';
      for (const part of parts) onLine(part);
    },
    flush() {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

/**
 * Creates the printer for one stack: feed it serverless-offline's stdout and stderr chunks.
 * Blank lines are dropped (serverless-offline prints many).
 */
export function createStackLogPrinter(format: LogFormat, sinks: StackLogSinks) {
  let current = STACK;
  const print = (raw: string) => {
    const line = raw.trimEnd();
    if (line.trim() === '') return;
    const json = parseJsonLogLine(line);
    if (json !== undefined) {
      const name = toFunctionName(json.service);
      if (format === 'json') sinks.out(line);
      else sinks.out(`${name.padEnd(16)} | ${formatJsonLogLine(json)}`);
      return;
    }
    const marker = LAMBDA_MARKER.exec(line);
    if (marker?.[1] !== undefined) current = marker[1];
    const prefix = marker === null ? current : STACK;
    const text = `${prefix.padEnd(16)} | ${line.trim()}`;
    if (format === 'json') sinks.err(text);
    else sinks.out(text);
  };
  const stdout = splitLines(print);
  const stderr = splitLines(print);
  return {
    stdout: (chunk: string) => {
      stdout.push(chunk);
    },
    stderr: (chunk: string) => {
      stderr.push(chunk);
    },
    flush: () => {
      stdout.flush();
      stderr.flush();
    },
  };
}

/** `--json` among the arguments, or LOG_FORMAT=json, chooses `json`; anything else `text`. */
export function readLogFormat(argv: readonly string[], env: NodeJS.ProcessEnv): LogFormat {
  if (argv.includes('--json')) return 'json';
  return env.LOG_FORMAT?.trim().toLowerCase() === 'json' ? 'json' : 'text';
}
