/**
 * Multi-round combination of a project's score: 'reset' (this round alone; earlier rounds
 * only qualified the project) or 'weighted' carry-over, e.g. 初赛 30% + 决赛 70%:
 *     final = (p · prior + (100 − p) · current) / 100   with p = priorWeightPercent.
 * Under 'weighted', a project without a prior-round score has no combined score
 * (status 'missing-prior') rather than a silently reweighted one.
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import { type Rational, add, div, fromInt, mul, toFixed } from './rational.js';

export interface CombineRule {
  readonly mode: 'reset' | 'weighted';
  readonly priorWeightPercent: number;
}

export interface CombineResult {
  readonly value: Rational | null;
  readonly status: 'current-only' | 'combined' | 'missing-prior' | 'not-scored';
  readonly formula: string;
}

/**
 * Combines this round's score with the prior round's.
 * @example combineRounds(fromInt(90), fromInt(80), { mode: 'weighted', priorWeightPercent: 30 })
 * // { value: 87, status: 'combined', formula: '30% × 80.00 (prior) + 70% × 90.00 = 87.00' }
 */
export function combineRounds(
  current: Rational | null,
  prior: Rational | null,
  rule: CombineRule,
  decimals = 2,
): CombineResult {
  if (current === null) return { value: null, status: 'not-scored', formula: 'not scored' };
  if (rule.mode === 'reset') return { value: current, status: 'current-only', formula: toFixed(current, decimals) };
  const p = rule.priorWeightPercent;
  if (prior === null) return { value: null, status: 'missing-prior', formula: 'no prior-round score to carry over' };
  const value = div(add(mul(fromInt(p), prior), mul(fromInt(100 - p), current)), fromInt(100));
  return {
    value,
    status: 'combined',
    formula: `${p}% × ${toFixed(prior, decimals)} (prior) + ${100 - p}% × ${toFixed(current, decimals)} = ${toFixed(value, decimals)}`,
  };
}
