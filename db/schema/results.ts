/** Tables added in 0004 for results: head-judge decisions, locked results, awards, overrides, appeals. */
import type { Generated } from 'kysely';

export interface HeadJudgeDecisionTable {
  id: Generated<number>;
  contest_id: number;
  round_id: number;
  kind: 'tie-break' | 'cutoff';
  /** Track key, tier key or '' for overall: what the decision orders. */
  scope_key: string;
  /** JSON: project ids, best first. */
  project_order: string;
  reason: string;
  actor_kind: 'judge' | 'organizer';
  actor_id: number;
  created_at: string;
}

export interface ResultLockTable {
  id: Generated<number>;
  contest_id: number;
  round_id: number;
  /** JSON: the full computed results and allocations at lock time. */
  snapshot: string;
  ledger_seq: number;
  locked_by: number | null;
  locked_at: string;
  superseded_at: string | null;
}

export interface AwardTable {
  id: Generated<number>;
  contest_id: number;
  result_lock_id: number;
  prize_tier_id: number;
  project_id: number;
  track_id: number | null;
  rank: number | null;
  /** The displayed score at lock time (e.g. "89.83"). */
  score_text: string;
  certificate_no: string;
  /** Public verification code in the certificate's QR link. */
  verify_code: string;
  created_at: string;
  revoked_at: string | null;
}

export interface AwardOverrideTable {
  id: Generated<number>;
  contest_id: number;
  result_lock_id: number;
  /** JSON: what changed (e.g. { add | remove: { tierKey, projectRef } }). */
  change: string;
  reason: string;
  actor_user_id: number | null;
  created_at: string;
}

export interface AppealTable {
  id: Generated<number>;
  contest_id: number;
  project_id: number | null;
  reference: string;
  appellant_name: string;
  contact: string;
  body: string;
  status: Generated<'open' | 'upheld' | 'rejected' | 'withdrawn'>;
  answer: Generated<string>;
  answered_by: number | null;
  answered_at: string | null;
  status_token_hash: string;
  created_at: string;
}
