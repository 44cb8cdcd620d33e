/**
 * Migration 0002: public registration (reference numbers, private status links, pitch decks),
 * the review trail, conflict waivers, CSV import batches, and the roadshow schedule (recorded
 * draws, running order, manual reorders with reasons, slot settings per round).
 *
 * Frozen in time: Kysely<any> and raw SQL only.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`ALTER TABLE contest ADD COLUMN reference_prefix TEXT NOT NULL DEFAULT 'RS'`,
  sql`ALTER TABLE contest ADD COLUMN registration_seq INTEGER NOT NULL DEFAULT 0`,
  sql`ALTER TABLE contest ADD COLUMN registration_closes_at TEXT`,
  sql`ALTER TABLE project ADD COLUMN source TEXT NOT NULL DEFAULT 'organizer'
    CHECK (source IN ('organizer', 'registration', 'import'))`,
  sql`ALTER TABLE project ADD COLUMN status_token_hash TEXT`,
  sql`ALTER TABLE project ADD COLUMN submitted_at TEXT`,
  sql`ALTER TABLE project ADD COLUMN review_note TEXT NOT NULL DEFAULT ''`,
  sql`CREATE UNIQUE INDEX project_status_token ON project (status_token_hash) WHERE status_token_hash IS NOT NULL`,
  sql`CREATE TABLE project_deck (
    project_id INTEGER PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    original_name TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE review_decision (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject', 'return', 'reopen')),
    reason TEXT NOT NULL DEFAULT '',
    actor_user_id INTEGER REFERENCES organizer_user (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE INDEX review_decision_project ON review_decision (project_id)`,
  sql`ALTER TABLE judge_conflict ADD COLUMN created_by INTEGER REFERENCES organizer_user (id) ON DELETE SET NULL`,
  sql`ALTER TABLE judge_conflict ADD COLUMN waived_at TEXT`,
  sql`ALTER TABLE judge_conflict ADD COLUMN waived_reason TEXT NOT NULL DEFAULT ''`,
  sql`CREATE TABLE import_batch (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('projects')),
    file_name TEXT NOT NULL,
    encoding TEXT NOT NULL,
    content TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    created_by INTEGER REFERENCES organizer_user (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT
  ) STRICT`,
  sql`ALTER TABLE round ADD COLUMN schedule_start TEXT`,
  sql`ALTER TABLE round ADD COLUMN changeover_seconds INTEGER NOT NULL DEFAULT 60 CHECK (changeover_seconds >= 0)`,
  sql`ALTER TABLE round ADD COLUMN draw_by_track INTEGER NOT NULL DEFAULT 1 CHECK (draw_by_track IN (0, 1))`,
  sql`CREATE TABLE schedule_draw (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    group_key TEXT NOT NULL,
    seed TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    input_refs TEXT NOT NULL CHECK (json_valid(input_refs)),
    result_refs TEXT NOT NULL CHECK (json_valid(result_refs)),
    actor_user_id INTEGER REFERENCES organizer_user (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE running_order (
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    group_key TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 1),
    PRIMARY KEY (round_id, project_id),
    UNIQUE (round_id, group_key, position)
  ) STRICT`,
  sql`CREATE TABLE running_order_change (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    from_position INTEGER NOT NULL,
    to_position INTEGER NOT NULL,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    actor_user_id INTEGER REFERENCES organizer_user (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'running_order_change',
    'running_order',
    'schedule_draw',
    'import_batch',
    'review_decision',
    'project_deck',
  ])
    await sql`DROP TABLE IF EXISTS ${sql.id(table)}`.execute(db);
  await sql`DROP INDEX IF EXISTS project_status_token`.execute(db);
  const columns: [string, string][] = [
    ['round', 'draw_by_track'],
    ['round', 'changeover_seconds'],
    ['round', 'schedule_start'],
    ['judge_conflict', 'waived_reason'],
    ['judge_conflict', 'waived_at'],
    ['judge_conflict', 'created_by'],
    ['project', 'review_note'],
    ['project', 'submitted_at'],
    ['project', 'status_token_hash'],
    ['project', 'source'],
    ['contest', 'registration_closes_at'],
    ['contest', 'registration_seq'],
    ['contest', 'reference_prefix'],
  ];
  for (const [table, column] of columns)
    await sql`ALTER TABLE ${sql.id(table)} DROP COLUMN ${sql.id(column)}`.execute(db);
}
