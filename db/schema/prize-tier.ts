/** prize_tier: an award tier with its scope, quota, minimum score (hundredths) and precedence (1 = highest). */
import type { Generated } from 'kysely';

export interface PrizeTierTable {
  id: Generated<number>;
  contest_id: number;
  key: string;
  name_zh: string;
  name_en: string;
  scope: 'overall' | 'track';
  quota_kind: 'count' | 'percent' | 'rest';
  quota: number;
  min_score_centi: number | null;
  precedence: number;
  audience: number;
  position: number;
}
