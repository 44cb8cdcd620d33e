/**
 * Results facts and writes: active conflicts, audience vote counts, head-judge decisions,
 * result locks with their awards and reasoned overrides, and the running order written when
 * advancement is applied. Every function takes a db-or-transaction first; rows stay snake_case
 * here only as far as the results service needs them.
 */
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import { prepareQuery } from '../../db/prepared-query.js';
import type { AwardOverrideTable, HeadJudgeDecisionTable, ResultLockTable } from '../../db/schema/results.js';

export type HeadJudgeDecisionRow = Selectable<HeadJudgeDecisionTable>;
export type ResultLockRow = Selectable<ResultLockTable>;
export type AwardOverrideRow = Selectable<AwardOverrideTable>;

const recusalsOf = prepareQuery((db: Db, $: { contestId: number }) =>
  db
    .selectFrom('judge_conflict')
    .innerJoin('judge', 'judge.id', 'judge_conflict.judge_id')
    .select(['judge_conflict.judge_id', 'judge_conflict.project_id'])
    .where('judge.contest_id', '=', $.contestId)
    .where('judge_conflict.waived_at', 'is', null),
);

/** Active (not waived) conflicts of a contest's judges: the recusals. */
export function activeConflicts(db: Db, contestId: number): Promise<{ judge_id: number; project_id: number }[]> {
  return recusalsOf.all(db, { contestId });
}

const votesOf = prepareQuery((db: Db, $: { roundId: number }) =>
  db
    .selectFrom('audience_vote')
    .select(['project_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('round_id', '=', $.roundId)
    .where('flagged', '=', 0)
    .groupBy('project_id'),
);

/** Unflagged audience votes per project of a round. */
export async function audienceVoteCounts(db: Db, roundId: number): Promise<Map<number, number>> {
  const rows = await votesOf.all(db, { roundId });
  return new Map(rows.map((r) => [r.project_id, Number(r.n)]));
}

const scoredRoundsOf = prepareQuery((db: Db, $: { contestId: number }) =>
  db
    .selectFrom('score_version')
    .select('round_id')
    .distinct()
    .where('contest_id', '=', $.contestId),
);

/** Rounds of a contest that have at least one score version. */
export async function roundsWithScores(db: Db, contestId: number): Promise<number[]> {
  const rows = await scoredRoundsOf.all(db, { contestId });
  return rows.map((r) => r.round_id);
}

export async function roundHasScores(db: Db, roundId: number): Promise<boolean> {
  const row = await db.selectFrom('score_version').select('id').where('round_id', '=', roundId).executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Head-judge decisions

const decisionsOf = prepareQuery((db: Db, $: { roundId: number }) =>
  db
    .selectFrom('head_judge_decision')
    .selectAll()
    .where('round_id', '=', $.roundId)
    .orderBy('id', 'desc'),
);

/** A round's decisions, newest first (the newest decision covering a tie wins). */
export function listDecisions(db: Db, roundId: number): Promise<HeadJudgeDecisionRow[]> {
  return decisionsOf.all(db, { roundId });
}

export async function insertDecision(db: Db, row: Omit<HeadJudgeDecisionRow, 'id'>): Promise<number> {
  const result = await db.insertInto('head_judge_decision').values(row).returning('id').executeTakeFirstOrThrow();
  return result.id;
}

// ---------------------------------------------------------------------------------------------
// Running order (advancement)

export function runningOrder(db: Db, roundId: number) {
  return db
    .selectFrom('running_order')
    .select(['project_id', 'group_key', 'position'])
    .where('round_id', '=', roundId)
    .orderBy('group_key')
    .orderBy('position')
    .execute();
}

/** Replaces a round's running order with the given rows. */
export async function replaceRunningOrder(
  db: Db,
  roundId: number,
  rows: readonly { projectId: number; groupKey: string; position: number }[],
): Promise<void> {
  await db.deleteFrom('running_order').where('round_id', '=', roundId).execute();
  if (rows.length === 0) return;
  await db
    .insertInto('running_order')
    .values(rows.map((r) => ({ round_id: roundId, project_id: r.projectId, group_key: r.groupKey, position: r.position })))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Locks, awards, overrides

export function currentLock(db: Db, contestId: number, roundId: number): Promise<ResultLockRow | undefined> {
  return db
    .selectFrom('result_lock')
    .selectAll()
    .where('contest_id', '=', contestId)
    .where('round_id', '=', roundId)
    .where('superseded_at', 'is', null)
    .executeTakeFirst();
}

/** The contest's current locks, newest first. */
export function currentLocks(db: Db, contestId: number): Promise<ResultLockRow[]> {
  return db
    .selectFrom('result_lock')
    .selectAll()
    .where('contest_id', '=', contestId)
    .where('superseded_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
}

export function supersededLocks(db: Db, contestId: number, roundId: number): Promise<ResultLockRow[]> {
  return db
    .selectFrom('result_lock')
    .selectAll()
    .where('contest_id', '=', contestId)
    .where('round_id', '=', roundId)
    .where('superseded_at', 'is not', null)
    .orderBy('id', 'desc')
    .execute();
}

export async function insertLock(db: Db, row: Omit<ResultLockRow, 'id'>): Promise<number> {
  const result = await db.insertInto('result_lock').values(row).returning('id').executeTakeFirstOrThrow();
  return result.id;
}

export async function setLockLedgerSeq(db: Db, lockId: number, seq: number): Promise<void> {
  await db.updateTable('result_lock').set({ ledger_seq: seq }).where('id', '=', lockId).execute();
}

export async function supersedeLock(db: Db, lockId: number, at: string): Promise<void> {
  await db.updateTable('result_lock').set({ superseded_at: at }).where('id', '=', lockId).execute();
  await db
    .updateTable('award')
    .set({ revoked_at: at })
    .where('result_lock_id', '=', lockId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** How many award rows a contest has ever had (the certificate sequence). */
export async function countAwards(db: Db, contestId: number): Promise<number> {
  const row = await db
    .selectFrom('award')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('contest_id', '=', contestId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether another contest already uses certificate numbers with this prefix. */
export async function certificatePrefixUsedElsewhere(db: Db, contestId: number, prefix: string): Promise<boolean> {
  const row = await db
    .selectFrom('award')
    .select('id')
    .where('contest_id', '!=', contestId)
    .where('certificate_no', 'like', `${prefix}%`)
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewAward {
  contestId: number;
  lockId: number;
  prizeTierId: number;
  projectId: number;
  trackId: number | null;
  rank: number | null;
  scoreText: string;
  certificateNo: string;
  verifyCode: string;
  createdAt: string;
}

export async function insertAward(db: Db, a: NewAward): Promise<number> {
  const row = await db
    .insertInto('award')
    .values({
      contest_id: a.contestId,
      result_lock_id: a.lockId,
      prize_tier_id: a.prizeTierId,
      project_id: a.projectId,
      track_id: a.trackId,
      rank: a.rank,
      score_text: a.scoreText,
      certificate_no: a.certificateNo,
      verify_code: a.verifyCode,
      created_at: a.createdAt,
      revoked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Awards of a lock with their tier, project and track, by tier precedence then rank. */
export function awardsOfLock(db: Db, lockId: number) {
  return db
    .selectFrom('award')
    .innerJoin('prize_tier', 'prize_tier.id', 'award.prize_tier_id')
    .innerJoin('project', 'project.id', 'award.project_id')
    .leftJoin('track', 'track.id', 'award.track_id')
    .select([
      'award.id',
      'award.project_id',
      'award.prize_tier_id',
      'award.track_id',
      'award.rank',
      'award.score_text',
      'award.certificate_no',
      'award.verify_code',
      'award.created_at',
      'award.revoked_at',
      'prize_tier.key as tier_key',
      'prize_tier.name_zh as tier_name_zh',
      'prize_tier.name_en as tier_name_en',
      'prize_tier.precedence',
      'prize_tier.scope',
      'project.ref',
      'project.title',
      'project.institution',
      'project.leader_name',
      'project.members',
      'track.key as track_key',
      'track.name_zh as track_name_zh',
      'track.name_en as track_name_en',
    ])
    .where('award.result_lock_id', '=', lockId)
    .orderBy('prize_tier.precedence')
    .orderBy('prize_tier.position')
    .orderBy('track.position')
    .orderBy('award.rank')
    .orderBy('award.id')
    .execute();
}

export async function setAwardRevoked(db: Db, awardId: number, at: string | null): Promise<void> {
  await db.updateTable('award').set({ revoked_at: at }).where('id', '=', awardId).execute();
}

export async function insertOverride(db: Db, row: Omit<AwardOverrideRow, 'id'>): Promise<number> {
  const result = await db.insertInto('award_override').values(row).returning('id').executeTakeFirstOrThrow();
  return result.id;
}

export function overridesOfLock(db: Db, lockId: number): Promise<AwardOverrideRow[]> {
  return db.selectFrom('award_override').selectAll().where('result_lock_id', '=', lockId).orderBy('id').execute();
}

export function contestRevision(db: Db, contestId: number) {
  return db
    .selectFrom('contest')
    .select(['revision', 'reference_prefix'])
    .where('id', '=', contestId)
    .executeTakeFirstOrThrow();
}
