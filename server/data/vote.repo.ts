/**
 * Audience-vote (人气奖) facts and writes: each round's vote window (opened / closed / released),
 * the ballot's public project facts, votes (one per device per round, UNIQUE(round_id,
 * device_hash)), counts and flags. Every function takes a db-or-transaction first. Only HMACs
 * of devices and addresses are ever stored.
 */
import type { Db } from '../../db/database.js';

export interface VoteRoundRow {
  id: number;
  key: string;
  name_zh: string;
  name_en: string;
  kind: 'review' | 'roadshow';
  position: number;
  vote_opened_at: string | null;
  vote_closed_at: string | null;
  votes_released_at: string | null;
}

const ROUND_COLUMNS = [
  'id',
  'key',
  'name_zh',
  'name_en',
  'kind',
  'position',
  'vote_opened_at',
  'vote_closed_at',
  'votes_released_at',
] as const;

/** A contest's rounds with their vote windows, in order. */
export function voteRounds(db: Db, contestId: number): Promise<VoteRoundRow[]> {
  return db
    .selectFrom('round')
    .select(ROUND_COLUMNS)
    .where('contest_id', '=', contestId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export function voteRound(db: Db, contestId: number, roundId: number): Promise<VoteRoundRow | undefined> {
  return db
    .selectFrom('round')
    .select(ROUND_COLUMNS)
    .where('contest_id', '=', contestId)
    .where('id', '=', roundId)
    .executeTakeFirst();
}

export async function setVoteWindow(
  db: Db,
  roundId: number,
  values: Partial<Pick<VoteRoundRow, 'vote_opened_at' | 'vote_closed_at' | 'votes_released_at'>>,
): Promise<void> {
  await db.updateTable('round').set(values).where('id', '=', roundId).execute();
}

export interface BallotProjectRow {
  id: number;
  ref: string;
  title: string;
  institution: string;
  out_of_competition: number;
  track_key: string;
  track_name_zh: string;
  track_name_en: string;
}

/** Public facts (never contacts) of the given projects. */
export async function ballotProjects(db: Db, projectIds: readonly number[]): Promise<BallotProjectRow[]> {
  if (!projectIds.length) return [];
  return db
    .selectFrom('project')
    .innerJoin('track', 'track.id', 'project.track_id')
    .select([
      'project.id',
      'project.ref',
      'project.title',
      'project.institution',
      'project.out_of_competition',
      'track.key as track_key',
      'track.name_zh as track_name_zh',
      'track.name_en as track_name_en',
    ])
    .where('project.id', 'in', [...projectIds])
    .execute();
}

export interface VoteFactRow {
  id: number;
  project_id: number;
  ip_hash: string;
  flagged: number;
  created_at: string;
}

/** Votes of a round cast at or after `sinceIso` (for the burst rules). */
export function votesSince(db: Db, roundId: number, sinceIso: string): Promise<VoteFactRow[]> {
  return db
    .selectFrom('audience_vote')
    .select(['id', 'project_id', 'ip_hash', 'flagged', 'created_at'])
    .where('round_id', '=', roundId)
    .where('created_at', '>=', sinceIso)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Every vote of a round in the order cast. */
export function allVotes(db: Db, roundId: number): Promise<(VoteFactRow & { device_hash: string })[]> {
  return db
    .selectFrom('audience_vote')
    .select(['id', 'project_id', 'device_hash', 'ip_hash', 'flagged', 'created_at'])
    .where('round_id', '=', roundId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Inserts a vote unless the device already voted in the round; true when it was inserted. */
export async function insertVote(
  db: Db,
  vote: { roundId: number; projectId: number; deviceHash: string; ipHash: string; flagged: boolean; at: string },
): Promise<boolean> {
  const result = await db
    .insertInto('audience_vote')
    .values({
      round_id: vote.roundId,
      project_id: vote.projectId,
      device_hash: vote.deviceHash,
      ip_hash: vote.ipHash,
      flagged: vote.flagged ? 1 : 0,
      created_at: vote.at,
    })
    .onConflict((oc) => oc.columns(['round_id', 'device_hash']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** The project a device voted for in a round, if it did. */
export async function deviceVote(db: Db, roundId: number, deviceHash: string): Promise<number | null> {
  const row = await db
    .selectFrom('audience_vote')
    .select('project_id')
    .where('round_id', '=', roundId)
    .where('device_hash', '=', deviceHash)
    .executeTakeFirst();
  return row?.project_id ?? null;
}

export interface VoteCountRow {
  project_id: number;
  counted: number;
  held: number;
}

/** Votes per project of a round: counted (not flagged) and held (flagged). */
export async function voteCounts(db: Db, roundId: number): Promise<VoteCountRow[]> {
  const rows = await db
    .selectFrom('audience_vote')
    .select((eb) => [
      'project_id',
      eb.fn.sum<number>(eb.case().when('flagged', '=', 0).then(1).else(0).end()).as('counted'),
      eb.fn.sum<number>(eb.case().when('flagged', '=', 1).then(1).else(0).end()).as('held'),
    ])
    .where('round_id', '=', roundId)
    .groupBy('project_id')
    .execute();
  return rows.map((r) => ({ project_id: r.project_id, counted: Number(r.counted), held: Number(r.held) }));
}

/** Sets the flag of the given votes of a round; returns how many changed. */
export async function setFlagged(db: Db, roundId: number, ids: readonly number[], flagged: boolean): Promise<number> {
  let changed = 0;
  // SQLite caps bound parameters; a hall's worth of ids goes in chunks.
  for (let i = 0; i < ids.length; i += 500) {
    const result = await db
      .updateTable('audience_vote')
      .set({ flagged: flagged ? 1 : 0 })
      .where('round_id', '=', roundId)
      .where('id', 'in', ids.slice(i, i + 500))
      .where('flagged', '=', flagged ? 0 : 1)
      .executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  return changed;
}
