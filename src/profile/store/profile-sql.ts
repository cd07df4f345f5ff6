/**
 * The profile store's SQL, shared by the `pg` and PGlite implementations, and the one function
 * that turns a `profiles` row into a {@link Profile}. Every value travels as a parameter.
 */
import type { Profile } from './profile-store';
import type { SqlRow } from './sql-executor';

/** The unique index on lower(handle) (migrations/001_create_profiles.sql). */
export const HANDLE_INDEX = 'profiles_handle_lower_key';

const COLUMNS = 'id, cognito_sub, email, display_name, handle, created_at, updated_at';

export const PROFILE_SQL = {
  findBySub: `SELECT ${COLUMNS} FROM profiles WHERE cognito_sub = $1`,
  findByHandle: `SELECT ${COLUMNS} FROM profiles WHERE lower(handle) = lower($1)`,
  isHandleTaken: 'SELECT EXISTS (SELECT 1 FROM profiles WHERE lower(handle) = lower($1)) AS taken',
  /**
   * Idempotent per sub: a second insert for the same sub returns no row (the caller then reads
   * the existing one) instead of failing. The conflict target is only cognito_sub, so a handle
   * held by another sub still raises a unique violation on {@link HANDLE_INDEX}.
   */
  insert:
    'INSERT INTO profiles (cognito_sub, email, display_name, handle) VALUES ($1, $2, $3, $4) ' +
    `ON CONFLICT (cognito_sub) DO NOTHING RETURNING ${COLUMNS}`,
  /** $2 and $3 may be NULL, meaning "leave as is". */
  update:
    'UPDATE profiles SET display_name = COALESCE($2, display_name), handle = COALESCE($3, handle), ' +
    `updated_at = now() WHERE cognito_sub = $1 RETURNING ${COLUMNS}`,
  ping: 'SELECT 1 AS ok',
} as const;

/** The most expired sign-up intents one sign-up purges (migrations/002_create_sign_up_intents.sql). */
export const INTENTS_PURGED_PER_SIGN_UP = 20;

export const SIGN_UP_INTENT_SQL = {
  /**
   * Records (or replaces: a repeated SignUp for the same userName) what was asked for, and purges
   * a few expired rows of sign-ups never confirmed. SKIP LOCKED: concurrent sign-ups purge
   * different rows instead of waiting for each other. $5 is "now".
   */
  record:
    'WITH purged AS (DELETE FROM sign_up_intents WHERE user_name IN (' +
    'SELECT user_name FROM sign_up_intents WHERE expires_at <= $5 AND user_name <> $1 ' +
    `LIMIT ${INTENTS_PURGED_PER_SIGN_UP} FOR UPDATE SKIP LOCKED)) ` +
    'INSERT INTO sign_up_intents (user_name, display_name, handle, expires_at) VALUES ($1, $2, $3, $4) ' +
    'ON CONFLICT (user_name) DO UPDATE SET display_name = EXCLUDED.display_name, ' +
    'handle = EXCLUDED.handle, expires_at = EXCLUDED.expires_at',
  /** $2 is "now": an expired intent is as good as none. */
  find: 'SELECT display_name, handle FROM sign_up_intents WHERE user_name = $1 AND expires_at > $2',
  delete: 'DELETE FROM sign_up_intents WHERE user_name = $1',
} as const;

function readColumn<T>(row: SqlRow, column: string, is: (value: unknown) => value is T): T {
  const value = row[column];
  if (!is(value)) {
    throw new TypeError(`profiles row: column ${column} has an unexpected type (${typeof value})`);
  }
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
// Not `instanceof Date`: a driver loaded in another realm (PGlite under Jest, see the test
// fixtures) returns Dates built from that realm's constructor.
const isDate = (value: unknown): value is Date =>
  Object.prototype.toString.call(value) === '[object Date]';

/** Maps a `profiles` row (snake_case, as both drivers return it) to a {@link Profile}. */
export function toProfile(row: SqlRow): Profile {
  return {
    id: readColumn(row, 'id', isString),
    cognitoSub: readColumn(row, 'cognito_sub', isString),
    email: readColumn(row, 'email', isString),
    displayName: readColumn(row, 'display_name', isString),
    handle: readColumn(row, 'handle', isString),
    // Copied, so callers get a Date of their own realm and cannot alter the driver's.
    createdAt: new Date(readColumn(row, 'created_at', isDate).getTime()),
    updatedAt: new Date(readColumn(row, 'updated_at', isDate).getTime()),
  };
}
