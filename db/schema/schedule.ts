/** Tables added in 0002 for the roadshow schedule: recorded draws, the running order, reorders with reasons. */
import type { Generated } from 'kysely';

export interface ScheduleDrawTable {
  id: Generated<number>;
  round_id: number;
  /** Track key when drawing per track, or '*' for one draw over the round. */
  group_key: string;
  seed: string;
  algorithm: string;
  /** JSON: project refs in canonical (sorted) order. */
  input_refs: string;
  /** JSON: project refs in drawn order. */
  result_refs: string;
  actor_user_id: number | null;
  created_at: string;
}

export interface RunningOrderTable {
  round_id: number;
  project_id: number;
  group_key: string;
  position: number;
}

export interface RunningOrderChangeTable {
  id: Generated<number>;
  round_id: number;
  project_id: number;
  from_position: number;
  to_position: number;
  reason: string;
  actor_user_id: number | null;
  created_at: string;
}
