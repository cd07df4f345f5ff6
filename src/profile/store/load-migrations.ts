/**
 * The migration files, read from the repository's `migrations/` folder.
 *
 * Why files and not SQL imported into the bundle: the PostgreSQL schema is applied by
 * `npm run db:migrate` from a checkout (a deploy step), never by a Lambda cold start, so only
 * PGlite (local runs, serverless-offline, tests) needs the files at run time, and those run from
 * the repository. Reading them keeps Jest, tsx and esbuild free of a `.sql` loader. Should a
 * bundled function ever need them, add `migrations/**` to the function's `package.patterns`:
 * the search below also looks in the working directory, which is the package root
 * (/var/task) on Lambda.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Migration {
  /** The file name, e.g. `001_create_profiles.sql`; recorded in schema_migrations. */
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^\d{3}_[a-z0-9_]+\.sql$/;
const FOLDER = 'migrations';

/** Finds `migrations/` above this module (repository, bundle) or in the working directory. */
export function findMigrationsDir(): string {
  const starts = [
    // Undefined in an ES module build; the working directory still applies there.
    typeof __dirname === 'string' ? __dirname : undefined,
    process.cwd(),
  ];
  for (const start of starts) {
    if (start === undefined) continue;
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, FOLDER);
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(
    `no ${FOLDER}/ folder found above ${starts.filter(Boolean).join(' or ')}; package it with the function`,
  );
}

/** Reads the migration files of `dir`, sorted by name (their numeric prefix). */
export function loadMigrations(dir: string = findMigrationsDir()): Migration[] {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  const misnamed = names.find((name) => !MIGRATION_FILE.test(name));
  if (misnamed !== undefined) {
    throw new Error(
      `${join(dir, misnamed)}: migration files must be named like 001_create_profiles.sql`,
    );
  }
  return names.map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}
