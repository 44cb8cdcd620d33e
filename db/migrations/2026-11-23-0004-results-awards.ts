/**
 * Migration 0004: results. Head-judge tie decisions, locked award results with certificate
 * numbers and public verification codes, reasoned overrides, publication (公示) with an appeal
 * deadline, and appeals (申诉) with recorded answers.
 *
 * Frozen in time: Kysely<any> and raw SQL only.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`ALTER TABLE contest ADD COLUMN published_at TEXT`,
  sql`ALTER TABLE contest ADD COLUMN appeal_deadline TEXT`,
  sql`CREATE TABLE head_judge_decision (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('tie-break', 'cutoff')),
    scope_key TEXT NOT NULL DEFAULT '',
    project_order TEXT NOT NULL CHECK (json_valid(project_order)),
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('judge', 'organizer')),
    actor_id INTEGER NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE result_lock (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    snapshot TEXT NOT NULL CHECK (json_valid(snapshot)),
    ledger_seq INTEGER NOT NULL,
    locked_by INTEGER REFERENCES organizer_user (id) ON DELETE SET NULL,
    locked_at TEXT NOT NULL,
    superseded_at TEXT
  ) STRICT`,
  sql`CREATE UNIQUE INDEX result_lock_current ON result_lock (contest_id, round_id) WHERE superseded_at IS NULL`,
  sql`CREATE TABLE award (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    result_lock_id INTEGER NOT NULL REFERENCES result_lock (id) ON DELETE CASCADE,
    prize_tier_id INTEGER NOT NULL REFERENCES prize_tier (id),
    project_id INTEGER NOT NULL REFERENCES project (id),
    track_id INTEGER REFERENCES track (id),
    rank INTEGER,
    score_text TEXT NOT NULL DEFAULT '',
    certificate_no TEXT NOT NULL UNIQUE,
    verify_code TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    UNIQUE (result_lock_id, prize_tier_id, project_id)
  ) STRICT`,
  sql`CREATE INDEX award_contest ON award (contest_id)`,
  sql`CREATE TABLE award_override (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    result_lock_id INTEGER NOT NULL REFERENCES result_lock (id) ON DELETE CASCADE,
    change TEXT NOT NULL CHECK (json_valid(change)),
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    actor_user_id INTEGER REFERENCES organizer_user (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE appeal (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES project (id) ON DELETE SET NULL,
    reference TEXT NOT NULL UNIQUE,
    appellant_name TEXT NOT NULL,
    contact TEXT NOT NULL,
    body TEXT NOT NULL CHECK (length(body) > 0),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected', 'withdrawn')),
    answer TEXT NOT NULL DEFAULT '',
    answered_by INTEGER REFERENCES organizer_user (id) ON DELETE SET NULL,
    answered_at TEXT,
    status_token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  ) STRICT`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['appeal', 'award_override', 'award', 'result_lock', 'head_judge_decision'])
    await sql`DROP TABLE IF EXISTS ${sql.id(table)}`.execute(db);
  await sql`ALTER TABLE contest DROP COLUMN appeal_deadline`.execute(db);
  await sql`ALTER TABLE contest DROP COLUMN published_at`.execute(db);
}
