/**
 * The JSON-safe shapes the results service returns: a round's computed results with the
 * per-project explanation, the awards dry run, and a locked result set with its awards.
 * Certificates, exports, the results package and the public 公示 pages build on these types,
 * so they are kept stable: fields may be added, never renamed or removed.
 *
 * Every score is a string: `exact` is the exact fraction "num/den" (or an integer "90"),
 * `display` the value rounded half-up to the round's decimals ("89.83"). No floats.
 *
 * Types only: no runtime code, no imports beyond types.
 */
import type { JudgeGroup } from '../domain/contest-document.js';

/** A name in both languages (en may be ''). */
export interface LocalizedText {
  readonly zh: string;
  readonly en: string;
}

export type ScoringMethod = 'mean' | 'trimmed-mean';

/** How a judge stands on a project: from the aggregate (see domain/scoring/aggregate.ts). */
export type JudgeStatus = 'scored' | 'missing' | 'incomplete' | 'recused' | 'not-assigned';

export interface ResultsRoundInfo {
  readonly id: number;
  readonly key: string;
  readonly name: LocalizedText;
  readonly decimals: number;
  readonly method: ScoringMethod;
  /** Judge totals dropped from each end (0 for 'mean'). */
  readonly trim: number;
  readonly minJudgesForTrim: number;
  readonly missingScore: 'exclude' | 'mean-of-given';
  readonly normalization: 'none' | 'z-score';
  readonly combine: { readonly mode: 'reset' | 'weighted'; readonly priorWeightPercent: number };
  /** Key of the prior round whose results are carried over (weighted mode), else null. */
  readonly priorRoundKey: string | null;
  /** Tie-break chain, e.g. ['untrimmed-mean', 'criterion:innovation', 'head-judge']. */
  readonly tieBreaks: readonly string[];
  /** Index of the round in the contest (0-based) and whether it is the last roadshow round. */
  readonly position: number;
  readonly isAwardRound: boolean;
}

export interface ResultsJudgeLine {
  readonly judgeKey: string;
  readonly name: string;
  readonly group: JudgeGroup;
  readonly isHeadJudge: boolean;
  /** The judge's sheet total, e.g. "88.50"; null when not scored. */
  readonly total: string | null;
  /** Exact sheet total "num/den"; null when not scored. */
  readonly totalExact: string | null;
  /** The value entering the aggregate (normalized, or the substitute for a missing score). */
  readonly value: string | null;
  readonly dropped: 'low' | 'high' | null;
  readonly status: JudgeStatus;
  /** Whether the value takes part in the aggregate (kept or dropped by the trim). */
  readonly counted: boolean;
  /** The value is the mean of the given totals substituted for a missing score. */
  readonly replaced: boolean;
  readonly normalized: boolean;
  /** Criterion marks in points ("18.50") by criterion key; {} when not scored. */
  readonly marks: Readonly<Record<string, string>>;
}

export interface ResultsCriterion {
  readonly key: string;
  readonly name: LocalizedText;
  readonly max: string;
  readonly weight: string;
}

export interface ResultsMember {
  readonly name: string;
  readonly role: string;
}

export interface ResultsProject {
  readonly projectId: number;
  readonly ref: string;
  readonly title: string;
  readonly institution: string;
  readonly track: { readonly key: string; readonly name: LocalizedText };
  /** 打星: ranked and shown, never takes a quota place. */
  readonly outOfCompetition: boolean;
  readonly members: readonly ResultsMember[];
  readonly leaderName: string;
  /** Exact final score as a fraction text, e.g. "539/6"; null = not scored. */
  readonly exact: string | null;
  /** Displayed final score, e.g. "89.83"; null = not scored. */
  readonly display: string | null;
  /** This round's own score (before carry-over) and the prior round's, displayed. */
  readonly roundDisplay: string | null;
  readonly priorDisplay: string | null;
  /** Overall standard competition rank (打星 included); null = unscored. */
  readonly rank: number | null;
  /** Overall rank among competing projects only; null for 打星/unscored. */
  readonly competitionRank: number | null;
  /** The same two ranks within the project's track. */
  readonly trackRank: number | null;
  readonly trackCompetitionRank: number | null;
  /** Refs sharing the overall rank after the whole tie-break chain. */
  readonly tiedWith: readonly string[];
  /** What separated the project from its neighbours: 'score' or a tie-break kind. */
  readonly separatedBy: string | null;
  readonly decisionReason: string | null;
  readonly needsDecision: boolean;
  /** Judges whose sheets count / judges eligible (not recused, assigned). */
  readonly judgesScored: number;
  readonly judgesEligible: number;
  readonly judges: readonly ResultsJudgeLine[];
  /** Mean raw mark per criterion key in points (displayed); null when nobody marked it. */
  readonly criterionMeans: Readonly<Record<string, string | null>>;
  /** Human-readable trace, e.g. "trimmed mean, drop 1 high + 1 low of 5: (…) / 3 = 89.83". */
  readonly formula: string;
  readonly trimApplied: boolean;
  readonly trimSkipped: 'too-few-judges' | null;
  readonly combineStatus: 'current-only' | 'combined' | 'missing-prior' | 'not-scored';
  /** Notes as stable codes: 'substituted', 'normalized', 'judge-left-raw', 'trim-skipped', 'missing-prior', 'recused'. */
  readonly notes: readonly string[];
}

export interface RankingRow {
  readonly ref: string;
  readonly rank: number | null;
  readonly competitionRank: number | null;
  readonly display: string | null;
  readonly outOfCompetition: boolean;
  readonly tiedWith: readonly string[];
  readonly separatedBy: string | null;
  readonly decisionReason: string | null;
  readonly needsDecision: boolean;
}

export interface TrackRanking {
  readonly trackKey: string;
  readonly trackName: LocalizedText;
  readonly rows: readonly RankingRow[];
}

export interface ResultsTie {
  /** 'overall' or a track key. */
  readonly scope: string;
  readonly refs: readonly string[];
  readonly rank: number;
  readonly needsDecision: boolean;
}

export interface HeadJudgeDecisionView {
  readonly id: number;
  readonly kind: 'tie-break' | 'cutoff';
  /** Track key, tier key or '' for overall. */
  readonly scopeKey: string;
  readonly refs: readonly string[];
  readonly reason: string;
  readonly actorKind: 'judge' | 'organizer';
  readonly actorName: string;
  readonly createdAt: string;
}

export interface AdvancementPreview {
  readonly mode: 'none' | 'top-n-per-track' | 'top-n-overall';
  readonly count: number;
  readonly tieAtCutoff: 'widen' | 'tie-break' | 'head-judge';
  readonly nextRound: { readonly id: number; readonly key: string; readonly name: LocalizedText } | null;
  readonly groups: readonly {
    readonly scope: string;
    readonly places: number;
    readonly selected: readonly string[];
    readonly pending: readonly string[];
    readonly widened: boolean;
    readonly outOfCompetitionWouldAdvance: readonly string[];
  }[];
  /** Advancing refs in the order they would be placed in the next round's running order. */
  readonly advanced: readonly string[];
  readonly decisionsNeeded: readonly {
    readonly scope: string;
    readonly refs: readonly string[];
    readonly places: number;
  }[];
  /** Whether the next round's running order already equals `advanced` (applied). */
  readonly applied: boolean;
}

export interface RankingComparisonRow {
  readonly ref: string;
  readonly trackKey: string;
  readonly outOfCompetition: boolean;
  readonly mean: { readonly display: string | null; readonly rank: number | null };
  readonly trimmed: { readonly display: string | null; readonly rank: number | null };
  readonly normalized: { readonly display: string | null; readonly rank: number | null };
  /** Outcome under each method: award tier key, 'advance', or null (none). */
  readonly tierMean: string | null;
  readonly tierTrimmed: string | null;
  readonly tierNormalized: string | null;
}

export type ComparisonMethod = 'mean' | 'trimmed' | 'normalized';

export interface RankingComparison {
  /** The method the round is configured with (its results are the official ones). */
  readonly official: ComparisonMethod;
  /** What the tier columns hold: award tier keys (award round), 'advance' (advancement), or nothing. */
  readonly outcome: 'awards' | 'advancement' | 'none';
  /** The rule each method applies, e.g. "trimmed mean, drop 1 + 1 (n ≥ 5)". */
  readonly methods: Readonly<Record<ComparisonMethod, string>>;
  readonly rows: readonly RankingComparisonRow[];
  /** Whether any award (tier boundary) differs between the methods. */
  readonly prizeChanges: boolean;
  readonly changedRefs: readonly string[];
  /** Judges left raw by normalization, with the reason. */
  readonly judgesLeftRaw: readonly { readonly judgeKey: string; readonly reason: string }[];
}

export interface RoundResults {
  readonly contest: { readonly id: number; readonly slug: string; readonly name: LocalizedText };
  readonly round: ResultsRoundInfo;
  readonly criteria: readonly ResultsCriterion[];
  /** ISO timestamp of the computation. */
  readonly computedAt: string;
  /** The contest revision the results were computed at. */
  readonly revision: number;
  /** The ledger head (seq and hash) at computation time; null for an empty ledger. */
  readonly ledgerHead: { readonly seq: number; readonly hash: string } | null;
  /** In overall ranking order (unscored last). */
  readonly projects: readonly ResultsProject[];
  readonly rankings: { readonly overall: readonly RankingRow[]; readonly tracks: readonly TrackRanking[] };
  readonly ties: readonly ResultsTie[];
  readonly decisions: readonly HeadJudgeDecisionView[];
  readonly warnings: readonly {
    readonly code: string;
    readonly judgeKey?: string;
    readonly projectRef?: string;
    readonly detail?: string;
  }[];
  readonly judgeCount: number;
}

export interface AwardAllocationView {
  readonly tierKey: string;
  readonly tierName: LocalizedText;
  /** 'overall' or 'track'. */
  readonly scope: 'overall' | 'track';
  readonly trackKey: string | null;
  readonly projectRef: string;
  readonly projectId: number;
  readonly title: string;
  readonly institution: string;
  /** Competition rank in the scope; null when unscored (audience tiers). */
  readonly rank: number | null;
  readonly display: string | null;
  readonly votes: number | null;
  readonly tiedAtCutoff: boolean;
  readonly decisionReason: string | null;
}

export interface AwardsDryRun {
  readonly contest: { readonly slug: string; readonly name: LocalizedText };
  readonly round: { readonly id: number; readonly key: string; readonly name: LocalizedText };
  readonly computedAt: string;
  readonly revision: number;
  readonly allocations: readonly AwardAllocationView[];
  /** Per tier and scope: places, filled, provisional. */
  readonly tiers: readonly {
    readonly tierKey: string;
    readonly tierName: LocalizedText;
    readonly scope: string;
    readonly places: number | null;
    readonly filled: number;
    readonly provisional: boolean;
  }[];
  readonly decisionsNeeded: readonly {
    readonly tierKey: string;
    readonly scope: string;
    readonly refs: readonly string[];
    readonly places: number;
  }[];
  readonly warnings: readonly {
    readonly code: string;
    readonly tierKey: string;
    readonly scope?: string;
    readonly refs?: readonly string[];
  }[];
  /** 打星 projects with the rank they would have and the tier they would qualify for. */
  readonly outOfCompetition: readonly {
    readonly ref: string;
    readonly display: string;
    readonly wouldRankOverall: number | null;
    readonly wouldRankInTrack: number | null;
    readonly wouldQualifyFor: string | null;
  }[];
  /** True when there are no decisions needed (the dry run can be locked). */
  readonly lockable: boolean;
}

export interface LockedAward {
  readonly id: number;
  readonly tierKey: string;
  readonly tierName: LocalizedText;
  readonly precedence: number;
  readonly scope: 'overall' | 'track';
  readonly trackKey: string | null;
  readonly trackName: LocalizedText | null;
  readonly projectId: number;
  readonly projectRef: string;
  readonly title: string;
  readonly institution: string;
  readonly leaderName: string;
  readonly members: readonly ResultsMember[];
  readonly rank: number | null;
  /** Displayed score at lock time. */
  readonly scoreText: string;
  /** e.g. "BJMT-2024-001". */
  readonly certificateNo: string;
  /** Public verification code (base32, ≥ 80 bits). */
  readonly verifyCode: string;
  readonly createdAt: string;
  /** Set when removed by an override; revoked awards stay listed. */
  readonly revokedAt: string | null;
}

export interface AwardOverrideView {
  readonly id: number;
  readonly change: {
    readonly action: 'add' | 'remove';
    readonly tierKey: string;
    readonly projectRef: string;
    readonly certificateNo?: string;
  };
  readonly reason: string;
  readonly actorUserId: number | null;
  readonly createdAt: string;
}

export interface LockedResults {
  readonly lockId: number;
  readonly contestId: number;
  readonly contestSlug: string;
  readonly roundId: number;
  readonly roundKey: string;
  readonly lockedAt: string;
  readonly lockedBy: number | null;
  /** Ledger seq of the 'results.locked' entry. */
  readonly ledgerSeq: number;
  /** sha256 hex of the result_lock.snapshot text exactly as stored (also in the ledger payload). */
  readonly snapshotHash: string;
  /** The results and dry run as computed at lock time. */
  readonly snapshot: LockSnapshot;
  /** Every award of the lock, active and revoked, by tier precedence then rank. */
  readonly awards: readonly LockedAward[];
  readonly overrides: readonly AwardOverrideView[];
  /** Earlier (superseded) locks of the same round. */
  readonly superseded: readonly { readonly lockId: number; readonly lockedAt: string; readonly supersededAt: string }[];
}

/** The JSON stored in result_lock.snapshot. */
export interface LockSnapshot {
  readonly format: 'roadshow.results/v1';
  readonly results: RoundResults;
  readonly dryRun: AwardsDryRun;
  /** Reason given when this lock superseded an earlier one, else null. */
  readonly relockReason: string | null;
}
