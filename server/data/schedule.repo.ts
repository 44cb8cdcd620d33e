/**
 * The roadshow schedule's rows: a round's slot settings (start, changeover, draw per track), the
 * recorded draws (schedule_draw), the running order (running_order: per group, 1-based positions)
 * and manual reorders with their reasons (running_order_change). The stage console reads the
 * running order through stage.repo's roundLineup; this module keeps the rows it relies on whole
 * (a group's positions are always 1..n).
 */
import type { Db } from '../../db/database.js';

export interface ScheduleRound {
  id: number;
  key: string;
  name: { zh: string; en: string };
  kind: 'review' | 'roadshow';
  position: number;
  pitchSeconds: number;
  qaSeconds: number;
  /** Local 'YYYY-MM-DDTHH:MM' or null. */
  scheduleStart: string | null;
  changeoverSeconds: number;
  drawByTrack: boolean;
}

export async function listScheduleRounds(db: Db, contestId: number): Promise<ScheduleRound[]> {
  const rows = await db
    .selectFrom('round')
    .select([
      'id',
      'key',
      'name_zh',
      'name_en',
      'kind',
      'position',
      'pitch_seconds',
      'qa_seconds',
      'schedule_start',
      'changeover_seconds',
      'draw_by_track',
    ])
    .where('contest_id', '=', contestId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    name: { zh: r.name_zh, en: r.name_en },
    kind: r.kind,
    position: r.position,
    pitchSeconds: r.pitch_seconds,
    qaSeconds: r.qa_seconds,
    scheduleStart: r.schedule_start,
    changeoverSeconds: r.changeover_seconds,
    drawByTrack: r.draw_by_track === 1,
  }));
}

export async function updateScheduleSettings(
  db: Db,
  roundId: number,
  s: { scheduleStart: string | null; changeoverSeconds: number; drawByTrack: boolean },
): Promise<void> {
  await db
    .updateTable('round')
    .set({
      schedule_start: s.scheduleStart,
      changeover_seconds: s.changeoverSeconds,
      draw_by_track: s.drawByTrack ? 1 : 0,
    })
    .where('id', '=', roundId)
    .execute();
}

export interface ScheduleProject {
  id: number;
  ref: string;
  title: string;
  institution: string;
  status: string;
  outOfCompetition: boolean;
  trackKey: string;
  trackName: { zh: string; en: string };
  trackPosition: number;
}

/** Every project of a contest with its track, in track then project order. */
export async function listScheduleProjects(db: Db, contestId: number): Promise<ScheduleProject[]> {
  const rows = await db
    .selectFrom('project')
    .innerJoin('track', 'track.id', 'project.track_id')
    .select([
      'project.id',
      'project.ref',
      'project.title',
      'project.institution',
      'project.status',
      'project.out_of_competition',
      'track.key as track_key',
      'track.name_zh',
      'track.name_en',
      'track.position as track_position',
    ])
    .where('project.contest_id', '=', contestId)
    .orderBy('track.position')
    .orderBy('project.position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    ref: r.ref,
    title: r.title,
    institution: r.institution,
    status: r.status,
    outOfCompetition: r.out_of_competition === 1,
    trackKey: r.track_key,
    trackName: { zh: r.name_zh, en: r.name_en },
    trackPosition: r.track_position,
  }));
}

export interface OrderRow {
  projectId: number;
  groupKey: string;
  position: number;
}

export async function listRunningOrder(db: Db, roundId: number): Promise<OrderRow[]> {
  const rows = await db
    .selectFrom('running_order')
    .select(['project_id', 'group_key', 'position'])
    .where('round_id', '=', roundId)
    .orderBy('group_key')
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ projectId: r.project_id, groupKey: r.group_key, position: r.position }));
}

/** Replaces a round's whole running order (a draw). */
export async function replaceRunningOrder(db: Db, roundId: number, rows: OrderRow[]): Promise<void> {
  await db.deleteFrom('running_order').where('round_id', '=', roundId).execute();
  if (!rows.length) return;
  await db
    .insertInto('running_order')
    .values(rows.map((r) => ({ round_id: roundId, project_id: r.projectId, group_key: r.groupKey, position: r.position })))
    .execute();
}

/** Rewrites one group's positions as 1..n in the given order (UNIQUE positions forbid shifting in place). */
export async function replaceGroupOrder(db: Db, roundId: number, groupKey: string, projectIds: number[]): Promise<void> {
  await db.deleteFrom('running_order').where('round_id', '=', roundId).where('group_key', '=', groupKey).execute();
  if (!projectIds.length) return;
  await db
    .insertInto('running_order')
    .values(projectIds.map((id, i) => ({ round_id: roundId, project_id: id, group_key: groupKey, position: i + 1 })))
    .execute();
}

export interface DrawRow {
  id: number;
  groupKey: string;
  seed: string;
  algorithm: string;
  inputRefs: string[];
  resultRefs: string[];
  actorUserId: number | null;
  actorName: string | null;
  createdAt: string;
}

export async function insertDraw(
  db: Db,
  d: {
    roundId: number;
    groupKey: string;
    seed: string;
    algorithm: string;
    inputRefs: string[];
    resultRefs: string[];
    actorUserId: number | null;
  },
  now: string,
): Promise<number> {
  const row = await db
    .insertInto('schedule_draw')
    .values({
      round_id: d.roundId,
      group_key: d.groupKey,
      seed: d.seed,
      algorithm: d.algorithm,
      input_refs: JSON.stringify(d.inputRefs),
      result_refs: JSON.stringify(d.resultRefs),
      actor_user_id: d.actorUserId,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every draw of a round, oldest first. */
export async function listDraws(db: Db, roundId: number): Promise<DrawRow[]> {
  const rows = await db
    .selectFrom('schedule_draw')
    .leftJoin('organizer_user', 'organizer_user.id', 'schedule_draw.actor_user_id')
    .select([
      'schedule_draw.id',
      'schedule_draw.group_key',
      'schedule_draw.seed',
      'schedule_draw.algorithm',
      'schedule_draw.input_refs',
      'schedule_draw.result_refs',
      'schedule_draw.actor_user_id',
      'organizer_user.display_name',
      'schedule_draw.created_at',
    ])
    .where('schedule_draw.round_id', '=', roundId)
    .orderBy('schedule_draw.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    groupKey: r.group_key,
    seed: r.seed,
    algorithm: r.algorithm,
    inputRefs: JSON.parse(r.input_refs) as string[],
    resultRefs: JSON.parse(r.result_refs) as string[],
    actorUserId: r.actor_user_id,
    actorName: r.display_name,
    createdAt: r.created_at,
  }));
}

export interface OrderChangeRow {
  id: number;
  projectId: number;
  fromPosition: number;
  toPosition: number;
  reason: string;
  actorUserId: number | null;
  actorName: string | null;
  createdAt: string;
}

export async function insertOrderChange(
  db: Db,
  c: { roundId: number; projectId: number; fromPosition: number; toPosition: number; reason: string; actorUserId: number | null },
  now: string,
): Promise<number> {
  const row = await db
    .insertInto('running_order_change')
    .values({
      round_id: c.roundId,
      project_id: c.projectId,
      from_position: c.fromPosition,
      to_position: c.toPosition,
      reason: c.reason,
      actor_user_id: c.actorUserId,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listOrderChanges(db: Db, roundId: number): Promise<OrderChangeRow[]> {
  const rows = await db
    .selectFrom('running_order_change')
    .leftJoin('organizer_user', 'organizer_user.id', 'running_order_change.actor_user_id')
    .select([
      'running_order_change.id',
      'running_order_change.project_id',
      'running_order_change.from_position',
      'running_order_change.to_position',
      'running_order_change.reason',
      'running_order_change.actor_user_id',
      'organizer_user.display_name',
      'running_order_change.created_at',
    ])
    .where('running_order_change.round_id', '=', roundId)
    .orderBy('running_order_change.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    fromPosition: r.from_position,
    toPosition: r.to_position,
    reason: r.reason,
    actorUserId: r.actor_user_id,
    actorName: r.display_name,
    createdAt: r.created_at,
  }));
}

/** Redraw reasons by draw id, from the ledger (schedule_draw has no reason column). */
export async function redrawReasons(db: Db, contestId: number): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('ledger_entry')
    .select('payload')
    .where('contest_id', '=', contestId)
    .where('action', '=', 'schedule.redrawn')
    .orderBy('seq')
    .execute();
  const out = new Map<number, string>();
  for (const r of rows) {
    const payload = JSON.parse(r.payload) as { reason?: string; groups?: { drawId?: number }[] };
    for (const g of payload.groups ?? []) if (typeof g.drawId === 'number') out.set(g.drawId, payload.reason ?? '');
  }
  return out;
}
