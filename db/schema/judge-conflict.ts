/** judge_conflict: a judge recused from a project (found automatically or added by hand, with a reason). */
import type { Generated } from 'kysely';

export interface JudgeConflictTable {
  id: Generated<number>;
  judge_id: number;
  project_id: number;
  reason: string;
  source: 'auto' | 'manual';
  created_at: string;
}
