/**
 * Score facts and writes: the round's rubric ranges, whether a judge sits on a round's panel,
 * active conflicts, open scoring windows and unlocks, and append-only score versions.
 */
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ScoreVersionTable } from '../../db/schema/live.js';
import type { CriterionRange } from '../domain/score-rules.js';

export type ScoreVersionRow = Selectable<ScoreVersionTable>;

export async function criterionRanges(db: Db, roundId: number): Promise<CriterionRange[]> {
  const rows = await db
    .selectFrom('criterion')
    .select(['key', 'min_centi', 'max_centi', 'step_centi'])
    .where('round_id', '=', roundId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ key: r.key, minCenti: r.min_centi, maxCenti: r.max_centi, stepCenti: r.step_centi }));
}

/** Judges on a round's panel: the explicit panel, or every judge of the contest when none is set. */
export async function panelJudgeIds(db: Db, contestId: number, roundId: number): Promise<number[]> {
  const explicit = await db.selectFrom('round_panel').select('judge_id').where('round_id', '=', roundId).execute();
  if (explicit.length) return explicit.map((r) => r.judge_id);
  const all = await db.selectFrom('judge').select('id').where('contest_id', '=', contestId).orderBy('position').execute();
  return all.map((r) => r.id);
}

/**
 * How many judges are eligible for a project (its round's panel minus active recusals) and how
 * many of them hold a sheet for it, in one statement: the stage view pushed after every score
 * needs only these two counts (a sheet exists exactly when a version does; versions are never
 * deleted).
 */
export async function progressCounts(
  db: Db,
  contestId: number,
  roundId: number,
  projectId: number,
): Promise<{ eligible: number; submitted: number }> {
  const { rows } = await sql<{ eligible: number | string; submitted: number | string }>`
    WITH panel AS (
      SELECT judge_id AS id FROM round_panel WHERE round_id = ${roundId}
      UNION ALL
      SELECT id FROM judge
       WHERE contest_id = ${contestId} AND NOT EXISTS (SELECT 1 FROM round_panel WHERE round_id = ${roundId})
    ),
    eligible AS (
      SELECT id FROM panel
       WHERE id NOT IN (SELECT judge_id FROM judge_conflict WHERE project_id = ${projectId} AND waived_at IS NULL)
    )
    SELECT
      (SELECT count(*) FROM eligible) AS eligible,
      (SELECT count(DISTINCT judge_id) FROM score_version
        WHERE round_id = ${roundId} AND project_id = ${projectId} AND judge_id IN (SELECT id FROM eligible)) AS submitted
  `.execute(db);
  const row = rows[0];
  return { eligible: Number(row?.eligible ?? 0), submitted: Number(row?.submitted ?? 0) };
}

export async function recusedJudgeIds(db: Db, projectId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('judge_conflict')
    .select('judge_id')
    .where('project_id', '=', projectId)
    .where('waived_at', 'is', null)
    .execute();
  return rows.map((r) => r.judge_id);
}

export function openWindow(db: Db, roundId: number, projectId: number) {
  return db
    .selectFrom('scoring_window')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('project_id', '=', projectId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
}

export function unusedUnlock(db: Db, roundId: number, projectId: number, judgeId: number) {
  return db
    .selectFrom('score_unlock')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('project_id', '=', projectId)
    .where('judge_id', '=', judgeId)
    .where('used_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function markUnlockUsed(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable('score_unlock').set({ used_at: at }).where('id', '=', id).execute();
}

export function findBySubmissionId(db: Db, submissionId: string): Promise<ScoreVersionRow | undefined> {
  return db.selectFrom('score_version').selectAll().where('submission_id', '=', submissionId).executeTakeFirst();
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
export async function insertScoreVersion(db: Db, row: Omit<ScoreVersionRow, 'id'>): Promise<number | null> {
  const result = await db
    .insertInto('score_version')
    .values(row)
    .onConflict((oc) => oc.column('submission_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return result?.id ?? null;
}

/** The current (highest) version of every sheet of a round, optionally for one project. */
export async function currentSheets(db: Db, roundId: number, projectId?: number): Promise<ScoreVersionRow[]> {
  let q = db
    .selectFrom('score_version as s')
    .selectAll('s')
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
  if (projectId !== undefined) q = q.where('s.project_id', '=', projectId);
  return q.orderBy('s.project_id').orderBy('s.judge_id').execute();
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
