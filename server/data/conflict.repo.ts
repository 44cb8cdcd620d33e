/**
 * Conflict-of-interest rows (judge_conflict) with their waiver state, for the conflict matrix and
 * automatic detection. A conflict is never deleted here: lifting one sets waived_at/waived_reason
 * so the row stays on record (the score service ignores waived rows when recusing).
 */
import type { Db } from '../../db/database.js';

export interface ConflictRow {
  id: number;
  judgeId: number;
  projectId: number;
  reason: string;
  source: 'auto' | 'manual';
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  waivedAt: string | null;
  waivedReason: string;
}

function selectConflicts(db: Db) {
  return db
    .selectFrom('judge_conflict')
    .innerJoin('judge', 'judge.id', 'judge_conflict.judge_id')
    .leftJoin('organizer_user', 'organizer_user.id', 'judge_conflict.created_by')
    .select([
      'judge_conflict.id',
      'judge_conflict.judge_id',
      'judge_conflict.project_id',
      'judge_conflict.reason',
      'judge_conflict.source',
      'judge_conflict.created_by',
      'organizer_user.display_name',
      'judge_conflict.created_at',
      'judge_conflict.waived_at',
      'judge_conflict.waived_reason',
    ]);
}

type Selected = Awaited<ReturnType<ReturnType<typeof selectConflicts>['executeTakeFirstOrThrow']>>;

function toConflict(r: Selected): ConflictRow {
  return {
    id: r.id,
    judgeId: r.judge_id,
    projectId: r.project_id,
    reason: r.reason,
    source: r.source,
    createdBy: r.created_by,
    createdByName: r.display_name,
    createdAt: r.created_at,
    waivedAt: r.waived_at,
    waivedReason: r.waived_reason,
  };
}

/** Every conflict of a contest (active and waived), oldest first. */
export async function listConflictRows(db: Db, contestId: number): Promise<ConflictRow[]> {
  const rows = await selectConflicts(db).where('judge.contest_id', '=', contestId).orderBy('judge_conflict.id').execute();
  return rows.map(toConflict);
}

export async function findConflict(db: Db, judgeId: number, projectId: number): Promise<ConflictRow | undefined> {
  const row = await selectConflicts(db)
    .where('judge_conflict.judge_id', '=', judgeId)
    .where('judge_conflict.project_id', '=', projectId)
    .executeTakeFirst();
  return row ? toConflict(row) : undefined;
}

export interface NewConflict {
  judgeId: number;
  projectId: number;
  reason: string;
  source: 'auto' | 'manual';
  createdBy: number | null;
}

/**
 * Inserts conflicts, skipping pairs that already have a row (active or waived, so a waived
 * automatic conflict is never re-added). Returns the ids of the rows actually inserted.
 */
export async function insertConflicts(db: Db, conflicts: NewConflict[], now: string): Promise<number[]> {
  const ids: number[] = [];
  for (const c of conflicts) {
    const row = await db
      .insertInto('judge_conflict')
      .values({
        judge_id: c.judgeId,
        project_id: c.projectId,
        reason: c.reason,
        source: c.source,
        created_by: c.createdBy,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['judge_id', 'project_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) ids.push(row.id);
  }
  return ids;
}

/** Lifts a conflict by hand; the row stays with the time and reason. */
export async function waiveConflict(db: Db, id: number, at: string, reason: string): Promise<void> {
  await db.updateTable('judge_conflict').set({ waived_at: at, waived_reason: reason }).where('id', '=', id).execute();
}

/** Makes a waived conflict active again as a manual one (the earlier state stays in the ledger). */
export async function reinstateConflict(db: Db, id: number, reason: string, createdBy: number | null, now: string) {
  await db
    .updateTable('judge_conflict')
    .set({ reason, source: 'manual', created_by: createdBy, created_at: now, waived_at: null, waived_reason: '' })
    .where('id', '=', id)
    .execute();
}

/** Who waived which conflict, from the ledger (judge_conflict has no waived_by column). */
export async function waiversByConflict(db: Db, contestId: number): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('ledger_entry')
    .leftJoin('organizer_user', (join) =>
      join.onRef('organizer_user.id', '=', 'ledger_entry.actor_id').on('ledger_entry.actor_kind', '=', 'organizer'),
    )
    .select(['ledger_entry.payload', 'organizer_user.display_name'])
    .where('ledger_entry.contest_id', '=', contestId)
    .where('ledger_entry.action', '=', 'conflict.waived')
    .orderBy('ledger_entry.seq')
    .execute();
  const out = new Map<number, string>();
  for (const r of rows) {
    const payload = JSON.parse(r.payload) as { conflictId?: number };
    if (typeof payload.conflictId === 'number') out.set(payload.conflictId, r.display_name ?? '');
  }
  return out;
}
