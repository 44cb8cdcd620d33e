/**
 * Mean and trimmed mean of judge totals for one project, with a record of which judges'
 * totals were dropped (for notarized score sheets).
 *
 * Small-n rule: with method 'trimmed-mean', k totals are dropped from each end only when
 * n ≥ minJudgesForTrim and n > 2k; otherwise the plain mean is used and the result says so
 * (`trimSkipped: 'too-few-judges'`).
 *
 * Which of several equal totals is dropped: the lows are chosen first, from the totals sorted
 * by (value ascending, judge key ascending); then the highs from the rest sorted by
 * (value descending, judge key ascending). So among equal marks the judge with the smallest
 * key (plain code-unit order, not locale order) is the one marked dropped. The value is the
 * same whichever equal mark is dropped; the rule only makes the record deterministic.
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import { type Rational, compare, mean } from './rational.js';

/** One judge's total as used by the aggregate; `replaced` = substituted for a missing score. */
export interface JudgeValue {
  readonly judgeKey: string;
  readonly value: Rational;
  readonly replaced?: boolean;
}

export interface TrimRule {
  readonly method: 'mean' | 'trimmed-mean';
  readonly trim: number;
  readonly minJudgesForTrim: number;
}

export interface TrimResult {
  /** The aggregate, or null when there are no values ("not scored"). */
  readonly value: Rational | null;
  /** Plain mean of all values (the 'untrimmed-mean' tie-break). */
  readonly untrimmedMean: Rational | null;
  readonly n: number;
  readonly kept: readonly JudgeValue[];
  readonly droppedLow: readonly JudgeValue[];
  readonly droppedHigh: readonly JudgeValue[];
  readonly trimApplied: boolean;
  /** Set when trimming was configured but skipped by the small-n rule. */
  readonly trimSkipped: 'too-few-judges' | null;
}

/** Code-unit string order (deterministic, locale-free). */
export function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Mean or trimmed mean of judge totals per the rule.
 * @example
 * const values = [8800, 9000, 9150, 8600, 9300].map((c, i) => ({ judgeKey: `j${i}`, value: fromUnits(c, 100) }));
 * trimmedMean(values, { method: 'trimmed-mean', trim: 1, minJudgesForTrim: 5 })
 * // value 539/6 (89.83…), droppedLow [j3: 86], droppedHigh [j4: 93]
 */
export function trimmedMean(values: readonly JudgeValue[], rule: TrimRule): TrimResult {
  const n = values.length;
  const untrimmed = mean(values.map((v) => v.value));
  const k = rule.method === 'trimmed-mean' ? rule.trim : 0;
  const canTrim = k > 0 && n >= rule.minJudgesForTrim && n > 2 * k;
  if (!canTrim) {
    return {
      value: untrimmed,
      untrimmedMean: untrimmed,
      n,
      kept: [...values],
      droppedLow: [],
      droppedHigh: [],
      trimApplied: false,
      trimSkipped: k > 0 && n > 0 ? 'too-few-judges' : null,
    };
  }
  const ascending = [...values].sort((a, b) => compare(a.value, b.value) || byKey(a.judgeKey, b.judgeKey));
  const droppedLow = ascending.slice(0, k);
  const rest = ascending.slice(k).sort((a, b) => compare(b.value, a.value) || byKey(a.judgeKey, b.judgeKey));
  const droppedHigh = rest.slice(0, k);
  const dropped = new Set([...droppedLow, ...droppedHigh]);
  const kept = values.filter((v) => !dropped.has(v));
  return {
    value: mean(kept.map((v) => v.value)),
    untrimmedMean: untrimmed,
    n,
    kept,
    droppedLow,
    droppedHigh,
    trimApplied: true,
    trimSkipped: null,
  };
}
