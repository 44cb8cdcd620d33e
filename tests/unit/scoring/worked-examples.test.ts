/**
 * Worked examples from real scoring systems, with expected values computed by hand.
 */
import { describe, expect, it } from 'vitest';
import { aggregateRound, fromInt, mul, rational, toFixed, trimmedMean } from '../../../server/domain/scoring/index.js';
import { pts, singleProject } from './helpers.js';

describe('World Aquatics diving', () => {
  it('7 judges: drop 2 highest + 2 lowest, sum the middle 3, × degree of difficulty', () => {
    // Marks: j1 7.5, j2 8.0, j3 8.5, j4 8.0, j5 9.0, j6 8.5, j7 7.0; DD 3.2 (e.g. 107B).
    // Sorted: 7.0(j7) 7.5(j1) 8.0(j2) 8.0(j4) 8.5(j3) 8.5(j6) 9.0(j5)
    // Drop lows j7, j1; drop highs j5 and one 8.5 — by the documented rule the smaller key, j3.
    // Middle: 8.0 + 8.0 + 8.5 = 24.5; × 3.2 = 78.40.
    const input = singleProject(
      { j1: 7.5, j2: 8.0, j3: 8.5, j4: 8.0, j5: 9.0, j6: 8.5, j7: 7.0 },
      { method: 'trimmed-mean', trim: 2, minJudgesForTrim: 7 },
    );
    const p = aggregateRound(input).projects[0]!;
    // The engine's mean of the middle three is 24.5 / 3.
    expect(p.score).toEqual(rational(49, 6));
    const diveScore = mul(mul(p.score!, fromInt(3)), rational(32, 10));
    expect(diveScore).toEqual(rational(392, 5));
    expect(toFixed(diveScore, 2)).toBe('78.40');
    const dropped = Object.fromEntries(p.explanation.judges.map((j) => [j.judgeKey, j.dropped]));
    expect(dropped).toEqual({ j1: 'low', j2: null, j3: 'high', j4: null, j5: 'high', j6: null, j7: 'low' });
  });

  it('5 judges: drop 1 + 1', () => {
    // 6.5, 7.0, 7.0, 7.5, 8.0 with DD 2.0: middle 7.0 + 7.0 + 7.5 = 21.5; × 2.0 = 43.00.
    const tr = trimmedMean(
      [6.5, 7.0, 7.0, 7.5, 8.0].map((v, i) => ({ judgeKey: `j${i + 1}`, value: pts(v) })),
      { method: 'trimmed-mean', trim: 1, minJudgesForTrim: 5 },
    );
    expect(toFixed(mul(mul(tr.value!, fromInt(3)), fromInt(2)), 2)).toBe('43.00');
    expect(tr.droppedLow.map((v) => v.judgeKey)).toEqual(['j1']);
    expect(tr.droppedHigh.map((v) => v.judgeKey)).toEqual(['j5']);
  });
});

describe('Chinese roadshow final (去掉一个最高分和一个最低分)', () => {
  it('5 judges: (88 + 90 + 91.5) / 3 = 89.83', () => {
    // Totals 88, 90, 91.5, 86, 93 → drop 93 (high) and 86 (low) → 269.5 / 3 = 89.8333… → 89.83
    const agg = aggregateRound(singleProject({ a: 88, b: 90, c: 91.5, d: 86, e: 93 }));
    const p = agg.projects[0]!;
    expect(p.score).toEqual(rational(539, 6));
    expect(p.display).toBe('89.83');
    expect(p.explanation.exactText).toBe('539/6');
    expect(p.explanation.formula).toBe('trimmed mean, drop 1 high + 1 low of 5: (88.00 + 90.00 + 91.50) / 3 = 89.83');
    expect(p.explanation.judges.filter((j) => j.dropped).map((j) => [j.judgeKey, j.dropped])).toEqual([
      ['d', 'low'],
      ['e', 'high'],
    ]);
    // The untrimmed mean (tie-break key) is 448.5 / 5 = 89.7
    expect(p.untrimmedMean).toEqual(rational(897, 10));
  });
});

describe('ISU figure skating', () => {
  it('9 judges: drop the highest and the lowest, mean of 7', () => {
    // 9.25, 9.50, 9.00, 9.75, 9.25, 9.50, 8.75, 9.50, 9.25
    // drop 8.75 and 9.75; 9.00 + 3 × 9.25 + 3 × 9.50 = 65.25; 65.25 / 7 = 9.3214… → 9.32
    const marks = [9.25, 9.5, 9.0, 9.75, 9.25, 9.5, 8.75, 9.5, 9.25];
    const totals = Object.fromEntries(marks.map((m, i) => [`j${i + 1}`, m]));
    const p = aggregateRound(singleProject(totals, { trim: 1, minJudgesForTrim: 9 })).projects[0]!;
    expect(p.score).toEqual(rational(261, 28));
    expect(p.display).toBe('9.32');
    expect(p.explanation.judges.filter((j) => j.dropped).map((j) => j.judgeKey)).toEqual(['j4', 'j7']);
  });
});
