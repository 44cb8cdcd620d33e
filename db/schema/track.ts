/** track: a 赛道 of a contest, ordered by position. */
import type { Generated } from 'kysely';

export interface TrackTable {
  id: Generated<number>;
  contest_id: number;
  key: string;
  name_zh: string;
  name_en: string;
  description: string;
  position: number;
}
