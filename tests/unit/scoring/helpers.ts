/** Shared builders for the scoring engine's unit tests (not a test file itself). */
import { ScoringRules } from '../../../server/domain/contest-document.js';
import type { AggregateRoundInput, JudgeSheet, PanelJudge, Rankable } from '../../../server/domain/scoring/index.js';
import { fromUnits, rational, type Rational } from '../../../server/domain/scoring/index.js';
import type { JudgeGroup } from '../../../server/domain/contest-document.js';

/** Parsed scoring rules with the document defaults (trimmed mean, k = 1, n ≥ 5, 2 decimals). */
export function rules(overrides: Record<string, unknown> = {}): ScoringRules {
  return ScoringRules.parse(overrides);
}

/** Points as decimal → exact rational (via centi). */
export function pts(points: number): Rational {
  return fromUnits(Math.round(points * 100), 100);
}

export const SINGLE = [{ key: 'total', weightMilli: 1000 }];

export function judges(keys: string[], group: JudgeGroup = 'other'): PanelJudge[] {
  return keys.map((key) => ({ key, group }));
}

/** Single-criterion sheets: one total per judge (points), null = no sheet. */
export function sheets(projectRef: string, byJudge: Record<string, number | null>): JudgeSheet[] {
  return Object.entries(byJudge)
    .filter((e): e is [string, number] => e[1] !== null)
    .map(([judgeKey, points]) => ({ judgeKey, projectRef, marks: { total: Math.round(points * 100) } }));
}

/** One-project, single-criterion round input. */
export function singleProject(
  totals: Record<string, number | null>,
  ruleOverrides: Record<string, unknown> = {},
  extra: Partial<AggregateRoundInput> = {},
): AggregateRoundInput {
  return {
    rules: rules(ruleOverrides),
    criteria: SINGLE,
    judges: judges(Object.keys(totals)),
    projects: [{ ref: 'P1', trackKey: 't', outOfCompetition: false }],
    sheets: sheets('P1', totals),
    ...extra,
  };
}

/** A rankable entry with an exact score num/den (or null). */
export function entry(
  ref: string,
  score: Rational | null,
  opts: Partial<Omit<Rankable, 'ref' | 'score'>> = {},
): Rankable {
  return {
    ref,
    score,
    trackKey: opts.trackKey ?? 't',
    outOfCompetition: opts.outOfCompetition ?? false,
    untrimmedMean: opts.untrimmedMean ?? score,
    criterionMeans: opts.criterionMeans ?? {},
    judgeTotals: opts.judgeTotals ?? [],
  };
}

export { rational };
