/**
 * Migration 0003: live judging. Private judge links (hashed tokens), round panels, the stored
 * stage state, scoring windows, append-only score versions keyed by client submission ids,
 * unlocks with reasons, and the per-contest hash-chained ledger.
 *
 * Frozen in time: Kysely<any> and raw SQL only. Marks are JSON objects of integer hundredths.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`ALTER TABLE judge ADD COLUMN last_seen_at TEXT`,
  sql`ALTER TABLE round ADD COLUMN auto_close_seconds INTEGER NOT NULL DEFAULT 30 CHECK (auto_close_seconds >= 0)`,
  sql`CREATE TABLE judge_link (
    id INTEGER PRIMARY KEY,
    judge_id INTEGER NOT NULL REFERENCES judge (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  ) STRICT`,
  sql`CREATE UNIQUE INDEX judge_link_one_active ON judge_link (judge_id) WHERE revoked_at IS NULL`,
  sql`CREATE TABLE round_panel (
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    judge_id INTEGER NOT NULL REFERENCES judge (id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, judge_id)
  ) STRICT`,
  sql`CREATE TABLE stage_state (
    contest_id INTEGER PRIMARY KEY REFERENCES contest (id) ON DELETE CASCADE,
    round_id INTEGER REFERENCES round (id) ON DELETE SET NULL,
    project_id INTEGER REFERENCES project (id) ON DELETE SET NULL,
    phase TEXT NOT NULL CHECK (phase IN ('idle', 'presenting', 'pitch', 'qa', 'scoring', 'closed')),
    timer_kind TEXT CHECK (timer_kind IS NULL OR timer_kind IN ('pitch', 'qa')),
    timer_started_at TEXT,
    timer_duration_ms INTEGER,
    timer_paused_remaining_ms INTEGER,
    auto_close_at TEXT,
    updated_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE scoring_window (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by TEXT CHECK (closed_by IS NULL OR closed_by IN ('host', 'auto'))
  ) STRICT`,
  sql`CREATE UNIQUE INDEX scoring_window_one_open ON scoring_window (round_id, project_id) WHERE closed_at IS NULL`,
  sql`CREATE TABLE score_version (
    id INTEGER PRIMARY KEY,
    submission_id TEXT NOT NULL UNIQUE CHECK (length(submission_id) BETWEEN 16 AND 64),
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    judge_id INTEGER NOT NULL REFERENCES judge (id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version >= 1),
    marks TEXT NOT NULL CHECK (json_valid(marks)),
    comment TEXT NOT NULL DEFAULT '',
    interest TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(interest)),
    payload_hash TEXT NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('judge', 'organizer')),
    actor_id INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (round_id, project_id, judge_id, version)
  ) STRICT`,
  sql`CREATE INDEX score_version_sheet ON score_version (round_id, project_id, judge_id, version DESC)`,
  sql`CREATE TABLE score_unlock (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    judge_id INTEGER NOT NULL REFERENCES judge (id) ON DELETE CASCADE,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('judge', 'organizer')),
    actor_id INTEGER NOT NULL,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    created_at TEXT NOT NULL,
    used_at TEXT
  ) STRICT`,
  sql`CREATE TABLE ledger_entry (
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL CHECK (seq >= 1),
    at TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id INTEGER,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (contest_id, seq)
  ) STRICT`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'ledger_entry',
    'score_unlock',
    'score_version',
    'scoring_window',
    'stage_state',
    'round_panel',
    'judge_link',
  ])
    await sql`DROP TABLE IF EXISTS ${sql.id(table)}`.execute(db);
  await sql`ALTER TABLE round DROP COLUMN auto_close_seconds`.execute(db);
  await sql`ALTER TABLE judge DROP COLUMN last_seen_at`.execute(db);
}
