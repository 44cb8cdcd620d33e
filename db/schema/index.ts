/**
 * The whole database as one Kysely type, composed from one table type per file.
 * Later migrations add tables here as they add them to the database.
 */
import type { ApiTokenTable } from './api-token.js';
import type { ContestTable } from './contest.js';
import type { CriterionTable } from './criterion.js';
import type { JudgeConflictTable } from './judge-conflict.js';
import type { JudgeTable } from './judge.js';
import type { OrganizerUserTable } from './organizer-user.js';
import type { PrizeTierTable } from './prize-tier.js';
import type { ProjectTable } from './project.js';
import type { RoundTable } from './round.js';
import type { ScoringRuleTable } from './scoring-rule.js';
import type { SessionTable } from './session.js';
import type { TrackTable } from './track.js';

export interface Database {
  organizer_user: OrganizerUserTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  contest: ContestTable;
  track: TrackTable;
  round: RoundTable;
  scoring_rule: ScoringRuleTable;
  criterion: CriterionTable;
  prize_tier: PrizeTierTable;
  judge: JudgeTable;
  judge_conflict: JudgeConflictTable;
  project: ProjectTable;
}

export type { OrganizerRole } from './organizer-user.js';
