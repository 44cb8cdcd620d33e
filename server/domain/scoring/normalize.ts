/**
 * Optional per-judge standardization (z-scores) for panels where judges miss pitches.
 *
 * For judge j with totals over the projects they scored: μ_j = mean, σ_j = population
 * standard deviation (divide by m_j). For the panel, μ_P and σ_P are the mean and population
 * standard deviation of all given totals of all judges in the round. A judge's total x becomes
 *     x' = μ_P + σ_P · (x − μ_j) / σ_j
 * i.e. the z-score mapped back onto the panel's original scale.
 *
 * Guards: a judge who scored fewer than `minProjects` (default 5) projects, or whose σ_j = 0,
 * is left raw and flagged with the reason ('too-few-projects' | 'zero-spread').
 *
 * Exactness: σ is a square root and generally irrational, so the engine *defines* the
 * z-score as a rational: z̃ = sign(x − μ_j) · sqrtRational((x − μ_j)² / σ_j², digits), where
 * sqrtRational is exact when its argument is a rational square and otherwise truncates
 * √· to `digits` decimals (default 12) with BigInt integer arithmetic. Because the argument
 * (x − μ_j)²/σ_j² is an exact rational, two equal true z-scores always give the identical z̃
 * (e.g. a judge who marks on a scale twice as wide as another), and truncation is monotone,
 * so order is never reversed. σ̃_P = sqrtRational(σ_P²) likewise. Normalized values are thus
 * deterministic rationals compared exactly — no float anywhere. (Residual caveat: sums of
 * different irrational z-scores that are equal only through a square-root identity could
 * differ below 10^-12.)
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import {
  type Rational,
  add,
  compare,
  div,
  fromInt,
  isZero,
  mean,
  mul,
  neg,
  sqrtRational,
  sub,
  sum,
  ZERO,
} from './rational.js';

export interface NormalizationOptions {
  /** A judge needs at least this many scored projects to be standardized (default 5). */
  readonly minProjects?: number;
  /** Decimal digits kept by the defined square root (default 12). */
  readonly sqrtDigits?: number;
}

export interface JudgeProjectTotal {
  readonly judgeKey: string;
  readonly projectRef: string;
  readonly value: Rational;
}

export interface JudgeNormalization {
  readonly judgeKey: string;
  readonly status: 'normalized' | 'raw';
  readonly reason: 'too-few-projects' | 'zero-spread' | null;
  readonly projects: number;
  readonly mean: Rational;
  /** σ_j² exactly. */
  readonly variance: Rational;
  /** σ̃_j = sqrtRational(σ_j²), for display (0 for zero spread). */
  readonly sd: Rational;
}

export interface NormalizationResult {
  readonly panelMean: Rational | null;
  readonly panelSd: Rational | null;
  readonly judges: readonly JudgeNormalization[];
  /** Same order as the input; `adjusted` equals `value` for judges left raw. */
  readonly values: readonly (JudgeProjectTotal & { readonly adjusted: Rational; readonly normalized: boolean })[];
}

/** Population variance of a non-empty list. */
function variance(values: readonly Rational[], mu: Rational): Rational {
  const squares = values.map((v) => {
    const d = sub(v, mu);
    return mul(d, d);
  });
  return div(sum(squares), fromInt(values.length));
}

/**
 * The defined rational z-score: sign(x − μ) · sqrtRational((x − μ)² / variance).
 * @example zScore(fromInt(100), fromInt(80), fromInt(200)) // ≈ √2 truncated to 12 decimals
 */
export function zScore(x: Rational, mu: Rational, varianceValue: Rational, digits = 12): Rational {
  const dev = sub(x, mu);
  const magnitude = sqrtRational(div(mul(dev, dev), varianceValue), digits);
  return compare(dev, ZERO) < 0 ? neg(magnitude) : magnitude;
}

/**
 * Standardizes each judge's totals and maps them back onto the panel scale.
 * @example
 * // judge a gives 60,70,80,90,100 and judge b gives 70,75,80,85,90 to the same five projects:
 * // both are mapped onto the panel scale (μ_P = 80), so a's 100 and b's 90 become equal.
 * zScoreNormalize(totals).values.find((v) => v.judgeKey === 'b' && v.projectRef === 'p5')?.adjusted
 */
export function zScoreNormalize(
  totals: readonly JudgeProjectTotal[],
  options: NormalizationOptions = {},
): NormalizationResult {
  const minProjects = options.minProjects ?? 5;
  const digits = options.sqrtDigits ?? 12;
  if (totals.length === 0) return { panelMean: null, panelSd: null, judges: [], values: [] };
  const all = totals.map((t) => t.value);
  const panelMean = mean(all) ?? ZERO;
  const panelSd = sqrtRational(variance(all, panelMean), digits);

  const byJudge = new Map<string, Rational[]>();
  for (const t of totals) {
    const list = byJudge.get(t.judgeKey) ?? [];
    list.push(t.value);
    byJudge.set(t.judgeKey, list);
  }
  const judges = new Map<string, JudgeNormalization>();
  for (const [judgeKey, values] of byJudge) {
    const mu = mean(values) ?? ZERO;
    const v = variance(values, mu);
    const reason = values.length < minProjects ? 'too-few-projects' : isZero(v) ? 'zero-spread' : null;
    judges.set(judgeKey, {
      judgeKey,
      status: reason ? 'raw' : 'normalized',
      reason,
      projects: values.length,
      mean: mu,
      variance: v,
      sd: sqrtRational(v, digits),
    });
  }
  const values = totals.map((t) => {
    const j = judges.get(t.judgeKey);
    if (!j || j.status === 'raw' || isZero(j.variance)) return { ...t, adjusted: t.value, normalized: false };
    return {
      ...t,
      adjusted: add(panelMean, mul(panelSd, zScore(t.value, j.mean, j.variance, digits))),
      normalized: true,
    };
  });
  return { panelMean, panelSd, judges: [...judges.values()], values };
}
