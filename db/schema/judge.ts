/** judge: a panel member of one contest (at most one head judge per contest). */
import type { Generated } from 'kysely';
import type { JudgeGroup } from '../../server/domain/contest-document.js';

export interface JudgeTable {
  id: Generated<number>;
  contest_id: number;
  key: string;
  name: string;
  title: string;
  institution: string;
  judge_group: JudgeGroup;
  is_head_judge: number;
  email: string;
  phone: string;
  position: number;
  /** Added in 0003. */
  last_seen_at: Generated<string | null>;
}
