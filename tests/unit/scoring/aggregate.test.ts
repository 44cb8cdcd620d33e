import { describe, expect, it } from 'vitest';
import {
  aggregateRound,
  combineRounds,
  compare,
  fromInt,
  rational,
  toNumber,
  trimmedMean,
  type AggregateRoundInput,
} from '../../../server/domain/scoring/index.js';
import type { JudgeGroup } from '../../../server/domain/contest-document.js';
import { judges, pts, rules, sheets, SINGLE, singleProject } from './helpers.js';

const TRIM = { method: 'trimmed-mean', trim: 1, minJudgesForTrim: 5 } as const;

describe('small-n trim rule', () => {
  it.each([
    // [totals, rules, expected exact, trimApplied, trimSkipped]
    { name: '5 judges ≥ 5: trim', totals: [70, 80, 85, 90, 100], rule: TRIM, exact: rational(85), applied: true },
    {
      name: '4 judges < 5: plain mean',
      totals: [70, 80, 90, 100],
      rule: TRIM,
      exact: rational(85),
      applied: false,
      skipped: 'too-few-judges',
    },
    {
      name: '4 judges, asymmetric: mean not trimmed',
      totals: [60, 80, 90, 100],
      rule: TRIM,
      exact: rational(165, 2),
      applied: false,
      skipped: 'too-few-judges',
    },
    {
      name: 'minJudgesForTrim 3: trims 3 judges',
      totals: [60, 80, 100],
      rule: { ...TRIM, minJudgesForTrim: 3 },
      exact: rational(80),
      applied: true,
    },
    {
      name: "method 'mean' never trims",
      totals: [60, 80, 90, 100, 100],
      rule: { method: 'mean', trim: 1, minJudgesForTrim: 5 },
      exact: rational(86),
      applied: false,
    },
    {
      name: 'k = 2 at 7 judges',
      totals: [50, 60, 70, 80, 90, 95, 100],
      rule: { method: 'trimmed-mean', trim: 2, minJudgesForTrim: 7 },
      exact: rational(80),
      applied: true,
    },
    {
      name: 'k = 2 at 6 judges below min 7: mean',
      totals: [50, 60, 70, 80, 90, 100],
      rule: { method: 'trimmed-mean', trim: 2, minJudgesForTrim: 7 },
      exact: rational(75),
      applied: false,
      skipped: 'too-few-judges',
    },
  ] as const)('$name', ({ totals, rule, exact, applied, ...rest }) => {
    const tr = trimmedMean(
      totals.map((v, i) => ({ judgeKey: `j${i}`, value: fromInt(v) })),
      rule,
    );
    expect(tr.value).toEqual(exact);
    expect(tr.trimApplied).toBe(applied);
    expect(tr.trimSkipped).toBe('skipped' in rest ? rest.skipped : null);
    expect(tr.kept.length + tr.droppedLow.length + tr.droppedHigh.length).toBe(totals.length);
  });

  it('no values → null, "not scored"', () => {
    const tr = trimmedMean([], TRIM);
    expect(tr.value).toBeNull();
    expect(tr.trimSkipped).toBeNull();
  });

  it('among equal marks, the smallest judge key is the one dropped', () => {
    const tr = trimmedMean(
      [
        { judgeKey: 'c', value: fromInt(80) },
        { judgeKey: 'a', value: fromInt(80) },
        { judgeKey: 'b', value: fromInt(80) },
        { judgeKey: 'e', value: fromInt(80) },
        { judgeKey: 'd', value: fromInt(80) },
      ],
      TRIM,
    );
    expect(tr.droppedLow.map((v) => v.judgeKey)).toEqual(['a']);
    expect(tr.droppedHigh.map((v) => v.judgeKey)).toEqual(['b']);
    expect(tr.value).toEqual(fromInt(80));
  });
});

describe('missing-score policy', () => {
  // Five eligible judges a..e; e did not score. Given 70, 85, 90, 95.
  const totals = { a: 70, b: 85, c: 90, d: 95, e: null };
  it.each([
    // exclude: n = 4 < 5 → plain mean (70 + 85 + 90 + 95) / 4 = 85
    { policy: 'exclude', exact: rational(85), trimApplied: false, n: 4 },
    // mean-of-given: e := 85 → 70, 85, 85, 90, 95 → drop 70 and 95 → (85 + 85 + 90) / 3 = 260/3
    { policy: 'mean-of-given', exact: rational(260, 3), trimApplied: true, n: 5 },
  ] as const)('$policy', ({ policy, exact, trimApplied, n }) => {
    const p = aggregateRound(singleProject(totals, { missingScore: policy })).projects[0]!;
    expect(p.score).toEqual(exact);
    expect(p.explanation.trimApplied).toBe(trimApplied);
    expect(p.explanation.judges.filter((j) => j.counted)).toHaveLength(n);
    const e = p.explanation.judges.find((j) => j.judgeKey === 'e')!;
    expect(e.status).toBe('missing');
    expect(e.replaced).toBe(policy === 'mean-of-given');
    expect(e.value).toEqual(policy === 'mean-of-given' ? fromInt(85) : null);
  });

  it('mean-of-given substitutes are marked in the formula and not used as marks', () => {
    const p = aggregateRound(singleProject(totals, { missingScore: 'mean-of-given' })).projects[0]!;
    expect(p.explanation.formula).toBe(
      'trimmed mean, drop 1 high + 1 low of 5: (85.00 + 90.00 + 85.00*) / 3 = 86.67 (* = mean of given scores substituted for a missing judge)',
    );
    expect(p.judgeTotals).toHaveLength(4);
  });

  it('a recused judge is never missing', () => {
    const p = aggregateRound(
      singleProject(totals, { missingScore: 'mean-of-given' }, { recusals: [{ judgeKey: 'e', projectRef: 'P1' }] }),
    ).projects[0]!;
    expect(p.score).toEqual(rational(85)); // 4 given, no substitute, no trim
    expect(p.explanation.judges.find((j) => j.judgeKey === 'e')?.status).toBe('recused');
  });

  it('an unassigned judge is never missing', () => {
    const input = singleProject(
      totals,
      { missingScore: 'mean-of-given' },
      {
        assignments: ['a', 'b', 'c', 'd'].map((judgeKey) => ({ judgeKey, projectRef: 'P1' })),
      },
    );
    const p = aggregateRound(input).projects[0]!;
    expect(p.score).toEqual(rational(85));
    expect(p.explanation.judges.find((j) => j.judgeKey === 'e')?.status).toBe('not-assigned');
  });

  it('an incomplete sheet counts as missing; a 0 counts as a score', () => {
    const criteria = [
      { key: 'x', weightMilli: 1000 },
      { key: 'y', weightMilli: 1000 },
    ];
    const input: AggregateRoundInput = {
      rules: rules({ method: 'mean' }),
      criteria,
      judges: judges(['a', 'b', 'c']),
      projects: [{ ref: 'P1', trackKey: 't', outOfCompetition: false }],
      sheets: [
        { judgeKey: 'a', projectRef: 'P1', marks: { x: 5000, y: 4000 } }, // 90
        { judgeKey: 'b', projectRef: 'P1', marks: { x: 0, y: 0 } }, // 0
        { judgeKey: 'c', projectRef: 'P1', marks: { x: 5000 } }, // incomplete
      ],
    };
    const p = aggregateRound(input).projects[0]!;
    expect(p.score).toEqual(fromInt(45));
    expect(p.explanation.judges.map((j) => j.status)).toEqual(['scored', 'scored', 'incomplete']);
    expect(p.explanation.judges[2]?.missingCriteria).toEqual(['y']);
  });

  it('no scores at all → not scored (null), not 0', () => {
    const p = aggregateRound(singleProject({ a: null, b: null }, { missingScore: 'mean-of-given' })).projects[0]!;
    expect(p.score).toBeNull();
    expect(p.display).toBeNull();
    expect(p.explanation.formula).toBe('not scored');
  });

  it('warns about and ignores a recused judge’s sheet', () => {
    const agg = aggregateRound(
      singleProject({ a: 80, b: 90, c: 10 }, { method: 'mean' }, { recusals: [{ judgeKey: 'c', projectRef: 'P1' }] }),
    );
    expect(agg.projects[0]?.score).toEqual(fromInt(85));
    expect(agg.warnings).toEqual([{ code: 'sheet-from-recused-judge', judgeKey: 'c', projectRef: 'P1' }]);
  });

  it('rejects duplicate sheets', () => {
    const input = singleProject({ a: 80 });
    expect(() => aggregateRound({ ...input, sheets: [...input.sheets, ...input.sheets] })).toThrow('duplicate-sheet');
  });
});

describe('z-score normalization', () => {
  // Judge a marks on a wide scale, b on a narrow one, c scores only 4 projects, d gives all 80.
  const P = ['p1', 'p2', 'p3', 'p4', 'p5'];
  const A = [60, 70, 80, 90, 100];
  const B = [70, 75, 80, 85, 90];
  const C = [50, 60, 70, 80, null];
  const D = [80, 80, 80, 80, 80];
  function input(): AggregateRoundInput {
    return {
      rules: rules({ method: 'mean', normalization: 'z-score' }),
      criteria: SINGLE,
      judges: judges(['a', 'b', 'c', 'd']),
      projects: P.map((ref) => ({ ref, trackKey: 't', outOfCompetition: false })),
      sheets: P.flatMap((ref, i) => sheets(ref, { a: A[i]!, b: B[i]!, c: C[i]!, d: D[i]! })),
    };
  }

  it('guards: fewer than 5 projects or zero spread → left raw with a reason', () => {
    const agg = aggregateRound(input());
    const status = Object.fromEntries(agg.normalization.map((j) => [j.judgeKey, [j.status, j.reason, j.projects]]));
    expect(status).toEqual({
      a: ['normalized', null, 5],
      b: ['normalized', null, 5],
      c: ['raw', 'too-few-projects', 4],
      d: ['raw', 'zero-spread', 5],
    });
    expect(agg.warnings.filter((w) => w.code === 'judge-left-raw').map((w) => [w.judgeKey, w.detail])).toEqual([
      ['c', 'too-few-projects'],
      ['d', 'zero-spread'],
    ]);
    const p1 = agg.projects[0]!.explanation.judges;
    expect(p1.find((j) => j.judgeKey === 'c')).toMatchObject({
      raw: fromInt(50),
      value: fromInt(50),
      normalized: false,
    });
    expect(p1.find((j) => j.judgeKey === 'a')?.normalized).toBe(true);
  });

  it('maps z back onto the panel scale: μ_P + σ_P·z, equal z → identical value', () => {
    const agg = aggregateRound(input());
    // Panel: all 19 given totals; mean = (400 + 400 + 260 + 400) / 19 = 1460/19
    expect(agg.panelMean).toEqual(rational(1460, 19));
    const p5 = agg.projects[4]!.explanation.judges;
    const a5 = p5.find((j) => j.judgeKey === 'a')!.value!;
    const b5 = p5.find((j) => j.judgeKey === 'b')!.value!;
    // a's 100 and b's 90 are both +√2 standard deviations: identical exact values.
    expect(compare(a5, b5)).toBe(0);
    // p3: both judges at their own mean (z = 0) → the panel mean exactly.
    const p3 = agg.projects[2]!.explanation.judges;
    expect(p3.find((j) => j.judgeKey === 'a')?.value).toEqual(rational(1460, 19));
    // Float check only for the magnitude: 76.84 + σ_P · √2 with σ_P ≈ 11.1
    const sdP = toNumber(agg.panelSd!);
    expect(toNumber(a5)).toBeCloseTo(1460 / 19 + sdP * Math.SQRT2, 9);
    // Raw and normalized rankings differ only through a and b: p5 ranks first either way.
    expect(compare(agg.projects[4]!.score!, agg.projects[3]!.score!)).toBe(1);
  });

  it('minProjects is configurable', () => {
    const agg = aggregateRound({ ...input(), normalizationOptions: { minProjects: 4 } });
    expect(agg.normalization.find((j) => j.judgeKey === 'c')?.status).toBe('normalized');
  });

  it('normalization off leaves every judge raw and reports nothing', () => {
    const agg = aggregateRound({ ...input(), rules: rules({ method: 'mean' }) });
    expect(agg.normalization).toEqual([]);
    // p1 = mean(60, 70, 50, 80) = 65
    expect(agg.projects[0]?.score).toEqual(fromInt(65));
  });
});

describe('judge-group weights', () => {
  const base = (totals: Record<string, number | null>, weights: Partial<Record<JudgeGroup, number>>, extra = {}) => ({
    rules: rules({ method: 'trimmed-mean', groupWeights: weights, ...extra }),
    criteria: SINGLE,
    judges: [
      { key: 'c1', group: 'clinical' as const },
      { key: 'c2', group: 'clinical' as const },
      { key: 'c3', group: 'clinical' as const },
      { key: 'i1', group: 'investor' as const },
      { key: 'i2', group: 'investor' as const },
      { key: 'o1', group: 'other' as const },
    ],
    projects: [{ ref: 'P1', trackKey: 't', outOfCompetition: false }],
    sheets: sheets('P1', totals),
  });

  it.each([
    {
      name: '60/40 over both groups',
      totals: { c1: 90, c2: 80, c3: 85, i1: 70, i2: 75, o1: null },
      weights: { clinical: 60, investor: 40 },
      // clinical mean 85 (3 < 5, no trim), investor mean 72.5 → 0.6·85 + 0.4·72.5 = 80
      exact: fromInt(80),
      formula:
        'clinical: mean of 3 (fewer than 5 judges: no trim): (90.00 + 80.00 + 85.00) / 3 = 85.00; investor: mean of 2 (fewer than 5 judges: no trim): (70.00 + 75.00) / 2 = 72.50; clinical 60% × 85.00 + investor 40% × 72.50 = 80.00',
    },
    {
      name: 'renormalized when a group has no scores',
      totals: { c1: 90, c2: 80, c3: 85, i1: null, i2: null, o1: null },
      weights: { clinical: 60, investor: 40 },
      exact: fromInt(85),
      formula:
        'clinical: mean of 3 (fewer than 5 judges: no trim): (90.00 + 80.00 + 85.00) / 3 = 85.00; investor: not scored; (clinical 60% × 85.00) / 60% = 85.00 (weights renormalized over groups present)',
    },
    {
      name: 'three groups, 50/30/20',
      totals: { c1: 90, c2: 80, c3: 85, i1: 70, i2: 75, o1: 61 },
      weights: { clinical: 50, investor: 30, other: 20 },
      // 0.5·85 + 0.3·72.5 + 0.2·61 = 42.5 + 21.75 + 12.2 = 76.45
      exact: rational(7645, 100),
    },
  ])('$name', ({ totals, weights, exact, formula }) => {
    const p = aggregateRound(base(totals, weights)).projects[0]!;
    expect(p.score).toEqual(exact);
    if (formula) expect(p.explanation.formula).toBe(formula);
  });

  it('judges of a group without weight are not counted, with a warning', () => {
    const agg = aggregateRound(
      base({ c1: 90, c2: 80, c3: 85, i1: 70, i2: 75, o1: 10 }, { clinical: 60, investor: 40 }),
    );
    expect(agg.projects[0]?.score).toEqual(fromInt(80));
    expect(agg.warnings).toContainEqual({ code: 'group-without-weight', judgeKey: 'o1', detail: 'other' });
    expect(agg.projects[0]?.explanation.judges.find((j) => j.judgeKey === 'o1')?.counted).toBe(false);
    expect(agg.projects[0]?.explanation.groups?.map((g) => [g.group, g.percent, g.n, g.display])).toEqual([
      ['clinical', 60, 3, '85.00'],
      ['investor', 40, 2, '72.50'],
    ]);
  });

  it('each group trims on its own n', () => {
    const p = aggregateRound({
      ...base({ c1: 0, c2: 0, c3: 0, i1: 0, i2: 0, o1: 0 }, { clinical: 50, investor: 50 }, { minJudgesForTrim: 3 }),
      sheets: sheets('P1', { c1: 90, c2: 60, c3: 85, i1: 70, i2: 75 }),
    }).projects[0]!;
    // clinical trims (n = 3 ≥ 3): 85; investor does not (n = 2): 72.5 → (85 + 72.5)/2 = 78.75
    expect(p.score).toEqual(rational(7875, 100));
    expect(p.explanation.groups?.map((g) => g.trimApplied)).toEqual([true, false]);
  });
});

describe('multi-round combination', () => {
  it.each([
    {
      rule: { mode: 'reset', priorWeightPercent: 0 },
      current: fromInt(90),
      prior: fromInt(70),
      value: fromInt(90),
      status: 'current-only',
    },
    // 0.3·80 + 0.7·90 = 87
    {
      rule: { mode: 'weighted', priorWeightPercent: 30 },
      current: fromInt(90),
      prior: fromInt(80),
      value: fromInt(87),
      status: 'combined',
    },
    // 0.5·(539/6) + 0.5·85 = 539/12 + 85/2 = 1049/12
    {
      rule: { mode: 'weighted', priorWeightPercent: 50 },
      prior: rational(539, 6),
      value: rational(1049, 12),
      status: 'combined',
      current: fromInt(85),
    },
    {
      rule: { mode: 'weighted', priorWeightPercent: 30 },
      current: fromInt(90),
      prior: null,
      value: null,
      status: 'missing-prior',
    },
  ] as const)('$rule.mode $rule.priorWeightPercent% prior $status', ({ rule, current, prior, value, status }) => {
    const r = combineRounds(current, prior, rule);
    expect(r.value).toEqual(value);
    expect(r.status).toBe(status);
  });

  it('aggregateRound carries over 30/70 and explains it', () => {
    const agg = aggregateRound(
      singleProject(
        { a: 88, b: 90, c: 91.5, d: 86, e: 93 },
        {},
        { combine: { mode: 'weighted', priorWeightPercent: 30 }, priorScores: { P1: pts(85.2) } },
      ),
    );
    const p = agg.projects[0]!;
    // 0.3·85.2 + 0.7·(539/6) = 25.56 + 62.8833… = 88.4433… → 88.44
    expect(p.roundScore).toEqual(rational(539, 6));
    expect(p.score).toEqual(rational(26533, 300));
    expect(p.display).toBe('88.44');
    expect(p.explanation.formula).toMatch(/; 30% × 85\.20 \(prior\) \+ 70% × 89\.83 = 88\.44$/);
  });

  it('a project without a prior score is unscored under carry-over, with a warning', () => {
    const agg = aggregateRound(
      singleProject({ a: 80, b: 90 }, {}, { combine: { mode: 'weighted', priorWeightPercent: 30 }, priorScores: {} }),
    );
    expect(agg.projects[0]?.score).toBeNull();
    expect(agg.projects[0]?.roundScore).toEqual(fromInt(85));
    expect(agg.warnings).toContainEqual({ code: 'missing-prior', projectRef: 'P1' });
  });
});

describe('tie-break keys', () => {
  it('criterion means use the raw marks of judges who scored', () => {
    const agg = aggregateRound({
      rules: rules(),
      criteria: [
        { key: 'x', weightMilli: 500 },
        { key: 'y', weightMilli: 500 },
      ],
      judges: judges(['a', 'b', 'c']),
      projects: [{ ref: 'P1', trackKey: 't', outOfCompetition: false }],
      sheets: [
        { judgeKey: 'a', projectRef: 'P1', marks: { x: 9000, y: 7000 } },
        { judgeKey: 'b', projectRef: 'P1', marks: { x: 8050, y: 6000 } },
      ],
    });
    const p = agg.projects[0]!;
    expect(p.criterionMeans).toEqual({ x: rational(17050, 200), y: fromInt(65) });
    // totals: a = 0.5·90 + 0.5·70 = 80, b = 0.5·80.5 + 0.5·60 = 70.25
    expect(p.judgeTotals).toEqual([fromInt(80), rational(7025, 100)]);
    expect(p.untrimmedMean).toEqual(rational(15025, 200));
  });
});
