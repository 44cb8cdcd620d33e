/**
 * Rows of the public side of results (migration 0004): appeals (申诉), the publication (公示)
 * columns of the contest row (status, published_at, appeal_deadline), and the certificate
 * lookup by verification code behind the public /verify page. No rules here: services decide.
 */
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AppealTable } from '../../db/schema/results.js';
import type { ContestStatus } from '../domain/contest-document.js';

export type AppealRow = Selectable<AppealTable>;
export type AppealStatus = AppealRow['status'];

/** An appeal joined with the reference of the project it names (if any). */
export type AppealWithProject = AppealRow & { project_ref: string | null; project_title: string | null };

export interface NewAppeal {
  contestId: number;
  projectId: number | null;
  reference: string;
  appellantName: string;
  contact: string;
  body: string;
  statusTokenHash: string;
  createdAt: string;
}

/** Inserts an appeal; returns its id, or null when the reference is already taken (retry with another). */
export async function insertAppeal(db: Db, a: NewAppeal): Promise<number | null> {
  const row = await db
    .insertInto('appeal')
    .values({
      contest_id: a.contestId,
      project_id: a.projectId,
      reference: a.reference,
      appellant_name: a.appellantName,
      contact: a.contact,
      body: a.body,
      status_token_hash: a.statusTokenHash,
      answered_by: null,
      answered_at: null,
      created_at: a.createdAt,
    })
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

function withProject(db: Db) {
  return db
    .selectFrom('appeal as a')
    .leftJoin('project as p', 'p.id', 'a.project_id')
    .selectAll('a')
    .select(['p.ref as project_ref', 'p.title as project_title']);
}

/** Every appeal of a contest, newest first. */
export function listAppeals(db: Db, contestId: number): Promise<AppealWithProject[]> {
  return withProject(db).where('a.contest_id', '=', contestId).orderBy('a.id', 'desc').execute();
}

export function findAppeal(db: Db, contestId: number, reference: string): Promise<AppealWithProject | undefined> {
  return withProject(db).where('a.contest_id', '=', contestId).where('a.reference', '=', reference).executeTakeFirst();
}

export function findAppealByTokenHash(db: Db, tokenHash: string): Promise<AppealWithProject | undefined> {
  return withProject(db).where('a.status_token_hash', '=', tokenHash).executeTakeFirst();
}

/** Records the decision on an open appeal; false when it was no longer open (answered meanwhile). */
export async function answerAppeal(
  db: Db,
  id: number,
  answer: { status: 'upheld' | 'rejected'; answer: string; answeredBy: number; answeredAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable('appeal')
    .set({ status: answer.status, answer: answer.answer, answered_by: answer.answeredBy, answered_at: answer.answeredAt })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countAppeals(db: Db, contestId: number): Promise<{ total: number; open: number }> {
  const rows = await db
    .selectFrom('appeal')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('contest_id', '=', contestId)
    .groupBy('status')
    .execute();
  const total = rows.reduce((s, r) => s + Number(r.n), 0);
  const open = Number(rows.find((r) => r.status === 'open')?.n ?? 0);
  return { total, open };
}

/** Sets the publication columns of a contest (the caller bumps the revision in the same transaction). */
export async function setPublication(
  db: Db,
  contestId: number,
  p: { status: ContestStatus; publishedAt: string | null; appealDeadline: string | null; now: string },
): Promise<void> {
  await db
    .updateTable('contest')
    .set({ status: p.status, published_at: p.publishedAt, appeal_deadline: p.appealDeadline, updated_at: p.now })
    .where('id', '=', contestId)
    .execute();
}

/** The id of a contest's project by reference, for an appeal naming it. */
export async function projectIdByRef(db: Db, contestId: number, ref: string): Promise<number | null> {
  const row = await db
    .selectFrom('project')
    .select('id')
    .where('contest_id', '=', contestId)
    .where('ref', '=', ref)
    .executeTakeFirst();
  return row?.id ?? null;
}

export function contestNameById(db: Db, contestId: number) {
  return db
    .selectFrom('contest')
    .select(['slug', 'name_zh', 'name_en'])
    .where('id', '=', contestId)
    .executeTakeFirstOrThrow();
}

/** The award behind a certificate's verification code, with its lock and contest. */
export function awardByVerifyCode(db: Db, verifyCode: string) {
  return db
    .selectFrom('award')
    .innerJoin('result_lock', 'result_lock.id', 'award.result_lock_id')
    .innerJoin('contest', 'contest.id', 'award.contest_id')
    .select([
      'award.id',
      'award.result_lock_id',
      'award.revoked_at',
      'result_lock.round_id',
      'contest.slug',
      'contest.status',
    ])
    .where('award.verify_code', '=', verifyCode)
    .executeTakeFirst();
}
