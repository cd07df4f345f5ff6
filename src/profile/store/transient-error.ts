/**
 * Which database failures another attempt may fix, in one place for the triggers' retries, the
 * API's single retry and its 503. Everything else (a constraint violation, a syntax error, bad
 * input) fails the same way every time and is never retried.
 *
 * SQLSTATEs: https://www.postgresql.org/docs/15/errcodes-appendix.html
 */
import { readSqlState } from './sql-executor';

/**
 * - `53300` too_many_connections ("remaining connection slots are reserved…"): a burst; a slot
 *   frees as soon as another container's invocation ends.
 * - `57P01` admin_shutdown, `57P02` crash_shutdown, `57P03` cannot_connect_now (starting up or
 *   shutting down): a restart or failover.
 * - class `08` connection_exception: the connection broke or could not be made.
 */
const TRANSIENT_SQLSTATES = new Set(['53300', '57P01', '57P02', '57P03']);

/** Socket errors of a refused, reset or timed-out connection. */
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Messages of `pg` and `pg-pool` that carry no code: the connect timeout (both wordings), a
 * connection that ended under a query, and a client used after its connection died.
 */
const TRANSIENT_MESSAGES = [
  'timeout exceeded when trying to connect',
  // "… unexpectedly", "… due to connection timeout", and plain "Connection terminated".
  'Connection terminated',
  'is not queryable',
];

/** `pg`'s client-side `query_timeout`: the server or the path to it went silent. */
export const QUERY_READ_TIMEOUT_MESSAGE = 'Query read timeout';

function readMessage(error: unknown): string {
  // Duck-typed rather than `instanceof Error`: socket errors come from Node's internals, which
  // are another realm under Jest.
  return typeof error === 'object' &&
    error !== null &&
    'message' in error &&
    typeof error.message === 'string'
    ? error.message
    : '';
}

function readCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** `true` for a read timeout: on a reused connection, the sign of a connection that died silently. */
export function isQueryReadTimeout(error: unknown): boolean {
  return readMessage(error) === QUERY_READ_TIMEOUT_MESSAGE;
}

/**
 * `true` when the connection was dead before or broke during the statement, so that the same
 * statement on a new connection may well succeed.
 */
export function isBrokenConnectionError(error: unknown): boolean {
  const code = readCode(error);
  if (typeof code === 'string' && TRANSIENT_SOCKET_CODES.has(code)) return true;
  const message = readMessage(error);
  return TRANSIENT_MESSAGES.some((known) => message.includes(known)) || isQueryReadTimeout(error);
}

/**
 * `true` for a failure of the database or the way to it that may be gone on the next attempt:
 * too many connections, a restart, a refused, reset or timed-out connection, a read timeout.
 * `false` for everything the request itself causes (constraint violations, validation errors).
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const state = readSqlState(error);
  if (state !== undefined && (TRANSIENT_SQLSTATES.has(state) || state.startsWith('08'))) {
    return true;
  }
  if (isBrokenConnectionError(error)) return true;
  // An AggregateError (Node's happy-eyeballs connect to several addresses) is transient when
  // every address failed transiently.
  if (typeof error === 'object' && error !== null && 'errors' in error) {
    const { errors } = error;
    return Array.isArray(errors) && errors.length > 0 && errors.every(isTransientDatabaseError);
  }
  return false;
}
