/**
 * Migration 0005: the audience. Release policy per round (hidden / live / frozen / revealed) with
 * the frozen board kept as a snapshot, the big-screen mode and score-reveal step, the ceremony
 * reveal position, and the audience vote (人气奖) with one vote per device per round.
 *
 * Frozen in time: Kysely<any> and raw SQL only.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`ALTER TABLE round ADD COLUMN release_policy TEXT NOT NULL DEFAULT 'live'
    CHECK (release_policy IN ('hidden', 'live', 'frozen', 'revealed'))`,
  sql`ALTER TABLE round ADD COLUMN frozen_snapshot TEXT CHECK (frozen_snapshot IS NULL OR json_valid(frozen_snapshot))`,
  sql`ALTER TABLE round ADD COLUMN frozen_at TEXT`,
  sql`ALTER TABLE round ADD COLUMN vote_opened_at TEXT`,
  sql`ALTER TABLE round ADD COLUMN vote_closed_at TEXT`,
  sql`ALTER TABLE round ADD COLUMN votes_released_at TEXT`,
  sql`CREATE TABLE screen_state (
    contest_id INTEGER PRIMARY KEY REFERENCES contest (id) ON DELETE CASCADE,
    mode TEXT NOT NULL DEFAULT 'auto' CHECK (mode IN ('auto', 'presenting', 'scoring', 'reveal', 'leaderboard', 'ceremony', 'idle')),
    reveal_project_id INTEGER REFERENCES project (id) ON DELETE SET NULL,
    reveal_step INTEGER NOT NULL DEFAULT 0,
    leaderboard_track TEXT,
    updated_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE ceremony_state (
    contest_id INTEGER PRIMARY KEY REFERENCES contest (id) ON DELETE CASCADE,
    result_lock_id INTEGER REFERENCES result_lock (id) ON DELETE SET NULL,
    step INTEGER NOT NULL DEFAULT 0 CHECK (step >= 0),
    updated_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE audience_vote (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    device_hash TEXT NOT NULL,
    ip_hash TEXT NOT NULL,
    flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
    created_at TEXT NOT NULL,
    UNIQUE (round_id, device_hash)
  ) STRICT`,
  sql`CREATE INDEX audience_vote_count ON audience_vote (round_id, project_id)`,
  sql`CREATE INDEX audience_vote_ip ON audience_vote (round_id, ip_hash, created_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audience_vote', 'ceremony_state', 'screen_state'])
    await sql`DROP TABLE IF EXISTS ${sql.id(table)}`.execute(db);
  for (const column of [
    'votes_released_at',
    'vote_closed_at',
    'vote_opened_at',
    'frozen_at',
    'frozen_snapshot',
    'release_policy',
  ])
    await sql`ALTER TABLE round DROP COLUMN ${sql.id(column)}`.execute(db);
}
