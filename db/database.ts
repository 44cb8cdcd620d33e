/**
 * Opens the database: better-sqlite3 with WAL, synchronous=FULL, foreign keys and a busy
 * timeout, wrapped in Kysely. Also migrates (after an online backup of an existing file).
 *
 * PostgreSQL (DATABASE_URL=postgres://…) is reserved for scale-out; only SQLite is wired today.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';
import type { Database } from './schema/index.js';
import { withStatementCache } from './statement-cache.js';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  sqlite: SQLite.Database;
  file: string;
}

/** Opens (creating if needed) an SQLite database; ':memory:' for tests. */
export function openSqlite(file: string): OpenedDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite, file };
}

function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function check(result: MigrationResultSet): void {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
}

/** Names of applied migrations, oldest first. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt).map((m) => m.name);
}

/** Migrates to the latest version; returns the migrations that ran. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const result = await migrator(db).migrateToLatest();
  check(result);
  return (result.results ?? []).map((r) => r.migrationName);
}

/** Rolls back every migration (tests use it to prove down() works). */
export async function migrateDownAll(db: Db): Promise<void> {
  const m = migrator(db);
  for (;;) {
    const result = await m.migrateDown();
    check(result);
    if (!result.results?.length) return;
  }
}

/**
 * Backs up an existing database file online (safe while it is in use) next to it, under
 * backups/, and returns the backup path; null when there is nothing to back up.
 */
export async function backupDatabase(
  opened: OpenedDatabase,
  dir: string,
  label = 'pre-migrate',
): Promise<string | null> {
  if (opened.file === ':memory:') return null;
  const hasTables = opened.sqlite.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
    n: number;
  };
  if (hasTables.n === 0) return null;
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.join(dir, `roadshow-${label}-${stamp}.db`);
  await opened.sqlite.backup(target);
  return target;
}

/** Whether the database needs migrations (used to skip the pre-migrate backup when up to date). */
export async function hasPendingMigrations(db: Db): Promise<boolean> {
  const all = await migrator(db).getMigrations();
  return all.some((m) => !m.executedAt);
}
