/** judge_conflict: a judge recused from a project (found automatically or added by hand, with a reason). */
import type { Generated } from 'kysely';

export interface JudgeConflictTable {
  id: Generated<number>;
  judge_id: number;
  project_id: number;
  reason: string;
  source: 'auto' | 'manual';
  /** Added in 0002: who added it by hand; a waived conflict was lifted by hand with a reason. */
  created_by: Generated<number | null>;
  waived_at: Generated<string | null>;
  waived_reason: Generated<string>;
  created_at: string;
}
