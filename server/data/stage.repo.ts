/** The stored stage of a contest and its scoring windows. */
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import { prepareQuery } from '../../db/prepared-query.js';
import type { StageStateTable } from '../../db/schema/live.js';
import type { Stage } from '../domain/stage.js';
import { IDLE } from '../domain/stage.js';

export type StageRow = Selectable<StageStateTable>;

/**
 * Everything the stage view reads, in one statement: the contest (by slug) with its revision, its
 * stage row, and the called round's and project's facts, null when none is called (the view goes
 * out after every score).
 */
const viewFacts = prepareQuery((db: Db, $: { slug: string }) =>
  db
    .selectFrom('contest as c')
    .leftJoin('stage_state as s', 's.contest_id', 'c.id')
    .leftJoin('round as r', 'r.id', 's.round_id')
    .leftJoin('project as p', 'p.id', 's.project_id')
    .leftJoin('track as t', 't.id', 'p.track_id')
    .select([
      'c.id as contestId',
      'c.revision',
      's.contest_id',
      's.round_id',
      's.project_id',
      's.phase',
      's.timer_kind',
      's.timer_started_at',
      's.timer_duration_ms',
      's.timer_paused_remaining_ms',
      's.auto_close_at',
      's.updated_at',
      'r.id as roundId',
      'r.key as roundKey',
      'r.name_zh as roundNameZh',
      'r.name_en as roundNameEn',
      'r.pitch_seconds',
      'r.qa_seconds',
      'p.id as projectId',
      'p.ref',
      'p.title',
      'p.institution',
      'p.out_of_competition',
      't.key as trackKey',
      't.name_zh as trackNameZh',
      't.name_en as trackNameEn',
    ])
    .where('c.slug', '=', $.slug),
);

export async function stageViewFacts(db: Db, slug: string) {
  const r = await viewFacts.first(db, { slug });
  if (!r) return undefined;
  const stage: StageRow | undefined =
    r.contest_id !== null && r.phase !== null && r.updated_at !== null
      ? {
          contest_id: r.contest_id,
          round_id: r.round_id,
          project_id: r.project_id,
          phase: r.phase,
          timer_kind: r.timer_kind,
          timer_started_at: r.timer_started_at,
          timer_duration_ms: r.timer_duration_ms,
          timer_paused_remaining_ms: r.timer_paused_remaining_ms,
          auto_close_at: r.auto_close_at,
          updated_at: r.updated_at,
        }
      : undefined;
  return {
    contestId: r.contestId,
    revision: r.revision,
    stage,
    // A joined row's NOT NULL columns are present whenever its id is.
    round:
      r.roundId !== null
        ? {
            id: r.roundId,
            key: r.roundKey!,
            name: { zh: r.roundNameZh!, en: r.roundNameEn! },
            pitchSeconds: r.pitch_seconds!,
            qaSeconds: r.qa_seconds!,
          }
        : null,
    project:
      r.projectId !== null && r.trackKey !== null
        ? {
            id: r.projectId,
            ref: r.ref!,
            title: r.title!,
            institution: r.institution!,
            track: { key: r.trackKey, name: { zh: r.trackNameZh!, en: r.trackNameEn! } },
            outOfCompetition: r.out_of_competition === 1,
          }
        : null,
  };
}

export function stageFromRow(row: StageRow | undefined): Stage {
  if (!row) return IDLE;
  return {
    phase: row.phase,
    roundId: row.round_id,
    projectId: row.project_id,
    timer:
      row.timer_kind && row.timer_duration_ms !== null
        ? {
            kind: row.timer_kind,
            durationMs: row.timer_duration_ms,
            startedAt: row.timer_started_at ? Date.parse(row.timer_started_at) : null,
            pausedRemainingMs: row.timer_paused_remaining_ms,
          }
        : null,
  };
}

const stageRow = prepareQuery((db: Db, $: { contestId: number }) =>
  db.selectFrom('stage_state').selectAll().where('contest_id', '=', $.contestId),
);

export function getStageRow(db: Db, contestId: number): Promise<StageRow | undefined> {
  return stageRow.first(db, { contestId });
}

export async function saveStage(db: Db, contestId: number, stage: Stage, autoCloseAt: string | null, now: string): Promise<void> {
  const values = {
    round_id: stage.roundId,
    project_id: stage.projectId,
    phase: stage.phase,
    timer_kind: stage.timer?.kind ?? null,
    timer_started_at:
      typeof stage.timer?.startedAt === 'number' ? new Date(stage.timer.startedAt).toISOString() : null,
    timer_duration_ms: stage.timer?.durationMs ?? null,
    timer_paused_remaining_ms: stage.timer?.pausedRemainingMs ?? null,
    auto_close_at: autoCloseAt,
    updated_at: now,
  };
  await db
    .insertInto('stage_state')
    .values({ contest_id: contestId, ...values })
    .onConflict((oc) => oc.column('contest_id').doUpdateSet(values))
    .execute();
}

export async function setAutoCloseAt(db: Db, contestId: number, at: string | null): Promise<void> {
  await db.updateTable('stage_state').set({ auto_close_at: at }).where('contest_id', '=', contestId).execute();
}

export async function insertWindow(db: Db, roundId: number, projectId: number, at: string): Promise<number> {
  const row = await db
    .insertInto('scoring_window')
    .values({ round_id: roundId, project_id: projectId, opened_at: at, closed_at: null, closed_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function closeWindows(db: Db, roundId: number, projectId: number, at: string, by: 'host' | 'auto'): Promise<number> {
  const result = await db
    .updateTable('scoring_window')
    .set({ closed_at: at, closed_by: by })
    .where('round_id', '=', roundId)
    .where('project_id', '=', projectId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Stages with a pending automatic close (re-armed after a restart). */
export function pendingAutoCloses(db: Db) {
  return db
    .selectFrom('stage_state')
    .innerJoin('contest', 'contest.id', 'stage_state.contest_id')
    .select(['stage_state.contest_id', 'contest.slug', 'stage_state.auto_close_at'])
    .where('stage_state.auto_close_at', 'is not', null)
    .where('stage_state.phase', '=', 'scoring')
    .execute();
}

const drawnLineup = prepareQuery((db: Db, $: { contestId: number; roundId: number }) =>
  db
    .selectFrom('running_order')
    .innerJoin('track', (join) =>
      join.on('track.contest_id', '=', $.contestId).onRef('track.key', '=', 'running_order.group_key'),
    )
    .select('running_order.project_id')
    .where('running_order.round_id', '=', $.roundId)
    .orderBy('track.position')
    .orderBy('running_order.position'),
);
const wholeLineup = prepareQuery((db: Db, $: { roundId: number }) =>
  db
    .selectFrom('running_order')
    .select('project_id')
    .where('round_id', '=', $.roundId)
    .orderBy('group_key')
    .orderBy('position'),
);
const approvedLineup = prepareQuery((db: Db, $: { contestId: number }) =>
  db
    .selectFrom('project')
    .innerJoin('track', 'track.id', 'project.track_id')
    .select('project.id')
    .where('project.contest_id', '=', $.contestId)
    .where('project.status', '=', 'approved')
    .orderBy('track.position')
    .orderBy('project.position'),
);

/** The running order of a round, or (before any draw) the approved projects in configured order. */
export async function roundLineup(db: Db, contestId: number, roundId: number): Promise<number[]> {
  const drawn = await drawnLineup.all(db, { contestId, roundId });
  if (drawn.length) return drawn.map((r) => r.project_id);
  const whole = await wholeLineup.all(db, { roundId });
  if (whole.length) return whole.map((r) => r.project_id);
  const approved = await approvedLineup.all(db, { contestId });
  return approved.map((r) => r.id);
}
