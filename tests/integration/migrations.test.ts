/**
 * Migrations on a fresh in-memory database: up creates every table, down removes everything it
 * created, and up again rebuilds exactly the same schema.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appliedMigrations,
  migrateDownAll,
  migrateToLatest,
  openSqlite,
  type OpenedDatabase,
} from '../../db/database.js';
import { latestMigration, migrations } from '../../db/migrations/index.js';

/** Tables the application's Database type names (db/schema/index.ts), as of migration 0003. */
const APP_TABLES = [
  'organizer_user',
  'session',
  'api_token',
  'contest',
  'track',
  'round',
  'scoring_rule',
  'criterion',
  'prize_tier',
  'judge',
  'judge_conflict',
  'project',
  'project_deck',
  'review_decision',
  'import_batch',
  'schedule_draw',
  'running_order',
  'running_order_change',
  'judge_link',
  'round_panel',
  'stage_state',
  'scoring_window',
  'score_version',
  'score_unlock',
  'ledger_entry',
];
const KYSELY_TABLES = ['kysely_migration', 'kysely_migration_lock'];

let opened: OpenedDatabase;
beforeEach(() => {
  opened = openSqlite(':memory:');
});
afterEach(async () => {
  await opened.db.destroy();
});

/** Every schema object (tables, indexes, triggers, views) outside SQLite's and Kysely's own. */
function schemaObjects(): { type: string; name: string; sql: string | null }[] {
  return opened.sqlite
    .prepare(
      `SELECT type, name, sql FROM sqlite_master
       WHERE name NOT LIKE 'sqlite_%' AND tbl_name NOT IN ('kysely_migration', 'kysely_migration_lock')
       ORDER BY type, name`,
    )
    .all() as { type: string; name: string; sql: string | null }[];
}

const tableNames = () =>
  (
    opened.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('migrations', () => {
  it('go up, down and up again on a fresh database', async () => {
    expect(tableNames()).toEqual([]);

    const ran = await migrateToLatest(opened.db);
    expect(ran).toEqual(Object.keys(migrations));
    expect(await appliedMigrations(opened.db)).toEqual(Object.keys(migrations));
    expect((await appliedMigrations(opened.db)).at(-1)).toBe(latestMigration);
    expect(tableNames()).toEqual(expect.arrayContaining([...APP_TABLES, ...KYSELY_TABLES]));
    const firstSchema = schemaObjects();
    expect(firstSchema.filter((o) => o.type === 'index').length).toBeGreaterThan(0);
    expect(opened.sqlite.prepare('PRAGMA foreign_key_check').all()).toEqual([]);

    await migrateDownAll(opened.db);
    expect(await appliedMigrations(opened.db)).toEqual([]);
    expect(schemaObjects()).toEqual([]);
    expect(tableNames().sort()).toEqual([...KYSELY_TABLES].sort());
    for (const table of APP_TABLES) expect(tableNames()).not.toContain(table);

    expect(await migrateToLatest(opened.db)).toEqual(Object.keys(migrations));
    expect(schemaObjects()).toEqual(firstSchema);
  });

  it('migrating an up-to-date database runs nothing', async () => {
    await migrateToLatest(opened.db);
    expect(await migrateToLatest(opened.db)).toEqual([]);
  });
});
