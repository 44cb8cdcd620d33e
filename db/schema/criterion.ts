/** criterion: one rubric line of a round; points in integer hundredths, weight in thousandths. */
import type { Generated } from 'kysely';

export interface CriterionTable {
  id: Generated<number>;
  round_id: number;
  key: string;
  name_zh: string;
  name_en: string;
  description: string;
  /** JSON: [{ min, max, label: { zh, en } }] in points */
  levels: string;
  min_centi: number;
  max_centi: number;
  step_centi: number;
  weight_milli: number;
  position: number;
}
