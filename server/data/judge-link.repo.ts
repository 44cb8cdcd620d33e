/** Judge links: one active hashed token per judge; revoked links stay for the record. */
import type { Db } from '../../db/database.js';
import { prepareQuery } from '../../db/prepared-query.js';

export async function revokeActiveLinks(db: Db, judgeId: number, at: string): Promise<number> {
  const result = await db
    .updateTable('judge_link')
    .set({ revoked_at: at })
    .where('judge_id', '=', judgeId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertLink(db: Db, judgeId: number, tokenHash: string, at: string): Promise<number> {
  const row = await db
    .insertInto('judge_link')
    .values({ judge_id: judgeId, token_hash: tokenHash, created_at: at, last_used_at: null, revoked_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The judge behind an active link, with their contest. */
export function findActiveLink(db: Db, tokenHash: string) {
  return db
    .selectFrom('judge_link')
    .innerJoin('judge', 'judge.id', 'judge_link.judge_id')
    .innerJoin('contest', 'contest.id', 'judge.contest_id')
    .select(['judge_link.id as linkId', 'judge.id as judgeId', 'judge.contest_id as contestId', 'contest.slug'])
    .where('judge_link.token_hash', '=', tokenHash)
    .where('judge_link.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchLink(db: Db, linkId: number, at: string): Promise<void> {
  await db.updateTable('judge_link').set({ last_used_at: at }).where('id', '=', linkId).execute();
}

export function linkStatus(db: Db, contestId: number) {
  return db
    .selectFrom('judge')
    .leftJoin('judge_link', (j) => j.onRef('judge_link.judge_id', '=', 'judge.id').on('judge_link.revoked_at', 'is', null))
    .select(['judge.id as judgeId', 'judge_link.created_at as issuedAt', 'judge_link.last_used_at as lastUsedAt'])
    .where('judge.contest_id', '=', contestId)
    .orderBy('judge.position')
    .execute();
}

const activeJudge = prepareQuery((db: Db, $: { judgeId: number; contestId: number }) =>
  db
    .selectFrom('judge')
    .innerJoin('judge_link', 'judge_link.judge_id', 'judge.id')
    .select('judge.id')
    .where('judge.id', '=', $.judgeId)
    .where('judge.contest_id', '=', $.contestId)
    .where('judge_link.revoked_at', 'is', null),
);

export function isActiveJudge(db: Db, judgeId: number, contestId: number) {
  return activeJudge.first(db, { judgeId, contestId });
}

const judgeSeen = prepareQuery((db: Db, $: { judgeId: number; at: string }) =>
  db.updateTable('judge').set({ last_seen_at: $.at }).where('id', '=', $.judgeId),
);

export async function touchJudge(db: Db, judgeId: number, at: string): Promise<void> {
  await judgeSeen.run(db, { judgeId, at });
}
