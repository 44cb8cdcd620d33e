/**
 * Score facts and writes: the round's rubric ranges, a round's panel, scoring progress, the facts
 * that decide whether a judge may write a sheet, and append-only score versions.
 */
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import { placeholdersOf, prepareQuery } from '../../db/prepared-query.js';
import type { ScoreVersionTable } from '../../db/schema/live.js';
import type { CriterionRange } from '../domain/score-rules.js';

export type ScoreVersionRow = Selectable<ScoreVersionTable>;

const ranges = prepareQuery((db: Db, $: { roundId: number }) =>
  db
    .selectFrom('criterion')
    .select(['key', 'min_centi', 'max_centi', 'step_centi'])
    .where('round_id', '=', $.roundId)
    .orderBy('position'),
);

export async function criterionRanges(db: Db, roundId: number): Promise<CriterionRange[]> {
  const rows = await ranges.all(db, { roundId });
  return rows.map((r) => ({ key: r.key, minCenti: r.min_centi, maxCenti: r.max_centi, stepCenti: r.step_centi }));
}

const explicitPanel = prepareQuery((db: Db, $: { roundId: number }) =>
  db.selectFrom('round_panel').select('judge_id').where('round_id', '=', $.roundId),
);
const contestJudges = prepareQuery((db: Db, $: { contestId: number }) =>
  db.selectFrom('judge').select('id').where('contest_id', '=', $.contestId).orderBy('position'),
);

/** Judges on a round's panel: the explicit panel, or every judge of the contest when none is set. */
export async function panelJudgeIds(db: Db, contestId: number, roundId: number): Promise<number[]> {
  const explicit = await explicitPanel.all(db, { roundId });
  if (explicit.length) return explicit.map((r) => r.judge_id);
  const all = await contestJudges.all(db, { contestId });
  return all.map((r) => r.id);
}

/**
 * How many judges are eligible for a project (its round's panel minus active recusals) and how
 * many of them hold a sheet for it, in one statement: the stage view pushed after every score
 * needs only these two counts (a sheet exists exactly when a version does; versions are never
 * deleted).
 */
const counts = prepareQuery(
  (_db: Db, $: { contestId: number; roundId: number; projectId: number }) =>
    sql<{ eligible: number | string; submitted: number | string }>`
    WITH panel AS (
      SELECT judge_id AS id FROM round_panel WHERE round_id = ${$.roundId}
      UNION ALL
      SELECT id FROM judge
       WHERE contest_id = ${$.contestId} AND NOT EXISTS (SELECT 1 FROM round_panel WHERE round_id = ${$.roundId})
    ),
    eligible AS (
      SELECT id FROM panel
       WHERE id NOT IN (SELECT judge_id FROM judge_conflict WHERE project_id = ${$.projectId} AND waived_at IS NULL)
    )
    SELECT
      (SELECT count(*) FROM eligible) AS eligible,
      (SELECT count(DISTINCT judge_id) FROM score_version
        WHERE round_id = ${$.roundId} AND project_id = ${$.projectId} AND judge_id IN (SELECT id FROM eligible)) AS submitted
  `,
);

export async function progressCounts(
  db: Db,
  contestId: number,
  roundId: number,
  projectId: number,
): Promise<{ eligible: number; submitted: number }> {
  const row = await counts.first(db, { contestId, roundId, projectId });
  return { eligible: Number(row?.eligible ?? 0), submitted: Number(row?.submitted ?? 0) };
}

/** What decides whether a judge may write one sheet, and the sheet's latest version number. */
export interface SheetFactsRow {
  /** The round and the project belong to the contest, the project is approved and the judge sits on the round's panel. */
  assigned: boolean;
  /** An active (not waived) conflict between the judge and the project. */
  recused: boolean;
  windowOpen: boolean;
  /** The newest unused unlock of this judge's sheet, if any. */
  unlock: { id: number; reason: string } | null;
  /** 0 when the judge has no sheet yet. */
  latestVersion: number;
}

const truthy = (v: unknown) => v === true || Number(v) > 0;

/**
 * Everything a score write checks about one judge's sheet, in one statement: it runs inside the
 * score transaction of every POST, where each statement is a round trip through Kysely. The panel
 * rule is the one of `panelJudgeIds` and `progressCounts` (the explicit panel, else every judge of
 * the contest); tests/integration/sheet-facts.test.ts holds it to the plain queries.
 */
const facts = prepareQuery((_db: Db, $: { contestId: number; roundId: number; projectId: number; judgeId: number }) =>
  sql<{
    round_ok: unknown;
    project_ok: unknown;
    on_panel: unknown;
    recused: unknown;
    window_open: unknown;
    unlock_id: number | null;
    unlock_reason: string | null;
    latest_version: number | string | null;
  }>`
    SELECT
      EXISTS (SELECT 1 FROM round WHERE id = ${$.roundId} AND contest_id = ${$.contestId}) AS round_ok,
      EXISTS (SELECT 1 FROM project
               WHERE id = ${$.projectId} AND contest_id = ${$.contestId} AND status = 'approved') AS project_ok,
      CASE WHEN EXISTS (SELECT 1 FROM round_panel WHERE round_id = ${$.roundId})
           THEN EXISTS (SELECT 1 FROM round_panel WHERE round_id = ${$.roundId} AND judge_id = ${$.judgeId})
           ELSE EXISTS (SELECT 1 FROM judge WHERE id = ${$.judgeId} AND contest_id = ${$.contestId})
      END AS on_panel,
      EXISTS (SELECT 1 FROM judge_conflict
               WHERE project_id = ${$.projectId} AND judge_id = ${$.judgeId} AND waived_at IS NULL) AS recused,
      EXISTS (SELECT 1 FROM scoring_window
               WHERE round_id = ${$.roundId} AND project_id = ${$.projectId} AND closed_at IS NULL) AS window_open,
      u.id AS unlock_id,
      u.reason AS unlock_reason,
      (SELECT max(version) FROM score_version
        WHERE round_id = ${$.roundId} AND project_id = ${$.projectId} AND judge_id = ${$.judgeId}) AS latest_version
    FROM (SELECT 1 AS one) AS here
    LEFT JOIN score_unlock AS u ON u.id = (
      SELECT max(id) FROM score_unlock
       WHERE round_id = ${$.roundId} AND project_id = ${$.projectId} AND judge_id = ${$.judgeId} AND used_at IS NULL)
  `,
);

export async function sheetFacts(
  db: Db,
  s: { contestId: number; roundId: number; projectId: number; judgeId: number },
): Promise<SheetFactsRow> {
  const r = (await facts.first(db, s))!;
  return {
    assigned: truthy(r.round_ok) && truthy(r.project_ok) && truthy(r.on_panel),
    recused: truthy(r.recused),
    windowOpen: truthy(r.window_open),
    unlock: r.unlock_id === null ? null : { id: Number(r.unlock_id), reason: r.unlock_reason ?? '' },
    latestVersion: Number(r.latest_version ?? 0),
  };
}

export async function markUnlockUsed(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable('score_unlock').set({ used_at: at }).where('id', '=', id).execute();
}

const bySubmissionId = prepareQuery((db: Db, $: { submissionId: string }) =>
  db.selectFrom('score_version').selectAll().where('submission_id', '=', $.submissionId),
);

export function findBySubmissionId(db: Db, submissionId: string): Promise<ScoreVersionRow | undefined> {
  return bySubmissionId.first(db, { submissionId });
}

export async function latestVersion(db: Db, roundId: number, projectId: number, judgeId: number): Promise<number> {
  const row = await db
    .selectFrom('score_version')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('round_id', '=', roundId)
    .where('project_id', '=', projectId)
    .where('judge_id', '=', judgeId)
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

/** Inserts a version; returns its id, or null when the submission id already exists. */
const SCORE_VERSION_COLUMNS = [
  'submission_id',
  'contest_id',
  'round_id',
  'project_id',
  'judge_id',
  'version',
  'marks',
  'comment',
  'interest',
  'payload_hash',
  'actor_kind',
  'actor_id',
  'reason',
  'created_at',
] as const;
const insertVersion = prepareQuery((db: Db, $: Omit<ScoreVersionRow, 'id'>) =>
  db
    .insertInto('score_version')
    .values(placeholdersOf($, SCORE_VERSION_COLUMNS))
    .onConflict((oc) => oc.column('submission_id').doNothing())
    .returning('id'),
);

export async function insertScoreVersion(db: Db, row: Omit<ScoreVersionRow, 'id'>): Promise<number | null> {
  const result = await insertVersion.first(db, row);
  return result?.id ?? null;
}

/** A round's score versions that no newer version of the same sheet (project × judge) supersedes. */
function latestOfRound(db: Db, roundId: number) {
  return db
    .selectFrom('score_version as s')
    .where('s.round_id', '=', roundId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('score_version as newer')
            .select('newer.id')
            .whereRef('newer.round_id', '=', 's.round_id')
            .whereRef('newer.project_id', '=', 's.project_id')
            .whereRef('newer.judge_id', '=', 's.judge_id')
            .whereRef('newer.version', '>', 's.version'),
        ),
      ),
    );
}

/** The current (highest) version of every sheet of a round, optionally for one project or one judge. */
export async function currentSheets(
  db: Db,
  roundId: number,
  only: { projectId?: number; judgeId?: number } = {},
): Promise<ScoreVersionRow[]> {
  let q = latestOfRound(db, roundId).selectAll('s');
  if (only.projectId !== undefined) q = q.where('s.project_id', '=', only.projectId);
  if (only.judgeId !== undefined) q = q.where('s.judge_id', '=', only.judgeId);
  return q.orderBy('s.project_id').orderBy('s.judge_id').execute();
}

const marksOfRound = prepareQuery((db: Db, $: { roundId: number }) =>
  latestOfRound(db, $.roundId)
    .select(['s.project_id', 's.judge_id', 's.version', 's.marks'])
    .orderBy('s.project_id')
    .orderBy('s.judge_id'),
);

/**
 * The same sheets with only what results and progress need: whose, which version, the marks.
 * Recomputed on every score for the leaderboard, where reading every column of every sheet
 * (hashes, comments, timestamps) cost three times the query (~2.7 vs ~0.9 ms for 60 × 11).
 */
export function currentMarks(
  db: Db,
  roundId: number,
): Promise<Pick<ScoreVersionRow, 'project_id' | 'judge_id' | 'version' | 'marks'>[]> {
  return marksOfRound.all(db, { roundId });
}

export function sheetVersions(db: Db, roundId: number, projectId: number, judgeId: number): Promise<ScoreVersionRow[]> {
  return db
    .selectFrom('score_version')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('project_id', '=', projectId)
    .where('judge_id', '=', judgeId)
    .orderBy('version')
    .execute();
}
