/**
 * The audience's stored state: each round's release policy with the board kept at a freeze,
 * the big screen's mode and score-reveal position, and the ceremony position. (Audience votes
 * live in vote.repo.ts.) Rows are mapped to plain objects here; no rules.
 */
import type { Db } from '../../db/database.js';
import { prepareQuery } from '../../db/prepared-query.js';
import type { ReleasePolicy, ScreenMode } from '../domain/release.js';

export interface RoundRelease {
  roundId: number;
  roundKey: string;
  policy: ReleasePolicy;
  /** JSON text of a FrozenBoard, or null. */
  frozenSnapshot: string | null;
  frozenAt: string | null;
}

export interface ScreenStateRow {
  mode: ScreenMode;
  revealProjectId: number | null;
  revealStep: number;
  leaderboardTrack: string | null;
}

export interface CeremonyStateRow {
  resultLockId: number | null;
  step: number;
}

export const DEFAULT_SCREEN: ScreenStateRow = { mode: 'auto', revealProjectId: null, revealStep: 0, leaderboardTrack: null };
export const DEFAULT_CEREMONY: CeremonyStateRow = { resultLockId: null, step: 0 };

/** Every round's release state, in round order. */
export async function roundReleases(db: Db, contestId: number): Promise<RoundRelease[]> {
  const rows = await db
    .selectFrom('round')
    .select(['id', 'key', 'release_policy', 'frozen_snapshot', 'frozen_at'])
    .where('contest_id', '=', contestId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    roundId: r.id,
    roundKey: r.key,
    policy: r.release_policy,
    frozenSnapshot: r.frozen_snapshot,
    frozenAt: r.frozen_at,
  }));
}

const releaseOf = prepareQuery((db: Db, $: { roundId: number }) =>
  db
    .selectFrom('round')
    .select(['id', 'key', 'release_policy', 'frozen_snapshot', 'frozen_at'])
    .where('id', '=', $.roundId),
);

export async function roundRelease(db: Db, roundId: number): Promise<RoundRelease | undefined> {
  const r = await releaseOf.first(db, { roundId });
  return r
    ? { roundId: r.id, roundKey: r.key, policy: r.release_policy, frozenSnapshot: r.frozen_snapshot, frozenAt: r.frozen_at }
    : undefined;
}

export async function setRoundRelease(
  db: Db,
  roundId: number,
  values: { policy: ReleasePolicy; frozenSnapshot: string | null; frozenAt: string | null },
): Promise<void> {
  await db
    .updateTable('round')
    .set({ release_policy: values.policy, frozen_snapshot: values.frozenSnapshot, frozen_at: values.frozenAt })
    .where('id', '=', roundId)
    .execute();
}

const screenRow = prepareQuery((db: Db, $: { contestId: number }) =>
  db.selectFrom('screen_state').selectAll().where('contest_id', '=', $.contestId),
);

export async function screenState(db: Db, contestId: number): Promise<ScreenStateRow> {
  const row = await screenRow.first(db, { contestId });
  return row
    ? {
        mode: row.mode,
        revealProjectId: row.reveal_project_id,
        revealStep: row.reveal_step,
        leaderboardTrack: row.leaderboard_track,
      }
    : { ...DEFAULT_SCREEN };
}

export async function saveScreenState(db: Db, contestId: number, s: ScreenStateRow, now: string): Promise<void> {
  const values = {
    mode: s.mode,
    reveal_project_id: s.revealProjectId,
    reveal_step: s.revealStep,
    leaderboard_track: s.leaderboardTrack,
    updated_at: now,
  };
  await db
    .insertInto('screen_state')
    .values({ contest_id: contestId, ...values })
    .onConflict((oc) => oc.column('contest_id').doUpdateSet(values))
    .execute();
}

export async function ceremonyState(db: Db, contestId: number): Promise<CeremonyStateRow> {
  const row = await db.selectFrom('ceremony_state').selectAll().where('contest_id', '=', contestId).executeTakeFirst();
  return row ? { resultLockId: row.result_lock_id, step: row.step } : { ...DEFAULT_CEREMONY };
}

export async function saveCeremonyState(db: Db, contestId: number, s: CeremonyStateRow, now: string): Promise<void> {
  const values = { result_lock_id: s.resultLockId, step: s.step, updated_at: now };
  await db
    .insertInto('ceremony_state')
    .values({ contest_id: contestId, ...values })
    .onConflict((oc) => oc.column('contest_id').doUpdateSet(values))
    .execute();
}

const teamOf = prepareQuery((db: Db, $: { projectId: number }) =>
  db
    .selectFrom('project')
    .select(['leader_name', 'members'])
    .where('id', '=', $.projectId),
);

/** The on-stage project's team (names only, never contacts). */
export async function projectTeam(
  db: Db,
  projectId: number,
): Promise<{ leaderName: string; members: string[] } | undefined> {
  const row = await teamOf.first(db, { projectId });
  if (!row) return undefined;
  return { leaderName: row.leader_name, members: memberNames(row.members) };
}

function memberNames(json: string): string[] {
  try {
    const parsed = JSON.parse(json) as { name?: unknown }[];
    return parsed.map((m) => (typeof m.name === 'string' ? m.name : '')).filter(Boolean);
  } catch {
    return [];
  }
}
