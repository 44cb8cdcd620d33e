/**
 * Award allocation (dry run): prize tiers by precedence (1 = highest first), quotas per track
 * or overall, minimum scores, one award per project, 打星 excluded from quota places, the
 * tie-at-cutoff policy, and audience tiers filled from a vote count. Returns allocations and
 * warnings; persists nothing.
 *
 * Rules:
 * - Tiers are processed by precedence, then input order (equal precedences are warned about).
 *   A project keeps only the first (highest) award it receives; later tiers skip it.
 * - Quota places: 'count' = quota; 'percent' = floor(quota × N / 100) with integer arithmetic,
 *   where N is the number of competing (non-打星) projects in the tier's scope passed in
 *   (scored or not), warned about when the division is not exact; 'rest' = every remaining
 *   candidate at or above minScore (no cutoff).
 * - Candidates: competing, not yet awarded, not held pending a decision in a higher tier,
 *   scored, and score ≥ minScore when one is set (exact comparison).
 * - Ties at the cutoff follow cutoff.ts. A tie pending a decision holds its members out of
 *   lower tiers, and the lower tiers are marked provisional until the decision is supplied.
 * - Audience tiers (audience: true) rank candidates by votes (more first), not by score;
 *   equal vote counts are ties ('tie-break' has no chain for votes, so it behaves as
 *   'head-judge'). Only refs present in `audienceVotes` are candidates; minScore still applies.
 * - 打星 entries never take a place. Each scored one is reported with the rank it would have
 *   (overall and in its track, among everyone) and `wouldQualifyFor`: the highest score tier
 *   in a scope containing it whose lowest awarded score it reaches (and whose minScore it meets).
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import type { PrizeTier } from '../contest-document.js';
import { CENTI, toUnits } from '../units.js';
import { type CutoffOutcome, type TieAtCutoffPolicy, cutoffClasses, selectWithCutoff } from './cutoff.js';
import { ScoringError } from './errors.js';
import { type Rational, compare, fromUnits, minOf, toFixed } from './rational.js';
import {
  type HeadJudgeDecision,
  type Rankable,
  type RankedEntry,
  type RankOptions,
  type TieBreakStep,
  rankContest,
  trackKeys,
} from './ranking.js';
import { byKey } from './trim.js';

/** A prize tier in engine units (minScore in integer centi-points). */
export interface AwardTier {
  readonly key: string;
  readonly precedence: number;
  readonly scope: 'overall' | 'track';
  readonly quotaKind: 'count' | 'percent' | 'rest';
  readonly quota: number;
  readonly minScoreCenti: number | null;
  readonly audience: boolean;
}

/**
 * Converts a contest-document prize tier (decimal points) to engine units.
 * @example awardTierFromDocument({ ...tier, minScore: 80.5 }).minScoreCenti === 8050
 */
export function awardTierFromDocument(tier: PrizeTier): AwardTier {
  const minScoreCenti = tier.minScore === null ? null : toUnits(tier.minScore, CENTI);
  if (tier.minScore !== null && minScoreCenti === null)
    throw new ScoringError('not-an-integer', { tier: tier.key, minScore: String(tier.minScore) });
  return {
    key: tier.key,
    precedence: tier.precedence,
    scope: tier.scope,
    quotaKind: tier.quotaKind,
    quota: tier.quota,
    minScoreCenti,
    audience: tier.audience,
  };
}

export interface AudienceVote {
  readonly ref: string;
  readonly votes: number;
}

export interface AwardsInput {
  readonly tiers: readonly AwardTier[];
  /** Every project of the scored round (打星 and unscored included). */
  readonly entries: readonly Rankable[];
  readonly tieBreaks: readonly TieBreakStep[];
  readonly decimals: number;
  readonly tieAtCutoff: TieAtCutoffPolicy;
  readonly headJudgeDecisions?: readonly HeadJudgeDecision[];
  readonly audienceVotes?: readonly AudienceVote[];
}

export interface Allocation {
  readonly tierKey: string;
  /** 'overall' or a track key. */
  readonly scope: string;
  readonly ref: string;
  readonly score: Rational | null;
  readonly display: string | null;
  readonly votes: number | null;
  /** Competition rank by score in the scope (打星 excluded); null when unscored. */
  readonly rank: number | null;
  readonly tiedAtCutoff: boolean;
  readonly decisionReason: string | null;
}

export interface TierGroupResult extends CutoffOutcome {
  readonly tierKey: string;
  readonly precedence: number;
  readonly scope: string;
  /** null for 'rest' (unlimited). */
  readonly places: number | null;
  /** Competing projects in scope (the percent base). */
  readonly basis: number;
  readonly candidates: number;
  readonly provisional: boolean;
}

export interface OutOfCompetitionNote {
  readonly ref: string;
  readonly score: Rational;
  readonly display: string;
  readonly wouldRankOverall: number | null;
  readonly wouldRankInTrack: number | null;
  readonly wouldQualifyFor: string | null;
}

export interface AwardsWarning {
  readonly code:
    | 'widened'
    | 'decision-needed'
    | 'unfilled'
    | 'percent-rounded-down'
    | 'provisional'
    | 'duplicate-precedence'
    | 'no-audience-votes';
  readonly tierKey: string;
  readonly scope?: string;
  readonly refs?: readonly string[];
}

export interface AwardsDryRun {
  readonly allocations: readonly Allocation[];
  readonly tiers: readonly TierGroupResult[];
  readonly outOfCompetition: readonly OutOfCompetitionNote[];
  readonly decisionsNeeded: readonly {
    readonly tierKey: string;
    readonly scope: string;
    readonly refs: readonly string[];
    readonly places: number;
  }[];
  readonly warnings: readonly AwardsWarning[];
}

/**
 * Quota places for a tier in a scope with N competing projects (Infinity for 'rest').
 * @example quotaPlaces({ quotaKind: 'percent', quota: 30 }, 7) === 2  // floor(2.1)
 */
export function quotaPlaces(tier: Pick<AwardTier, 'quotaKind' | 'quota'>, basis: number): number {
  switch (tier.quotaKind) {
    case 'count':
      return tier.quota;
    case 'percent':
      return Math.floor((tier.quota * basis) / 100);
    case 'rest':
      return Infinity;
  }
}

function voteClasses(candidates: readonly Rankable[], votes: ReadonlyMap<string, number>): string[][] {
  const withVotes = candidates
    .filter((c) => votes.has(c.ref))
    .sort((a, b) => (votes.get(b.ref) ?? 0) - (votes.get(a.ref) ?? 0) || byKey(a.ref, b.ref));
  const out: string[][] = [];
  for (const c of withVotes) {
    const last = out[out.length - 1];
    const first = last?.[0];
    if (last && first !== undefined && votes.get(first) === votes.get(c.ref)) last.push(c.ref);
    else out.push([c.ref]);
  }
  return out;
}

/**
 * Allocates prize tiers (dry run).
 * @example
 * allocateAwards({ tiers, entries: results, tieBreaks, decimals: 2, tieAtCutoff: 'tie-break' })
 *   .allocations.map((a) => `${a.tierKey}:${a.ref}`) // e.g. ['first:P3', 'second:P1', 'second:P7']
 */
export function allocateAwards(input: AwardsInput): AwardsDryRun {
  const options: RankOptions = {
    tieBreaks: input.tieBreaks,
    decimals: input.decimals,
    headJudgeDecisions: input.headJudgeDecisions,
  };
  const ranking = rankContest(input.entries, options);
  const byRef = new Map(input.entries.map((e) => [e.ref, e]));
  const votes = new Map((input.audienceVotes ?? []).map((v) => [v.ref, v.votes]));
  const tracks = trackKeys(input.entries);
  const competing = input.entries.filter((e) => !e.outOfCompetition);
  const warnings: AwardsWarning[] = [];
  const ordered = input.tiers
    .map((tier, index) => ({ tier, index }))
    .sort((a, b) => a.tier.precedence - b.tier.precedence || a.index - b.index)
    .map((t) => t.tier);
  ordered.forEach((t, i) => {
    if (i > 0 && ordered[i - 1]?.precedence === t.precedence)
      warnings.push({ code: 'duplicate-precedence', tierKey: t.key });
  });

  const awarded = new Set<string>();
  const held = new Set<string>();
  const allocations: Allocation[] = [];
  const results: TierGroupResult[] = [];
  const decisionsNeeded: AwardsDryRun['decisionsNeeded'][number][] = [];
  const entryMaps = new Map<string, Map<string, RankedEntry>>();
  for (const [scope, r] of [['overall', ranking.overall] as const, ...Object.entries(ranking.tracks)])
    entryMaps.set(scope, new Map(r.entries.map((e) => [e.ref, e])));
  const rankedIn = (scope: string, ref: string) => entryMaps.get(scope)?.get(ref) ?? null;

  for (const tier of ordered) {
    if (tier.audience && votes.size === 0) warnings.push({ code: 'no-audience-votes', tierKey: tier.key });
    const minScore = tier.minScoreCenti === null ? null : fromUnits(tier.minScoreCenti, CENTI);
    const scopes =
      tier.scope === 'overall'
        ? [{ scope: 'overall', pool: competing }]
        : tracks.map((t) => ({ scope: t, pool: competing.filter((e) => e.trackKey === t) }));
    for (const { scope, pool } of scopes) {
      const basis = pool.length;
      const places = quotaPlaces(tier, basis);
      if (tier.quotaKind === 'percent' && (tier.quota * basis) % 100 !== 0)
        warnings.push({ code: 'percent-rounded-down', tierKey: tier.key, scope });
      const provisional = held.size > 0;
      if (provisional) warnings.push({ code: 'provisional', tierKey: tier.key, scope });
      const candidates = pool.filter(
        (e) =>
          !awarded.has(e.ref) &&
          !held.has(e.ref) &&
          (minScore === null || (e.score !== null && compare(e.score, minScore) >= 0)) &&
          (tier.audience || e.score !== null),
      );
      const classes = tier.audience
        ? voteClasses(candidates, votes)
        : cutoffClasses(candidates, input.tieAtCutoff, options);
      const policy = tier.audience && input.tieAtCutoff === 'tie-break' ? 'head-judge' : input.tieAtCutoff;
      const outcome = selectWithCutoff(classes, places, policy, input.headJudgeDecisions);
      results.push({
        ...outcome,
        tierKey: tier.key,
        precedence: tier.precedence,
        scope,
        places: Number.isFinite(places) ? places : null,
        basis,
        candidates: classes.reduce((s, c) => s + c.length, 0),
        provisional,
      });
      for (const ref of outcome.selected) {
        const e = byRef.get(ref);
        awarded.add(ref);
        allocations.push({
          tierKey: tier.key,
          scope,
          ref,
          score: e?.score ?? null,
          display: e?.score ? toFixed(e.score, input.decimals) : null,
          votes: tier.audience ? (votes.get(ref) ?? null) : null,
          rank: rankedIn(scope, ref)?.competitionRank ?? null,
          tiedAtCutoff: outcome.tiedAtCutoff.includes(ref),
          decisionReason: outcome.tiedAtCutoff.includes(ref) ? (outcome.decision?.reason ?? null) : null,
        });
      }
      for (const ref of outcome.pending) held.add(ref);
      if (outcome.widened) warnings.push({ code: 'widened', tierKey: tier.key, scope, refs: outcome.tiedAtCutoff });
      if (outcome.pending.length > 0) {
        warnings.push({ code: 'decision-needed', tierKey: tier.key, scope, refs: outcome.pending });
        decisionsNeeded.push({ tierKey: tier.key, scope, refs: outcome.pending, places: outcome.pendingPlaces });
      }
      if (outcome.unfilled > 0) warnings.push({ code: 'unfilled', tierKey: tier.key, scope });
    }
  }

  const tierByKey = new Map(ordered.map((t) => [t.key, t]));
  const outOfCompetition: OutOfCompetitionNote[] = input.entries
    .filter((e): e is Rankable & { score: Rational } => e.outOfCompetition && e.score !== null)
    .map((e) => {
      const qualifies = results.find((r) => {
        const tier = tierByKey.get(r.tierKey);
        if (!tier || tier.audience || (r.scope !== 'overall' && r.scope !== e.trackKey)) return false;
        if (tier.minScoreCenti !== null && compare(e.score, fromUnits(tier.minScoreCenti, CENTI)) < 0) return false;
        const lowest = minOf(r.selected.map((ref) => byRef.get(ref)?.score ?? null).filter((s): s is Rational => !!s));
        return lowest !== null && compare(e.score, lowest) >= 0;
      });
      return {
        ref: e.ref,
        score: e.score,
        display: toFixed(e.score, input.decimals),
        wouldRankOverall: rankedIn('overall', e.ref)?.rank ?? null,
        wouldRankInTrack: rankedIn(e.trackKey, e.ref)?.rank ?? null,
        wouldQualifyFor: qualifies?.tierKey ?? null,
      };
    });

  return { allocations, tiers: results, outOfCompetition, decisionsNeeded, warnings };
}
