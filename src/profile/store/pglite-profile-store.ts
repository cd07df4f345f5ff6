/**
 * The profile store on PGlite (PostgreSQL compiled to WebAssembly, in process): for local runs,
 * serverless-offline and tests. `pglite:memory:` keeps the database in memory, `pglite:<dir>`
 * on disk. A directory must not be opened by two processes at once: PGlite is single-user.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { runMigrations } from './run-migrations';
import type { ProfileStore } from './profile-store';
import type { SqlDatabase, SqlRow } from './sql-executor';
import { SqlProfileStore } from './sql-profile-store';

/** Adapts a PGlite instance to {@link SqlDatabase}. PGlite runs one statement at a time. */
export function toPgliteDatabase(db: PGlite): SqlDatabase {
  return {
    query: async (text, params = []) => (await db.query<SqlRow>(text, [...params])).rows,
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: async (text, params = []) => (await tx.query<SqlRow>(text, [...params])).rows,
          execScript: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
  };
}

/**
 * Creates a database, migrates it and returns its data directory as a tarball, for
 * {@link openPglite}'s `template`. Creating a PGlite database runs initdb (seconds); loading a
 * template takes a fraction of that. Uncompressed: it loads about twice as fast as gzip.
 */
export async function createPgliteTemplate(): Promise<Blob> {
  const db = await PGlite.create();
  try {
    await runMigrations(toPgliteDatabase(db));
    return await db.dumpDataDir('none');
  } finally {
    await db.close();
  }
}

let processTemplate: Promise<Blob> | undefined;

/** The template shared by every in-memory database of this process, built on first use. */
function getProcessTemplate(): Promise<Blob> {
  if (processTemplate === undefined) {
    const building = createPgliteTemplate();
    processTemplate = building;
    // Forget a failed build so the next open tries again.
    building.catch(() => {
      if (processTemplate === building) processTemplate = undefined;
    });
  }
  return processTemplate;
}

export interface PgliteOptions {
  /** Directory of the database files; `undefined` keeps the database in memory. */
  dataDir: string | undefined;
  /**
   * In-memory databases start as a copy of this tarball from {@link createPgliteTemplate}
   * (default: one built once per process).
   */
  template?: Blob;
}

/** Opens (creating if needed) a PGlite database and applies pending migrations. */
export async function openPglite(options: PgliteOptions): Promise<PGlite> {
  let db: PGlite;
  if (options.dataDir === undefined) {
    db = await PGlite.create({ loadDataDir: options.template ?? (await getProcessTemplate()) });
  } else {
    const dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    db = await PGlite.create({ dataDir });
  }
  try {
    await runMigrations(toPgliteDatabase(db));
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** Wraps an open PGlite database; closing the store closes it. */
export function createPgliteProfileStore(db: PGlite): ProfileStore {
  return new SqlProfileStore(toPgliteDatabase(db), () => db.close());
}

interface SharedDatabase {
  opening: Promise<PGlite>;
  users: number;
  /** Set once the last user closed it: a new open waits for the files to be released. */
  closing?: Promise<void>;
}

/**
 * One PGlite instance per data directory per process. PGlite must never have the same directory
 * open twice, yet serverless-offline (in-process) loads every function's bundle into one process,
 * each with its own copy of this module: the registry therefore lives on `globalThis`, under a
 * key all copies agree on.
 */
function sharedDatabases(): Map<string, SharedDatabase> {
  const key = Symbol.for('cognito-gate.pglite.shared-databases');
  const holder = globalThis as Record<symbol, Map<string, SharedDatabase> | undefined>;
  holder[key] ??= new Map();
  return holder[key];
}

/**
 * Opens a migrated PGlite database as a profile store. Stores on the same data directory in one
 * process share one database; it is closed when the last of them is.
 */
export async function openPgliteProfileStore(options: PgliteOptions): Promise<ProfileStore> {
  if (options.dataDir === undefined) return createPgliteProfileStore(await openPglite(options));
  const dataDir = resolve(options.dataDir);
  const registry = sharedDatabases();
  const pendingClose = registry.get(dataDir)?.closing;
  if (pendingClose !== undefined) await pendingClose.catch(() => undefined);
  let shared = registry.get(dataDir);
  if (shared === undefined || shared.closing !== undefined) {
    const opening = openPglite({ dataDir });
    shared = { opening, users: 0 };
    const entry = shared;
    registry.set(dataDir, entry);
    opening.catch(() => {
      if (registry.get(dataDir) === entry) registry.delete(dataDir);
    });
  }
  shared.users += 1;
  const entry = shared;
  let db: PGlite;
  try {
    db = await entry.opening;
  } catch (error) {
    entry.users -= 1;
    throw error;
  }
  return new SqlProfileStore(toPgliteDatabase(db), async () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    entry.closing = db.close().finally(() => {
      if (registry.get(dataDir) === entry) registry.delete(dataDir);
    });
    await entry.closing;
  });
}
