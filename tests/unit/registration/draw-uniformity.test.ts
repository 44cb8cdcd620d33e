/**
 * Statistical uniformity of the draw, with critical values computed (and checked against
 * published tables) rather than guessed. Seeds are fixed, so the tests are deterministic.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { drawOrder, type Sha256 } from '../../../server/domain/registration/index.js';
import { chiSquareCritical, chiSquareSurvival, pearson } from './chi-square.js';

const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());
const ALPHA = 0.001;

/**
 * counts[item][position] over `draws` permutations from `shuffle`, reduced to one statistic.
 *
 * The 16 cells of a 4×4 position table are not independent multinomial counts: every draw puts
 * each item in exactly one position and fills each position once. The covariance of one random
 * permutation matrix is (1/(n−1))·(I − J/n)⊗(I − J/n), so Pearson's Σ(O−E)²/E with E = N/n
 * converges to n/(n−1) · χ²((n−1)²), not χ²((n−1)²). Scaling it by (n−1)/n gives χ² with
 * (n−1)² = 9 degrees of freedom for n = 4 (uncorrected, a fair draw would fail ≈1.3% of the time).
 */
function positionStatistic(n: number, draws: number, shuffle: (draw: number, items: string[]) => string[]): number {
  const items = Array.from({ length: n }, (_, i) => `item-${i}`);
  const counts = items.map(() => new Array<number>(n).fill(0));
  for (let d = 0; d < draws; d++) {
    shuffle(d, items).forEach((item, position) => {
      const row = counts[items.indexOf(item)] as number[];
      row[position] = (row[position] as number) + 1;
    });
  }
  return ((n - 1) / n) * pearson(counts.flat(), draws / n);
}

describe('chi-square critical values', () => {
  it('match published tables (NIST/SEMATECH e-Handbook 1.3.6.7.4, upper 0.1% points)', () => {
    // χ²(0.999; 9) = 27.877, χ²(0.999; 23) = 49.728, χ²(0.95; 3) = 7.815.
    expect(chiSquareCritical(ALPHA, 9)).toBeCloseTo(27.877, 2);
    expect(chiSquareCritical(ALPHA, 23)).toBeCloseTo(49.728, 2);
    expect(chiSquareCritical(0.05, 3)).toBeCloseTo(7.815, 2);
    expect(chiSquareSurvival(27.877, 9)).toBeCloseTo(0.001, 5);
  });
});

describe('draw uniformity', () => {
  it('4 items, 2,400 seeds: every item equally likely in every position (χ², df 9, p = 0.001)', () => {
    const critical = chiSquareCritical(ALPHA, 9); // 27.877
    const stat = positionStatistic(4, 2400, (d, items) => drawOrder(`uniformity-4 #${d}`, items, sha256));
    expect(stat).toBeLessThan(critical);
  });

  it('the same test rejects a known-biased shuffle (swap each position with any position)', () => {
    // Same hash stream, naive algorithm: n^n equally likely paths over n! orders cannot be uniform.
    const critical = chiSquareCritical(ALPHA, 9);
    const naive = (d: number, items: string[]) => {
      const a = [...items];
      for (let i = 0; i < a.length; i++) {
        const digest = createHash('sha256').update(`naive #${d}:${i}`).digest();
        const j = digest.readUInt32BE(0) % a.length;
        [a[i], a[j]] = [a[j] as string, a[i] as string];
      }
      return a;
    };
    expect(positionStatistic(4, 2400, naive)).toBeGreaterThan(critical);
  });

  it('24 items, 4,800 seeds: the first position is uniform (χ², df 23, p = 0.001)', () => {
    const critical = chiSquareCritical(ALPHA, 23); // 49.728
    const items = Array.from({ length: 24 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);
    const firsts = new Map(items.map((item) => [item, 0]));
    for (let d = 0; d < 4800; d++) {
      const first = drawOrder(`uniformity-24 #${d}`, items, sha256)[0] as string;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    // Each draw's first item is one multinomial trial over 24 categories: plain Pearson, df = 23.
    expect(pearson([...firsts.values()], 4800 / 24)).toBeLessThan(critical);
  });

  it('the first-position test rejects a draw that favours low indexes (modulo bias of a 6-bit value)', () => {
    const critical = chiSquareCritical(ALPHA, 23);
    const counts = new Array<number>(24).fill(0);
    for (let d = 0; d < 4800; d++) {
      // 64 = 2·24 + 16: indexes 0–15 get 3/64, 16–23 get 2/64 — what skipping rejection sampling does.
      const j = ((createHash('sha256').update(`bits #${d}`).digest()[0] as number) & 63) % 24;
      counts[j] = (counts[j] as number) + 1;
    }
    expect(pearson(counts, 200)).toBeGreaterThan(critical);
  });
});
