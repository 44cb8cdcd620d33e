/**
 * Tables added in 0003 for live judging: judge links, round panels, the stage, scoring windows,
 * append-only score versions, unlocks and the per-contest hash-chained ledger.
 */
import type { Generated } from 'kysely';

export interface JudgeLinkTable {
  id: Generated<number>;
  judge_id: number;
  /** SHA-256 of the ≥128-bit token; the token itself is never stored. */
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Judges on the panel of a round; a round without rows has every judge of the contest. */
export interface RoundPanelTable {
  round_id: number;
  judge_id: number;
}

export type StagePhase = 'idle' | 'presenting' | 'pitch' | 'qa' | 'scoring' | 'closed';

export interface StageStateTable {
  contest_id: number;
  round_id: number | null;
  project_id: number | null;
  phase: StagePhase;
  timer_kind: 'pitch' | 'qa' | null;
  timer_started_at: string | null;
  timer_duration_ms: number | null;
  /** Set while a timer is paused. */
  timer_paused_remaining_ms: number | null;
  auto_close_at: string | null;
  updated_at: string;
}

export interface ScoringWindowTable {
  id: Generated<number>;
  round_id: number;
  project_id: number;
  opened_at: string;
  closed_at: string | null;
  closed_by: 'host' | 'auto' | null;
}

export interface ScoreVersionTable {
  id: Generated<number>;
  /** Client-generated id: the idempotency key of one submission. */
  submission_id: string;
  contest_id: number;
  round_id: number;
  project_id: number;
  judge_id: number;
  version: number;
  /** JSON: { [criterionKey]: integer hundredths } */
  marks: string;
  comment: string;
  /** JSON: ['investment' | 'clinical-pilot' | 'cooperation'] */
  interest: string;
  /** SHA-256 of the canonical payload, to tell a replay from a different payload under the same id. */
  payload_hash: string;
  actor_kind: 'judge' | 'organizer';
  actor_id: number;
  reason: string;
  created_at: string;
}

export interface ScoreUnlockTable {
  id: Generated<number>;
  round_id: number;
  project_id: number;
  judge_id: number;
  actor_kind: 'judge' | 'organizer';
  actor_id: number;
  reason: string;
  created_at: string;
  used_at: string | null;
}

export interface LedgerEntryTable {
  contest_id: number;
  seq: number;
  at: string;
  actor_kind: string;
  actor_id: number | null;
  action: string;
  /** Canonical JSON of the payload. */
  payload: string;
  prev_hash: string;
  hash: string;
}
