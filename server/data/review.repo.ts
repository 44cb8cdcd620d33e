/**
 * Rows for the organizers' review queue, review decisions, registration exports and CSV import
 * batches. Every function takes a db-or-transaction first; rows become camelCase objects here.
 */
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ImportBatchTable, ReviewDecisionTable } from '../../db/schema/registration.js';
import type { ProjectStatus } from '../domain/contest-document.js';

export type ReviewDecision = ReviewDecisionTable['decision'];

export interface QueueFilter {
  trackKey?: string;
  status?: ProjectStatus;
  /** Free text matched against title, institution, leader and ref. */
  q?: string;
}

export interface ReviewRow {
  id: number;
  ref: string;
  title: string;
  trackKey: string;
  trackName: { zh: string; en: string };
  institution: string;
  leader: { name: string; phone: string; email: string };
  members: { name: string; role: string }[];
  stage: string;
  summary: string;
  status: ProjectStatus;
  outOfCompetition: boolean;
  source: 'organizer' | 'registration' | 'import';
  reviewNote: string;
  submittedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `%` and `_` taken literally in a LIKE pattern (escape character `\`). */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function baseQuery(db: Db, contestId: number, filter: QueueFilter) {
  let q = db
    .selectFrom('project')
    .innerJoin('track', 'track.id', 'project.track_id')
    .where('project.contest_id', '=', contestId);
  if (filter.trackKey) q = q.where('track.key', '=', filter.trackKey);
  if (filter.status) q = q.where('project.status', '=', filter.status);
  const text = filter.q?.trim();
  if (text) {
    const p = likePattern(text);
    q = q.where(
      sql<boolean>`(project.title LIKE ${p} ESCAPE '\\' OR project.institution LIKE ${p} ESCAPE '\\'
        OR project.leader_name LIKE ${p} ESCAPE '\\' OR project.ref LIKE ${p} ESCAPE '\\')`,
    );
  }
  return q;
}

type JoinedRow = Awaited<ReturnType<typeof selectRows>>[number];
function selectRows(db: Db, contestId: number, filter: QueueFilter, page?: { offset: number; limit: number }) {
  let q = baseQuery(db, contestId, filter)
    .selectAll('project')
    .select(['track.key as track_key', 'track.name_zh as track_name_zh', 'track.name_en as track_name_en'])
    .orderBy('track.position')
    .orderBy('project.position')
    .orderBy('project.id');
  if (page) q = q.limit(page.limit).offset(page.offset);
  return q.execute();
}

function toReviewRow(r: JoinedRow): ReviewRow {
  return {
    id: r.id,
    ref: r.ref,
    title: r.title,
    trackKey: r.track_key,
    trackName: { zh: r.track_name_zh, en: r.track_name_en },
    institution: r.institution,
    leader: { name: r.leader_name, phone: r.leader_phone, email: r.leader_email },
    members: JSON.parse(r.members) as ReviewRow['members'],
    stage: r.stage,
    summary: r.summary,
    status: r.status,
    outOfCompetition: r.out_of_competition === 1,
    source: r.source,
    reviewNote: r.review_note,
    submittedAt: r.submitted_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** One page of the queue (ordered by track, then project position) and the number of matches. */
export async function listQueue(
  db: Db,
  contestId: number,
  filter: QueueFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: ReviewRow[]; total: number }> {
  const { total } = await baseQuery(db, contestId, filter)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await selectRows(db, contestId, filter, page);
  return { rows: rows.map(toReviewRow), total: Number(total) };
}

/** Every matching project (exports). */
export async function listAll(db: Db, contestId: number, filter: QueueFilter = {}): Promise<ReviewRow[]> {
  return (await selectRows(db, contestId, filter)).map(toReviewRow);
}

export async function findByRef(db: Db, contestId: number, ref: string): Promise<ReviewRow | undefined> {
  const row = await db
    .selectFrom('project')
    .innerJoin('track', 'track.id', 'project.track_id')
    .selectAll('project')
    .select(['track.key as track_key', 'track.name_zh as track_name_zh', 'track.name_en as track_name_en'])
    .where('project.contest_id', '=', contestId)
    .where('project.ref', '=', ref)
    .executeTakeFirst();
  return row ? toReviewRow(row) : undefined;
}

/** Status and id of the given refs of one contest (refs not in the contest are absent). */
export async function statusesByRef(
  db: Db,
  contestId: number,
  refs: readonly string[],
): Promise<{ id: number; ref: string; status: ProjectStatus }[]> {
  if (!refs.length) return [];
  return db
    .selectFrom('project')
    .select(['id', 'ref', 'status'])
    .where('contest_id', '=', contestId)
    .where('ref', 'in', [...refs])
    .execute();
}

export interface TrackCounts {
  trackKey: string;
  trackName: { zh: string; en: string };
  counts: Record<ProjectStatus, number>;
  total: number;
}

/** Projects per track and status, every track of the contest listed (in track order). */
export async function countsByTrack(db: Db, contestId: number): Promise<TrackCounts[]> {
  const tracks = await db
    .selectFrom('track')
    .select(['id', 'key', 'name_zh', 'name_en'])
    .where('contest_id', '=', contestId)
    .orderBy('position')
    .execute();
  const counts = await db
    .selectFrom('project')
    .select(['track_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('contest_id', '=', contestId)
    .groupBy(['track_id', 'status'])
    .execute();
  return tracks.map((t) => {
    const byStatus: Record<ProjectStatus, number> = { submitted: 0, returned: 0, approved: 0, rejected: 0, withdrawn: 0 };
    for (const c of counts) if (c.track_id === t.id) byStatus[c.status] += Number(c.n);
    return {
      trackKey: t.key,
      trackName: { zh: t.name_zh, en: t.name_en },
      counts: byStatus,
      total: Object.values(byStatus).reduce((a, b) => a + b, 0),
    };
  });
}

export async function setReviewStatus(
  db: Db,
  projectId: number,
  status: ProjectStatus,
  reviewNote: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('project')
    .set({ status, review_note: reviewNote, updated_at: now })
    .where('id', '=', projectId)
    .execute();
}

export async function insertDecision(
  db: Db,
  d: { projectId: number; decision: ReviewDecision; reason: string; actorUserId: number | null; at: string },
): Promise<number> {
  const row = await db
    .insertInto('review_decision')
    .values({
      project_id: d.projectId,
      decision: d.decision,
      reason: d.reason,
      actor_user_id: d.actorUserId,
      created_at: d.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface DecisionRow {
  id: number;
  decision: ReviewDecision;
  reason: string;
  actorUserId: number | null;
  actorName: string | null;
  createdAt: string;
}

/** A project's review history, newest first. */
export async function listDecisions(db: Db, projectId: number): Promise<DecisionRow[]> {
  const rows = await db
    .selectFrom('review_decision')
    .leftJoin('organizer_user', 'organizer_user.id', 'review_decision.actor_user_id')
    .select([
      'review_decision.id',
      'review_decision.decision',
      'review_decision.reason',
      'review_decision.actor_user_id',
      'review_decision.created_at',
      'organizer_user.display_name',
    ])
    .where('review_decision.project_id', '=', projectId)
    .orderBy('review_decision.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    decision: r.decision,
    reason: r.reason,
    actorUserId: r.actor_user_id,
    actorName: r.display_name,
    createdAt: r.created_at,
  }));
}

// ---- imports

export type ImportBatchRow = Selectable<ImportBatchTable>;

export async function insertImportBatch(
  db: Db,
  b: Omit<ImportBatchRow, 'id' | 'confirmed_at' | 'kind'>,
): Promise<number> {
  const row = await db
    .insertInto('import_batch')
    .values({ ...b, kind: 'projects' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findImportBatch(db: Db, contestId: number, id: number): Promise<ImportBatchRow | undefined> {
  return db
    .selectFrom('import_batch')
    .selectAll()
    .where('contest_id', '=', contestId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listImportBatches(db: Db, contestId: number, limit = 20) {
  return db
    .selectFrom('import_batch')
    .leftJoin('organizer_user', 'organizer_user.id', 'import_batch.created_by')
    .select([
      'import_batch.id',
      'import_batch.file_name',
      'import_batch.encoding',
      'import_batch.row_count',
      'import_batch.created_at',
      'import_batch.confirmed_at',
      'organizer_user.display_name',
    ])
    .where('import_batch.contest_id', '=', contestId)
    .orderBy('import_batch.id', 'desc')
    .limit(limit)
    .execute();
}

/** Marks a batch confirmed unless it already is; false when another confirmation won. */
export async function markBatchConfirmed(db: Db, id: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('import_batch')
    .set({ confirmed_at: now })
    .where('id', '=', id)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The reference settings of a contest and its current revision. */
export function referenceState(db: Db, contestId: number) {
  return db
    .selectFrom('contest')
    .select(['reference_prefix', 'registration_seq', 'revision', 'starts_on'])
    .where('id', '=', contestId)
    .executeTakeFirstOrThrow();
}

/** Raises registration_seq to `seq` (never lowers it). */
export async function raiseRegistrationSeq(db: Db, contestId: number, seq: number): Promise<void> {
  await db
    .updateTable('contest')
    .set((eb) => ({
      registration_seq: eb.fn<number>('max', [eb.ref('registration_seq'), eb.val(seq)]),
    }))
    .where('id', '=', contestId)
    .execute();
}

/** Marks freshly inserted projects as imported, submitted at `now`. */
export async function markImported(db: Db, projectIds: readonly number[], now: string): Promise<void> {
  if (!projectIds.length) return;
  await db
    .updateTable('project')
    .set({ source: 'import', submitted_at: now })
    .where('id', 'in', [...projectIds])
    .execute();
}
