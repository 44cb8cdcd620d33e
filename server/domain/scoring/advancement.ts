/**
 * Advancement to the next round: top N per track or overall, with the tie-at-cutoff policy
 * (see cutoff.ts): 'widen' lets everyone tied on the exact score at the cutoff advance;
 * 'tie-break' uses the chain's result and reports a tie that survives it as needing a
 * decision; 'head-judge' reports any exact-score tie at the cutoff as needing a decision
 * unless one is supplied.
 *
 * Only scored, competing projects take places. 打星 entries never take a place; those whose
 * score reaches the lowest advancing score are listed in `outOfCompetitionWouldAdvance` so
 * organizers can invite them anyway.
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import { type CutoffOutcome, type TieAtCutoffPolicy, cutoffClasses, selectWithCutoff } from './cutoff.js';
import { type Rational, compare, minOf } from './rational.js';
import { type HeadJudgeDecision, type Rankable, type TieBreakStep, trackKeys } from './ranking.js';

export interface AdvancementRule {
  readonly mode: 'none' | 'top-n-per-track' | 'top-n-overall';
  readonly count: number;
  readonly tieAtCutoff: TieAtCutoffPolicy;
}

export interface AdvancementInput {
  readonly entries: readonly Rankable[];
  readonly rule: AdvancementRule;
  readonly tieBreaks: readonly TieBreakStep[];
  readonly decimals: number;
  readonly headJudgeDecisions?: readonly HeadJudgeDecision[];
}

export interface AdvancementGroup extends CutoffOutcome {
  /** 'overall' or a track key. */
  readonly scope: string;
  readonly places: number;
  readonly outOfCompetitionWouldAdvance: readonly string[];
}

export interface DecisionNeeded {
  readonly scope: string;
  readonly refs: readonly string[];
  readonly places: number;
}

export interface AdvancementResult {
  readonly mode: AdvancementRule['mode'];
  readonly groups: readonly AdvancementGroup[];
  /** All advancing refs (excluding pending ones). */
  readonly advanced: readonly string[];
  readonly decisionsNeeded: readonly DecisionNeeded[];
  readonly warnings: readonly { readonly code: 'widened' | 'decision-needed' | 'unfilled'; readonly scope: string }[];
}

/**
 * Decides who advances.
 * @example
 * advance({ entries, rule: { mode: 'top-n-per-track', count: 3, tieAtCutoff: 'widen' }, tieBreaks: [], decimals: 2 })
 *   .advanced // e.g. ['P1', 'P4', 'P2', 'P7', 'P9', 'P8']
 */
export function advance(input: AdvancementInput): AdvancementResult {
  const { rule } = input;
  if (rule.mode === 'none') return { mode: 'none', groups: [], advanced: [], decisionsNeeded: [], warnings: [] };
  const scopes: { scope: string; members: readonly Rankable[] }[] =
    rule.mode === 'top-n-overall'
      ? [{ scope: 'overall', members: input.entries }]
      : trackKeys(input.entries).map((t) => ({ scope: t, members: input.entries.filter((e) => e.trackKey === t) }));
  const options = {
    tieBreaks: input.tieBreaks,
    decimals: input.decimals,
    headJudgeDecisions: input.headJudgeDecisions,
  };
  const groups: AdvancementGroup[] = [];
  const warnings: AdvancementResult['warnings'][number][] = [];
  const decisionsNeeded: DecisionNeeded[] = [];
  for (const { scope, members } of scopes) {
    const competing = members.filter((m) => !m.outOfCompetition);
    const outcome = selectWithCutoff(
      cutoffClasses(competing, rule.tieAtCutoff, options),
      rule.count,
      rule.tieAtCutoff,
      input.headJudgeDecisions,
    );
    const scoreOf = new Map(competing.map((m) => [m.ref, m.score]));
    const lowest = minOf(outcome.selected.map((r) => scoreOf.get(r)).filter((s): s is Rational => !!s));
    const wouldAdvance = members
      .filter((m) => m.outOfCompetition && m.score !== null && lowest !== null && compare(m.score, lowest) >= 0)
      .map((m) => m.ref);
    groups.push({ ...outcome, scope, places: rule.count, outOfCompetitionWouldAdvance: wouldAdvance });
    if (outcome.widened) warnings.push({ code: 'widened', scope });
    if (outcome.pending.length > 0) {
      warnings.push({ code: 'decision-needed', scope });
      decisionsNeeded.push({ scope, refs: outcome.pending, places: outcome.pendingPlaces });
    }
    if (outcome.unfilled > 0) warnings.push({ code: 'unfilled', scope });
  }
  return { mode: rule.mode, groups, advanced: groups.flatMap((g) => g.selected), decisionsNeeded, warnings };
}
