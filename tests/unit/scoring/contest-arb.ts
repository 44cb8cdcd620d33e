/**
 * fast-check generator of small random contests for the property and re-tally tests.
 * Marks come from a narrow range so that ties (of totals and of aggregates) are frequent.
 */
import fc from 'fast-check';
import type { AggregateRoundInput, AwardTier, TieAtCutoffPolicy } from '../../../server/domain/scoring/index.js';
import type { ScoringRules } from '../../../server/domain/contest-document.js';
import { rules } from './helpers.js';

export type CellSpec =
  { kind: 'scored'; marks: number[] } | { kind: 'recused' } | { kind: 'missing' } | { kind: 'incomplete' };

export interface RandomContest {
  weights: number[]; // milli per criterion c0..
  judgeCount: number;
  projects: { ref: string; trackKey: string; outOfCompetition: boolean }[];
  cells: CellSpec[][]; // [project][judge]
  method: 'mean' | 'trimmed-mean';
  trim: number;
  minJudgesForTrim: number;
  missingScore: 'exclude' | 'mean-of-given';
  decimals: number;
  tieBreaks: ('untrimmed-mean' | 'more-high-marks' | 'criterion' | 'head-judge')[];
  tiers: AwardTier[];
  policy: TieAtCutoffPolicy;
}

/** Marks 60.00, 60.50, … with `levels` distinct values (few levels → many ties). */
const markArb = (levels: number) => fc.integer({ min: 0, max: levels - 1 }).map((i) => 6000 + 50 * i);

export const contestArb: fc.Arbitrary<RandomContest> = fc
  .record({
    weights: fc.array(fc.constantFrom(0, 500, 1000, 1000, 1250), { minLength: 1, maxLength: 3 }),
    judgeCount: fc.integer({ min: 1, max: 9 }),
    levels: fc.integer({ min: 1, max: 9 }),
    projectCount: fc.integer({ min: 1, max: 9 }),
    method: fc.constantFrom('mean' as const, 'trimmed-mean' as const),
    trim: fc.integer({ min: 1, max: 2 }),
    extraMin: fc.integer({ min: 0, max: 4 }),
    missingScore: fc.constantFrom('exclude' as const, 'mean-of-given' as const),
    decimals: fc.integer({ min: 0, max: 3 }),
    tieBreaks: fc.subarray(['untrimmed-mean', 'criterion', 'more-high-marks', 'head-judge'] as const),
    policy: fc.constantFrom('widen' as const, 'tie-break' as const, 'head-judge' as const),
    seed: fc.infiniteStream(fc.integer({ min: 0, max: 2 ** 30 })),
    tiers: fc.array(
      fc.record({
        scope: fc.constantFrom('overall' as const, 'track' as const),
        quotaKind: fc.constantFrom('count' as const, 'count' as const, 'percent' as const, 'rest' as const),
        quota: fc.integer({ min: 0, max: 4 }),
        percent: fc.integer({ min: 0, max: 100 }),
        minScoreCenti: fc.option(
          fc.integer({ min: 0, max: 8 }).map((i) => 6000 + 50 * i),
          { nil: null },
        ),
        precedence: fc.integer({ min: 1, max: 5 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .chain((r) =>
    fc
      .record({
        projects: fc.array(fc.record({ track: fc.constantFrom('t1', 't2'), star: fc.integer({ min: 0, max: 6 }) }), {
          minLength: r.projectCount,
          maxLength: r.projectCount,
        }),
        cells: fc.array(
          fc.array(
            fc.oneof(
              {
                weight: 14,
                arbitrary: fc
                  .array(markArb(r.levels), { minLength: r.weights.length, maxLength: r.weights.length })
                  .map((marks) => ({ kind: 'scored' as const, marks })),
              },
              { weight: 2, arbitrary: fc.constant({ kind: 'recused' as const }) },
              { weight: 2, arbitrary: fc.constant({ kind: 'missing' as const }) },
              { weight: 1, arbitrary: fc.constant({ kind: 'incomplete' as const }) },
            ),
            { minLength: r.judgeCount, maxLength: r.judgeCount },
          ),
          { minLength: r.projectCount, maxLength: r.projectCount },
        ),
      })
      .map(({ projects, cells }): RandomContest => ({
        weights: r.weights,
        judgeCount: r.judgeCount,
        projects: projects.map((p, i) => ({ ref: `P${i}`, trackKey: p.track, outOfCompetition: p.star === 0 })),
        cells,
        method: r.method,
        trim: r.trim,
        minJudgesForTrim: 2 * r.trim + 1 + r.extraMin,
        missingScore: r.missingScore,
        decimals: r.decimals,
        tieBreaks: [...r.tieBreaks],
        policy: r.policy,
        tiers: r.tiers.map((t, i) => ({
          key: `tier${i}`,
          precedence: t.precedence,
          scope: t.scope,
          quotaKind: t.quotaKind,
          quota: t.quotaKind === 'percent' ? t.percent : t.quota,
          minScoreCenti: t.minScoreCenti,
          audience: false,
        })),
      })),
  );

export const judgeKey = (j: number) => `j${j}`;
export const criterionKey = (c: number) => `c${c}`;

/** The engine input for a random contest. */
export function toInput(c: RandomContest): AggregateRoundInput & { rules: ScoringRules } {
  const judges = Array.from({ length: c.judgeCount }, (_, j) => ({ key: judgeKey(j), group: 'other' as const }));
  const recusals: { judgeKey: string; projectRef: string }[] = [];
  const sheets: AggregateRoundInput['sheets'][number][] = [];
  c.projects.forEach((p, pi) => {
    c.cells[pi]?.forEach((cell, j) => {
      if (cell.kind === 'recused') recusals.push({ judgeKey: judgeKey(j), projectRef: p.ref });
      if (cell.kind === 'scored')
        sheets.push({
          judgeKey: judgeKey(j),
          projectRef: p.ref,
          marks: Object.fromEntries(cell.marks.map((m, ci) => [criterionKey(ci), m])),
        });
      if (cell.kind === 'incomplete') sheets.push({ judgeKey: judgeKey(j), projectRef: p.ref, marks: {} });
    });
  });
  return {
    rules: rules({
      method: c.method,
      trim: c.trim,
      minJudgesForTrim: c.minJudgesForTrim,
      missingScore: c.missingScore,
      decimals: c.decimals,
      tieBreaks: c.tieBreaks.map((kind) => (kind === 'criterion' ? { kind, criterionKey: 'c0' } : { kind })),
    }),
    criteria: c.weights.map((w, i) => ({ key: criterionKey(i), weightMilli: w })),
    judges,
    projects: c.projects,
    sheets,
    recusals,
  };
}
