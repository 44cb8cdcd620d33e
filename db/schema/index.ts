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
import type { ImportBatchTable, ProjectDeckTable, ReviewDecisionTable } from './registration.js';
import type { RunningOrderChangeTable, RunningOrderTable, ScheduleDrawTable } from './schedule.js';
import type { AudienceVoteTable, CeremonyStateTable, ScreenStateTable } from './audience.js';
import type {
  JudgeLinkTable,
  LedgerEntryTable,
  RoundPanelTable,
  ScoreUnlockTable,
  ScoreVersionTable,
  ScoringWindowTable,
  StageStateTable,
} from './live.js';
import type {
  AppealTable,
  AwardOverrideTable,
  AwardTable,
  HeadJudgeDecisionTable,
  ResultLockTable,
} from './results.js';

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
  // 0002
  project_deck: ProjectDeckTable;
  review_decision: ReviewDecisionTable;
  import_batch: ImportBatchTable;
  schedule_draw: ScheduleDrawTable;
  running_order: RunningOrderTable;
  running_order_change: RunningOrderChangeTable;
  // 0003
  judge_link: JudgeLinkTable;
  round_panel: RoundPanelTable;
  stage_state: StageStateTable;
  scoring_window: ScoringWindowTable;
  score_version: ScoreVersionTable;
  score_unlock: ScoreUnlockTable;
  ledger_entry: LedgerEntryTable;
  // 0004
  head_judge_decision: HeadJudgeDecisionTable;
  result_lock: ResultLockTable;
  award: AwardTable;
  award_override: AwardOverrideTable;
  appeal: AppealTable;
  // 0005
  screen_state: ScreenStateTable;
  ceremony_state: CeremonyStateTable;
  audience_vote: AudienceVoteTable;
}

export type { OrganizerRole } from './organizer-user.js';
export type { StagePhase } from './live.js';
