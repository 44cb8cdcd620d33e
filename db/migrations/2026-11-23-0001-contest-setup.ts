/**
 * Migration 0001: organizer accounts, sessions, API tokens and the whole contest configuration
 * (contest, tracks, rounds with scoring rules and rubric criteria, prize tiers, judges,
 * conflicts, projects).
 *
 * Frozen in time: uses Kysely<any> and raw SQL only, never imports application code.
 * Points are integer hundredths (_centi), weights integer thousandths (_milli).
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`CREATE TABLE organizer_user (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'host', 'viewer')),
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
    created_at TEXT NOT NULL,
    last_login_at TEXT,
    disabled_at TEXT
  ) STRICT`,
  sql`CREATE TABLE session (
    sid TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    data TEXT NOT NULL
  ) STRICT`,
  sql`CREATE INDEX session_expires_at ON session (expires_at)`,
  sql`CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES organizer_user (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  ) STRICT`,
  sql`CREATE TABLE contest (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 3 AND 60),
    name_zh TEXT NOT NULL CHECK (length(name_zh) > 0),
    name_en TEXT NOT NULL DEFAULT '',
    theme_zh TEXT NOT NULL DEFAULT '',
    theme_en TEXT NOT NULL DEFAULT '',
    organizer TEXT NOT NULL DEFAULT '',
    venue TEXT NOT NULL DEFAULT '',
    starts_on TEXT,
    ends_on TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
      ('draft', 'registration-open', 'registration-closed', 'live', 'finished', 'published')),
    settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
    revision INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE track (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    name_zh TEXT NOT NULL CHECK (length(name_zh) > 0),
    name_en TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    UNIQUE (contest_id, key)
  ) STRICT`,
  sql`CREATE TABLE round (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    name_zh TEXT NOT NULL CHECK (length(name_zh) > 0),
    name_en TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('review', 'roadshow')),
    position INTEGER NOT NULL,
    pitch_seconds INTEGER NOT NULL CHECK (pitch_seconds >= 0),
    qa_seconds INTEGER NOT NULL CHECK (qa_seconds >= 0),
    combine_mode TEXT NOT NULL CHECK (combine_mode IN ('reset', 'weighted')),
    prior_weight_percent INTEGER NOT NULL DEFAULT 0 CHECK (prior_weight_percent BETWEEN 0 AND 100),
    advancement_mode TEXT NOT NULL CHECK (advancement_mode IN ('none', 'top-n-per-track', 'top-n-overall')),
    advancement_count INTEGER NOT NULL DEFAULT 0 CHECK (advancement_count >= 0),
    tie_at_cutoff TEXT NOT NULL CHECK (tie_at_cutoff IN ('widen', 'tie-break', 'head-judge')),
    UNIQUE (contest_id, key)
  ) STRICT`,
  sql`CREATE TABLE scoring_rule (
    round_id INTEGER PRIMARY KEY REFERENCES round (id) ON DELETE CASCADE,
    method TEXT NOT NULL CHECK (method IN ('mean', 'trimmed-mean')),
    trim INTEGER NOT NULL CHECK (trim BETWEEN 0 AND 5),
    min_judges_for_trim INTEGER NOT NULL CHECK (min_judges_for_trim >= 1),
    decimals INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 4),
    tie_breaks TEXT NOT NULL CHECK (json_valid(tie_breaks)),
    missing_score TEXT NOT NULL CHECK (missing_score IN ('exclude', 'mean-of-given')),
    normalization TEXT NOT NULL CHECK (normalization IN ('none', 'z-score')),
    group_weights TEXT CHECK (group_weights IS NULL OR json_valid(group_weights))
  ) STRICT`,
  sql`CREATE TABLE criterion (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    name_zh TEXT NOT NULL CHECK (length(name_zh) > 0),
    name_en TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    levels TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(levels)),
    min_centi INTEGER NOT NULL,
    max_centi INTEGER NOT NULL,
    step_centi INTEGER NOT NULL CHECK (step_centi > 0),
    weight_milli INTEGER NOT NULL CHECK (weight_milli >= 0),
    position INTEGER NOT NULL,
    UNIQUE (round_id, key),
    CHECK (max_centi > min_centi AND (max_centi - min_centi) % step_centi = 0)
  ) STRICT`,
  sql`CREATE TABLE prize_tier (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    name_zh TEXT NOT NULL CHECK (length(name_zh) > 0),
    name_en TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL CHECK (scope IN ('overall', 'track')),
    quota_kind TEXT NOT NULL CHECK (quota_kind IN ('count', 'percent', 'rest')),
    quota INTEGER NOT NULL CHECK (quota >= 0),
    min_score_centi INTEGER,
    precedence INTEGER NOT NULL CHECK (precedence >= 1),
    audience INTEGER NOT NULL DEFAULT 0 CHECK (audience IN (0, 1)),
    position INTEGER NOT NULL,
    UNIQUE (contest_id, key)
  ) STRICT`,
  sql`CREATE TABLE judge (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) > 0),
    title TEXT NOT NULL DEFAULT '',
    institution TEXT NOT NULL DEFAULT '',
    judge_group TEXT NOT NULL CHECK (judge_group IN ('clinical', 'academic', 'investor', 'industry', 'other')),
    is_head_judge INTEGER NOT NULL DEFAULT 0 CHECK (is_head_judge IN (0, 1)),
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    UNIQUE (contest_id, key)
  ) STRICT`,
  sql`CREATE UNIQUE INDEX judge_one_head ON judge (contest_id) WHERE is_head_judge = 1`,
  sql`CREATE TABLE project (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest (id) ON DELETE CASCADE,
    ref TEXT NOT NULL,
    title TEXT NOT NULL CHECK (length(title) > 0),
    track_id INTEGER NOT NULL REFERENCES track (id),
    institution TEXT NOT NULL,
    leader_name TEXT NOT NULL,
    leader_phone TEXT NOT NULL DEFAULT '',
    leader_email TEXT NOT NULL DEFAULT '',
    members TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(members)),
    stage TEXT NOT NULL CHECK (stage IN
      ('concept', 'prototype', 'preclinical', 'clinical-trial', 'registration', 'market')),
    summary TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('submitted', 'returned', 'approved', 'rejected', 'withdrawn')),
    out_of_competition INTEGER NOT NULL DEFAULT 0 CHECK (out_of_competition IN (0, 1)),
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (contest_id, ref)
  ) STRICT`,
  sql`CREATE INDEX project_track ON project (track_id)`,
  sql`CREATE TABLE judge_conflict (
    id INTEGER PRIMARY KEY,
    judge_id INTEGER NOT NULL REFERENCES judge (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    reason TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('auto', 'manual')),
    created_at TEXT NOT NULL,
    UNIQUE (judge_id, project_id)
  ) STRICT`,
  sql`CREATE INDEX judge_conflict_project ON judge_conflict (project_id)`,
];

const tables = [
  'judge_conflict',
  'project',
  'judge',
  'prize_tier',
  'criterion',
  'scoring_rule',
  'round',
  'track',
  'contest',
  'api_token',
  'session',
  'organizer_user',
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of tables) await sql`DROP TABLE IF EXISTS ${sql.id(table)}`.execute(db);
}
