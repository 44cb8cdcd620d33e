/**
 * The plain, one-fact-per-query computations that the folded statements in score.repo
 * (`progressCounts`, `sheetFacts`) replace; the property tests hold the statements to these.
 * Also the raw score versions and conflicts those tests write (straight into the tables, past the services' checks).
 */
import type { Db } from '../../db/database.js';
import * as scores from '../../server/data/score.repo.js';

/** Judges with an active (not waived) conflict with the project. */
export async function activeRecusals(db: Db, projectId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('judge_conflict')
    .select('judge_id')
    .where('project_id', '=', projectId)
    .where('waived_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.judge_id));
}

/** What `sheetFacts` answers, one query per fact. */
export async function referenceSheetFacts(
  db: Db,
  s: { contestId: number; roundId: number; projectId: number; judgeId: number },
): Promise<scores.SheetFactsRow> {
  const round = await db.selectFrom('round').select('contest_id').where('id', '=', s.roundId).executeTakeFirst();
  const project = await db
    .selectFrom('project')
    .select(['contest_id', 'status'])
    .where('id', '=', s.projectId)
    .executeTakeFirst();
  const panel = await scores.panelJudgeIds(db, s.contestId, s.roundId);
  const window = await db
    .selectFrom('scoring_window')
    .select('id')
    .where('round_id', '=', s.roundId)
    .where('project_id', '=', s.projectId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  const unlock = await db
    .selectFrom('score_unlock')
    .select(['id', 'reason'])
    .where('round_id', '=', s.roundId)
    .where('project_id', '=', s.projectId)
    .where('judge_id', '=', s.judgeId)
    .where('used_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const versions = await db
    .selectFrom('score_version')
    .select('version')
    .where('round_id', '=', s.roundId)
    .where('project_id', '=', s.projectId)
    .where('judge_id', '=', s.judgeId)
    .execute();
  return {
    assigned:
      round?.contest_id === s.contestId &&
      project?.contest_id === s.contestId &&
      project.status === 'approved' &&
      panel.includes(s.judgeId),
    recused: (await activeRecusals(db, s.projectId)).has(s.judgeId),
    windowOpen: !!window,
    unlock: unlock ?? null,
    latestVersion: Math.max(0, ...versions.map((v) => v.version)),
  };
}

let written = 0;
/** Writes one score version directly (empty marks), as the property tests' random worlds need. */
export async function insertRawVersion(
  db: Db,
  v: { contestId: number; roundId: number; projectId: number; judgeId: number; version: number },
): Promise<void> {
  await db
    .insertInto('score_version')
    .values({
      submission_id: `raw-version-${(++written).toString(36).padStart(10, '0')}`,
      contest_id: v.contestId,
      round_id: v.roundId,
      project_id: v.projectId,
      judge_id: v.judgeId,
      version: v.version,
      marks: '{}',
      comment: '',
      interest: '[]',
      reason: '',
      payload_hash: 'x',
      actor_kind: 'judge',
      actor_id: v.judgeId,
      created_at: new Date().toISOString(),
    })
    .execute();
}

/** Writes one manual conflict directly, active or already waived. */
export async function insertRawConflict(
  db: Db,
  c: { judgeId: number; projectId: number; waived: boolean; at: string },
): Promise<void> {
  await db
    .insertInto('judge_conflict')
    .values({
      judge_id: c.judgeId,
      project_id: c.projectId,
      source: 'manual',
      reason: '',
      created_at: c.at,
      waived_at: c.waived ? c.at : null,
    })
    .execute();
}
