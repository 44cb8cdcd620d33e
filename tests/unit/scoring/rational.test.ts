import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  add,
  compare,
  div,
  equals,
  fromInt,
  fromUnits,
  mean,
  mul,
  neg,
  rational,
  ScoringError,
  sqrtRational,
  sub,
  toFixed,
  toNumber,
  toText,
} from '../../../server/domain/scoring/index.js';

describe('rational', () => {
  it('normalizes sign and gcd', () => {
    expect(rational(6, -4)).toEqual({ num: -3n, den: 2n });
    expect(rational(0, -7)).toEqual({ num: 0n, den: 1n });
    expect(rational(-10n, -15n)).toEqual({ num: 2n, den: 3n });
  });

  it('does exact arithmetic', () => {
    expect(add(rational(1, 2), rational(1, 3))).toEqual(rational(5, 6));
    expect(sub(rational(1, 2), rational(1, 3))).toEqual(rational(1, 6));
    expect(mul(rational(2, 3), rational(3, 4))).toEqual(rational(1, 2));
    expect(div(rational(1, 2), rational(1, 4))).toEqual(fromInt(2));
    expect(neg(rational(1, 2))).toEqual(rational(-1, 2));
    expect(mean([fromInt(88), fromInt(90), rational(183, 2)])).toEqual(rational(539, 6));
    expect(mean([])).toBeNull();
    expect(fromUnits(8850, 100)).toEqual(rational(177, 2));
  });

  it('compares exactly where floats would merge values', () => {
    // 0.1 + 0.2 vs 0.3: floats differ, rationals are equal
    expect(compare(add(rational(1, 10), rational(2, 10)), rational(3, 10))).toBe(0);
    // Two values that agree to 17 significant digits are still ordered
    const a = rational(10n ** 20n + 1n, 10n ** 20n);
    const b = rational(10n ** 20n, 10n ** 20n);
    expect(compare(a, b)).toBe(1);
    expect(toNumber(a)).toBe(toNumber(b));
    expect(equals(rational(2, 4), rational(1, 2))).toBe(true);
  });

  it('rejects division by zero and non-integers', () => {
    expect(() => rational(1, 0)).toThrow(ScoringError);
    expect(() => div(fromInt(1), fromInt(0))).toThrow('division-by-zero');
    expect(() => rational(1.5)).toThrow('not-an-integer');
  });

  it.each([
    [rational(539, 6), 2, '89.83'],
    [rational(17967, 200), 2, '89.84'], // 89.835 rounds half up
    [rational(1, 200), 2, '0.01'], // 0.005
    [rational(1, 201), 2, '0.00'],
    [rational(-201, 200), 2, '-1.01'], // half away from zero for negatives
    [rational(-1, 1000), 2, '0.00'], // no "-0.00"
    [rational(261, 28), 2, '9.32'],
    [rational(261, 28), 4, '9.3214'],
    [fromInt(78), 2, '78.00'],
    [rational(5, 2), 0, '3'],
    [rational(999, 100), 1, '10.0'],
  ])('toFixed(%o, %i) = %s', (value, decimals, text) => {
    expect(toFixed(value, decimals)).toBe(text);
  });

  it('toText and toNumber', () => {
    expect(toText(rational(539, 6))).toBe('539/6');
    expect(toText(fromInt(-3))).toBe('-3');
    expect(toNumber(rational(1, 4))).toBe(0.25);
  });

  it('sqrtRational is exact for rational squares and truncated otherwise', () => {
    expect(sqrtRational(rational(9, 4))).toEqual(rational(3, 2));
    expect(sqrtRational(fromInt(0))).toEqual(fromInt(0));
    expect(sqrtRational(fromInt(2), 3)).toEqual(rational(1414, 1000));
    expect(sqrtRational(fromInt(2))).toEqual(rational(1414213562373n, 10n ** 12n));
    expect(() => sqrtRational(fromInt(-1))).toThrow('negative-sqrt');
  });

  it('sqrtRational is floor(√v·10^d)/10^d (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (n, d) => {
        const root = sqrtRational(rational(n, d), 6);
        // root ≤ √(n/d) < root + 10^-6, checked by squaring exactly
        const sq = mul(root, root);
        const next = add(root, rational(1, 10n ** 6n));
        expect(compare(sq, rational(n, d))).toBeLessThanOrEqual(0);
        expect(compare(mul(next, next), rational(n, d))).toBe(1);
      }),
    );
  });

  it('toFixed agrees with integer rounding of centi values (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 1000 }), (num, den) => {
        // reference: round(num/den · 100) half up using integer arithmetic on Numbers
        const scaled = num * 100;
        const q = Math.floor(scaled / den) + (2 * (scaled % den) >= den ? 1 : 0);
        const ref = `${Math.floor(q / 100)}.${String(q % 100).padStart(2, '0')}`;
        expect(toFixed(rational(num, den), 2)).toBe(ref);
      }),
    );
  });
});
