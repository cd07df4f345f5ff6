/**
 * The little the profile store and the migrator need from a database, so the same code runs on a
 * `pg` pool and on PGlite.
 */

export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  /** Runs one parameterized statement and returns its rows (empty for statements without any). */
  query(text: string, params?: readonly unknown[]): Promise<SqlRow[]>;
}

export interface SqlTransaction extends SqlExecutor {
  /** Runs a script of several statements, without parameters (migration files). */
  execScript(sql: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  /** Runs `work` between BEGIN and COMMIT on one connection; rolls back if it throws. */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
}

/** The SQLSTATE of a database error (`23505` for unique violations), if it has one. */
export function readSqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** `true` when `error` is a unique violation on the named constraint or unique index. */
export function isUniqueViolationOn(error: unknown, constraint: string): boolean {
  return (
    readSqlState(error) === '23505' &&
    typeof error === 'object' &&
    error !== null &&
    'constraint' in error &&
    error.constraint === constraint
  );
}
