/** contest: one competition; `revision` is bumped with every change that live views show. */
import type { Generated } from 'kysely';
import type { ContestStatus } from '../../server/domain/contest-document.js';

export interface ContestTable {
  id: Generated<number>;
  slug: string;
  name_zh: string;
  name_en: string;
  theme_zh: string;
  theme_en: string;
  organizer: string;
  venue: string;
  starts_on: string | null;
  ends_on: string | null;
  status: ContestStatus;
  /** JSON: ContestSettings */
  settings: string;
  revision: Generated<number>;
  /** Added in 0002: registration reference numbers `<prefix>-<year>-<seq>` and the closing time. */
  reference_prefix: Generated<string>;
  registration_seq: Generated<number>;
  registration_closes_at: Generated<string | null>;
  /** Added in 0004: when results were published (公示) and until when appeals are accepted. */
  published_at: Generated<string | null>;
  appeal_deadline: Generated<string | null>;
  created_at: string;
  updated_at: string;
}
