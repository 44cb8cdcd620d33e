import { describe, expect, it } from 'vitest';
import { PrizeTier } from '../../../server/domain/contest-document.js';
import {
  allocateAwards,
  awardTierFromDocument,
  fromInt,
  quotaPlaces,
  rational,
  type AwardTier,
  type AwardsInput,
} from '../../../server/domain/scoring/index.js';
import { entry } from './helpers.js';

const tier = (key: string, precedence: number, over: Partial<AwardTier> = {}): AwardTier => ({
  key,
  precedence,
  scope: 'overall',
  quotaKind: 'count',
  quota: 1,
  minScoreCenti: null,
  audience: false,
  ...over,
});
const byTier = (r: ReturnType<typeof allocateAwards>) => {
  const out: Record<string, string[]> = {};
  for (const a of r.allocations) (out[a.tierKey] ??= []).push(a.ref);
  return out;
};
const base = (over: Partial<AwardsInput>): AwardsInput => ({
  tiers: [],
  entries: [],
  tieBreaks: [{ kind: 'untrimmed-mean' }],
  decimals: 2,
  tieAtCutoff: 'tie-break',
  ...over,
});

// Ten competing projects P1 (95) … P10 (50) in steps of 5, plus a 打星 S at 93.
const ten = Array.from({ length: 10 }, (_, i) =>
  entry(`P${i + 1}`, fromInt(95 - 5 * i), { trackKey: i % 2 === 0 ? 'ai' : 'drugs' }),
);
const star = entry('S', fromInt(93), { trackKey: 'ai', outOfCompetition: true });

describe('awards: precedence, quotas, one award per project', () => {
  it('fills tiers by precedence regardless of input order; 打星 takes no place', () => {
    const r = allocateAwards(
      base({
        entries: [...ten, star],
        tiers: [tier('third', 3, { quota: 3 }), tier('first', 1, { quota: 1 }), tier('second', 2, { quota: 2 })],
      }),
    );
    expect(byTier(r)).toEqual({ first: ['P1'], second: ['P2', 'P3'], third: ['P4', 'P5', 'P6'] });
    expect(r.allocations.map((a) => a.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.outOfCompetition).toEqual([
      {
        ref: 'S',
        score: fromInt(93),
        display: '93.00',
        wouldRankOverall: 2,
        wouldRankInTrack: 2,
        wouldQualifyFor: 'second',
      },
    ]);
  });

  it('track and overall tiers together: a project keeps only its highest award', () => {
    const r = allocateAwards(
      base({
        entries: ten,
        tiers: [tier('grand', 1, { quota: 1 }), tier('track-first', 2, { scope: 'track', quota: 1 })],
      }),
    );
    // P1 (ai) wins grand; the ai track first prize goes to the next ai project, P3.
    expect(r.allocations.map((a) => [a.tierKey, a.scope, a.ref])).toEqual([
      ['grand', 'overall', 'P1'],
      ['track-first', 'ai', 'P3'],
      ['track-first', 'drugs', 'P2'],
    ]);
  });

  it.each([
    // percent of N competing projects in scope, rounded down
    { quota: 30, n: 10, places: 3 },
    { quota: 25, n: 10, places: 2 }, // 2.5 → 2
    { quota: 10, n: 9, places: 0 }, // 0.9 → 0
    { quota: 100, n: 7, places: 7 },
    { quota: 15, n: 20, places: 3 },
  ])('percent quota $quota% of $n → $places', ({ quota, n, places }) => {
    expect(quotaPlaces({ quotaKind: 'percent', quota }, n)).toBe(places);
  });

  it('percent quotas count competing projects only and warn on rounding', () => {
    const r = allocateAwards(
      base({ entries: [...ten, star], tiers: [tier('excellent', 1, { quotaKind: 'percent', quota: 25 })] }),
    );
    expect(byTier(r)).toEqual({ excellent: ['P1', 'P2'] }); // 25% of 10 = 2.5 → 2 (S not counted)
    expect(r.tiers[0]).toMatchObject({ basis: 10, places: 2 });
    expect(r.warnings).toContainEqual({ code: 'percent-rounded-down', tierKey: 'excellent', scope: 'overall' });
  });

  it("'rest' takes everyone remaining at or above minScore (exact comparison)", () => {
    const entries = [...ten, entry('Q', rational(7499, 100)), entry('R', rational(75))];
    const r = allocateAwards(
      base({
        entries,
        tiers: [tier('first', 1, { quota: 2 }), tier('merit', 2, { quotaKind: 'rest', minScoreCenti: 7500 })],
      }),
    );
    // ≥ 75.00: P1..P5 (95..75) and R (75); Q at 74.99 misses.
    expect(byTier(r)).toEqual({ first: ['P1', 'P2'], merit: ['P3', 'P4', 'P5', 'R'] });
    expect(r.tiers.find((t) => t.tierKey === 'merit')?.places).toBeNull();
  });

  it('minScore can leave places unfilled', () => {
    const r = allocateAwards(base({ entries: ten, tiers: [tier('first', 1, { quota: 3, minScoreCenti: 9000 })] }));
    expect(byTier(r)).toEqual({ first: ['P1', 'P2'] });
    expect(r.warnings).toContainEqual({ code: 'unfilled', tierKey: 'first', scope: 'overall' });
  });

  it('warns about equal precedences and missing audience votes', () => {
    const r = allocateAwards(
      base({ entries: ten, tiers: [tier('a', 1), tier('b', 1), tier('pop', 9, { audience: true })] }),
    );
    expect(r.warnings.map((w) => [w.code, w.tierKey])).toEqual(
      expect.arrayContaining([
        ['duplicate-precedence', 'b'],
        ['no-audience-votes', 'pop'],
      ]),
    );
  });
});

describe('awards: tie at the cutoff', () => {
  // first prize: 2 places; B and C tie on 90 for the second place; C has the higher untrimmed mean.
  const entries = [
    entry('A', fromInt(95)),
    entry('B', fromInt(90), { untrimmedMean: fromInt(88) }),
    entry('C', fromInt(90), { untrimmedMean: fromInt(91) }),
    entry('D', fromInt(85)),
    entry('E', fromInt(80)),
  ];
  const tiers = [tier('first', 1, { quota: 2 }), tier('second', 2, { quota: 2 })];
  it.each([
    // (within an equal-score class the chain order, C before B, is kept for display)
    { policy: 'widen', first: ['A', 'C', 'B'], second: ['D', 'E'], pending: [] },
    { policy: 'tie-break', first: ['A', 'C'], second: ['B', 'D'], pending: [] },
    { policy: 'head-judge', first: ['A'], second: ['D', 'E'], pending: ['C', 'B'] },
  ] as const)('$policy', ({ policy, first, second, pending }) => {
    const r = allocateAwards(base({ entries, tiers, tieAtCutoff: policy }));
    expect(byTier(r)).toEqual({ first: [...first], second: [...second] });
    expect(r.decisionsNeeded).toEqual(
      pending.length ? [{ tierKey: 'first', scope: 'overall', refs: pending, places: 1 }] : [],
    );
    // While a decision is pending, the lower tier is provisional and the held projects are excluded.
    expect(r.tiers.find((t) => t.tierKey === 'second')?.provisional).toBe(pending.length > 0);
    const tied = r.allocations.filter((a) => a.tiedAtCutoff).map((a) => a.ref);
    expect(tied).toEqual(policy === 'widen' ? ['C', 'B'] : []);
  });

  it('head-judge with a decision', () => {
    const r = allocateAwards(
      base({
        entries,
        tiers,
        tieAtCutoff: 'head-judge',
        headJudgeDecisions: [{ refs: ['B', 'C'], reason: '评委组长裁定' }],
      }),
    );
    expect(byTier(r)).toEqual({ first: ['A', 'B'], second: ['C', 'D'] });
    expect(r.allocations.find((a) => a.ref === 'B')).toMatchObject({
      tiedAtCutoff: true,
      decisionReason: '评委组长裁定',
    });
  });
});

describe('audience tier', () => {
  const entries = [
    entry('A', fromInt(95)),
    entry('B', fromInt(90)),
    entry('C', fromInt(85)),
    entry('S', fromInt(99), { outOfCompetition: true }),
  ];
  it('is filled from votes, not scores; 打星 excluded; respects one award per project', () => {
    const r = allocateAwards(
      base({
        entries,
        tiers: [tier('first', 1), tier('popular', 2, { audience: true })],
        audienceVotes: [
          { ref: 'S', votes: 900 },
          { ref: 'A', votes: 500 },
          { ref: 'C', votes: 300 },
          { ref: 'B', votes: 120 },
        ],
      }),
    );
    expect(byTier(r)).toEqual({ first: ['A'], popular: ['C'] });
    expect(r.allocations[1]).toMatchObject({ votes: 300, rank: 3 });
  });

  it('an equal vote count at the cutoff needs a decision under tie-break', () => {
    const r = allocateAwards(
      base({
        entries,
        tiers: [tier('popular', 1, { audience: true })],
        audienceVotes: [
          { ref: 'A', votes: 300 },
          { ref: 'C', votes: 300 },
        ],
      }),
    );
    expect(r.allocations).toEqual([]);
    expect(r.decisionsNeeded).toEqual([{ tierKey: 'popular', scope: 'overall', refs: ['A', 'C'], places: 1 }]);
  });
});

describe('awardTierFromDocument', () => {
  it('converts decimal minScore to centi-points', () => {
    const t = awardTierFromDocument(
      PrizeTier.parse({ key: 'first', name: { zh: '一等奖' }, precedence: 1, minScore: 80.5, quota: 2 }),
    );
    expect(t).toEqual({
      key: 'first',
      precedence: 1,
      scope: 'track',
      quotaKind: 'count',
      quota: 2,
      minScoreCenti: 8050,
      audience: false,
    });
  });
});
