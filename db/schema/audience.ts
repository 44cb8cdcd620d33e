/** Tables added in 0005 for the audience: the big screen's mode, the ceremony position, audience votes. */
import type { Generated } from 'kysely';

export type ScreenMode = 'auto' | 'presenting' | 'scoring' | 'reveal' | 'leaderboard' | 'ceremony' | 'idle';

export interface ScreenStateTable {
  contest_id: number;
  /** 'auto' follows the stage; other modes are set by the host. */
  mode: Generated<ScreenMode>;
  reveal_project_id: number | null;
  /** How many judge totals of the score reveal are shown (one by one). */
  reveal_step: Generated<number>;
  leaderboard_track: string | null;
  updated_at: string;
}

export interface CeremonyStateTable {
  contest_id: number;
  result_lock_id: number | null;
  /** How many ceremony steps (lowest tier first) have been revealed. */
  step: Generated<number>;
  updated_at: string;
}

export interface AudienceVoteTable {
  id: Generated<number>;
  round_id: number;
  project_id: number;
  /** HMAC of the signed device cookie: one vote per device per round. */
  device_hash: string;
  /** HMAC of the client address, for burst detection only. */
  ip_hash: string;
  flagged: Generated<number>;
  created_at: string;
}
