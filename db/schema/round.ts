/** round: a review or roadshow round, how it combines with earlier rounds and who advances. */
import type { Generated } from 'kysely';

export interface RoundTable {
  id: Generated<number>;
  contest_id: number;
  key: string;
  name_zh: string;
  name_en: string;
  kind: 'review' | 'roadshow';
  position: number;
  pitch_seconds: number;
  qa_seconds: number;
  combine_mode: 'reset' | 'weighted';
  prior_weight_percent: number;
  advancement_mode: 'none' | 'top-n-per-track' | 'top-n-overall';
  advancement_count: number;
  tie_at_cutoff: 'widen' | 'tie-break' | 'head-judge';
  /** Added in 0002: schedule start as local 'YYYY-MM-DDTHH:MM', changeover between pitches, draw per track. */
  schedule_start: Generated<string | null>;
  changeover_seconds: Generated<number>;
  draw_by_track: Generated<number>;
  /** Added in 0003: close scoring this many seconds after every eligible judge has submitted. */
  auto_close_seconds: Generated<number>;
  /** Added in 0005: what the audience sees, the board kept at the freeze, and the audience vote window. */
  release_policy: Generated<'hidden' | 'live' | 'frozen' | 'revealed'>;
  frozen_snapshot: Generated<string | null>;
  frozen_at: Generated<string | null>;
  vote_opened_at: Generated<string | null>;
  vote_closed_at: Generated<string | null>;
  votes_released_at: Generated<string | null>;
}
