/**
 * Exact rational numbers on BigInt: every score comparison in the engine goes through here so
 * a float can never split or merge a tie. Values are immutable and always normalized
 * (denominator > 0, gcd(num, den) = 1), so structural equality is numeric equality.
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import { ScoringError } from './errors.js';

/** An exact fraction num/den, normalized: den > 0 and gcd(|num|, den) = 1. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

function big(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new ScoringError('not-an-integer', { value: String(value) });
  return BigInt(value);
}

/**
 * Builds a normalized rational from an integer numerator and denominator.
 * @example rational(6, -4) // { num: -3n, den: 2n }
 */
export function rational(num: bigint | number, den: bigint | number = 1n): Rational {
  let n = big(num);
  let d = big(den);
  if (d === 0n) throw new ScoringError('division-by-zero');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { num: n / g, den: d / g } : { num: n, den: d };
}

export const ZERO: Rational = rational(0);
export const ONE: Rational = rational(1);

/**
 * An integer as a rational.
 * @example fromInt(7) // 7/1
 */
export function fromInt(value: bigint | number): Rational {
  return rational(value, 1n);
}

/**
 * Integer fixed-point units (e.g. centi-points) as an exact rational in whole units.
 * @example fromUnits(8850, 100) // 177/2 = 88.5 points
 */
export function fromUnits(units: number, scale: number): Rational {
  return rational(units, scale);
}

/** @example add(rational(1, 2), rational(1, 3)) // 5/6 */
export function add(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** @example sub(rational(1, 2), rational(1, 3)) // 1/6 */
export function sub(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

/** @example mul(rational(2, 3), rational(3, 4)) // 1/2 */
export function mul(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

/** Throws `division-by-zero` when b is 0. @example div(rational(1, 2), rational(1, 4)) // 2 */
export function div(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new ScoringError('division-by-zero');
  return rational(a.num * b.den, a.den * b.num);
}

/** @example neg(rational(1, 2)) // -1/2 */
export function neg(a: Rational): Rational {
  return { num: -a.num, den: a.den };
}

/**
 * Three-way exact comparison: -1 when a < b, 0 when equal, 1 when a > b.
 * @example compare(rational(1, 3), rational(2, 6)) === 0
 */
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** @example equals(rational(2, 4), rational(1, 2)) === true */
export function equals(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

/** @example isZero(rational(0, 5)) === true */
export function isZero(a: Rational): boolean {
  return a.num === 0n;
}

/** @example sum([rational(1, 2), rational(1, 3)]) // 5/6; sum([]) // 0 */
export function sum(values: readonly Rational[]): Rational {
  return values.reduce(add, ZERO);
}

/**
 * Arithmetic mean, or null for an empty list ("not scored" is not 0).
 * @example mean([fromInt(88), fromInt(90), rational(183, 2)]) // 539/6
 */
export function mean(values: readonly Rational[]): Rational | null {
  if (values.length === 0) return null;
  return div(sum(values), fromInt(values.length));
}

/** @example minOf([fromInt(3), fromInt(1)]) // 1 */
export function minOf(values: readonly Rational[]): Rational | null {
  return values.reduce<Rational | null>((m, v) => (m === null || compare(v, m) < 0 ? v : m), null);
}

/** @example maxOf([fromInt(3), fromInt(1)]) // 3 */
export function maxOf(values: readonly Rational[]): Rational | null {
  return values.reduce<Rational | null>((m, v) => (m === null || compare(v, m) > 0 ? v : m), null);
}

function isqrt(n: bigint): bigint {
  if (n < 0n) throw new ScoringError('negative-sqrt');
  if (n < 2n) return n;
  // Newton's method from a power of two above √n decreases monotonically to floor(√n).
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * Square root as a *defined* rational: exact when the value is the square of a rational,
 * otherwise floor(√v · 10^digits) / 10^digits (truncated, never rounded up). Deterministic
 * on every platform because it uses only BigInt integer arithmetic.
 * @example sqrtRational(rational(9, 4)) // 3/2 (exact); sqrtRational(fromInt(2), 3) // 1414/1000
 */
export function sqrtRational(value: Rational, digits = 12): Rational {
  if (value.num < 0n) throw new ScoringError('negative-sqrt');
  const rn = isqrt(value.num);
  const rd = isqrt(value.den);
  if (rn * rn === value.num && rd * rd === value.den) return rational(rn, rd);
  const scale = 10n ** BigInt(digits);
  return rational(isqrt((value.num * scale * scale) / value.den), scale);
}

/** 10^d by d, computed once each (toFixed runs for every displayed value). */
const POWERS_OF_TEN: bigint[] = [];

/**
 * Decimal text with `decimals` places, rounding half away from zero (= round-half-up for the
 * non-negative scores shown on screens). For display only; never compare these strings.
 * @example toFixed(rational(539, 6), 2) === '89.83'; toFixed(rational(17967, 200), 2) === '89.84'
 */
export function toFixed(value: Rational, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) throw new ScoringError('invalid-decimals');
  const negative = value.num < 0n;
  const scale = (POWERS_OF_TEN[decimals] ??= 10n ** BigInt(decimals));
  const scaled = (negative ? -value.num : value.num) * scale;
  let q = scaled / value.den;
  if ((scaled % value.den) * 2n >= value.den) q += 1n;
  const whole = (q / scale).toString();
  const frac = decimals > 0 ? `.${(q % scale).toString().padStart(decimals, '0')}` : '';
  return `${negative && q !== 0n ? '-' : ''}${whole}${frac}`;
}

/**
 * Approximate float value — for charts and statistics only, never for ranking or ties.
 * @example toNumber(rational(1, 4)) === 0.25
 */
export function toNumber(value: Rational): number {
  return Number(value.num) / Number(value.den);
}

/**
 * Exact text form, "num/den" or "num" for integers; stable and JSON-safe.
 * @example toText(rational(539, 6)) === '539/6'; toText(fromInt(3)) === '3'
 */
export function toText(value: Rational): string {
  return value.den === 1n ? value.num.toString() : `${value.num}/${value.den}`;
}
