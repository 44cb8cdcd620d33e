import { describe, expect, it } from 'vitest';
import {
  compareHighMarks,
  fromInt,
  rankContest,
  rankProjects,
  rational,
  type RankOptions,
} from '../../../server/domain/scoring/index.js';
import { entry } from './helpers.js';

const NONE: RankOptions = { tieBreaks: [], decimals: 2 };
const ranks = (opts: RankOptions, ...es: ReturnType<typeof entry>[]) =>
  rankProjects(es, opts).entries.map((e) => [e.ref, e.rank]);

describe('standard competition ranking', () => {
  it('1, 2, 2, 4 for a tie that no chain breaks; unscored last and unranked', () => {
    const r = rankProjects(
      [
        entry('D', rational(80)),
        entry('B', rational(90)),
        entry('X', null),
        entry('C', rational(90)),
        entry('A', rational(95)),
      ],
      NONE,
    );
    expect(r.entries.map((e) => [e.ref, e.rank, e.display])).toEqual([
      ['A', 1, '95.00'],
      ['B', 2, '90.00'],
      ['C', 2, '90.00'],
      ['D', 4, '80.00'],
      ['X', null, null],
    ]);
    expect(r.ties).toEqual([{ refs: ['B', 'C'], rank: 2, needsDecision: false }]);
    expect(r.entries[1]?.tiedWith).toEqual(['C']);
  });

  it('orders by exact value even when the display is identical', () => {
    // 89.834 and 89.8333… both display 89.83
    const r = rankProjects([entry('A', rational(539, 6)), entry('B', rational(89834, 1000))], NONE);
    expect(r.entries.map((e) => [e.ref, e.rank, e.display])).toEqual([
      ['B', 1, '89.83'],
      ['A', 2, '89.83'],
    ]);
  });

  it('equal exact values share a rank even if written differently', () => {
    expect(ranks(NONE, entry('A', rational(1078, 12)), entry('B', rational(539, 6)))).toEqual([
      ['A', 1],
      ['B', 1],
    ]);
  });
});

describe('tie-break chain', () => {
  const s = rational(539, 6);
  it.each([
    {
      name: 'untrimmed mean',
      chain: [{ kind: 'untrimmed-mean' }],
      a: { untrimmedMean: fromInt(89) },
      b: { untrimmedMean: fromInt(90) },
      order: ['B', 'A'],
      by: 'untrimmed-mean',
    },
    {
      name: 'named criterion',
      chain: [{ kind: 'criterion', criterionKey: 'clinical' }],
      a: { criterionMeans: { clinical: rational(181, 10) } },
      b: { criterionMeans: { clinical: fromInt(18) } },
      order: ['A', 'B'],
      by: 'criterion',
    },
    {
      name: 'criterion missing ranks below a value',
      chain: [{ kind: 'criterion', criterionKey: 'clinical' }],
      a: { criterionMeans: {} },
      b: { criterionMeans: { clinical: fromInt(0) } },
      order: ['B', 'A'],
      by: 'criterion',
    },
    {
      name: 'more high marks (sorted descending, lexicographic)',
      chain: [{ kind: 'more-high-marks' }],
      a: { judgeTotals: [85, 95, 80].map(fromInt) }, // 95, 85, 80
      b: { judgeTotals: [95, 90, 75].map(fromInt) }, // 95, 90, 75 → wins at 2nd
      order: ['B', 'A'],
      by: 'more-high-marks',
    },
    {
      name: 'first step ties, second decides',
      chain: [{ kind: 'untrimmed-mean' }, { kind: 'criterion', criterionKey: 'team' }],
      a: { untrimmedMean: fromInt(89), criterionMeans: { team: fromInt(9) } },
      b: { untrimmedMean: fromInt(89), criterionMeans: { team: fromInt(8) } },
      order: ['A', 'B'],
      by: 'criterion',
    },
  ] as const)('$name', ({ chain, a, b, order, by }) => {
    const r = rankProjects([entry('A', s, a), entry('B', s, b)], { tieBreaks: chain, decimals: 2 });
    expect(r.entries.map((e) => e.ref)).toEqual(order);
    expect(r.entries.map((e) => e.rank)).toEqual([1, 2]);
    expect(r.entries.every((e) => e.separatedBy === by)).toBe(true);
    expect(r.ties).toEqual([]);
  });

  it('the chain order matters', () => {
    const a = entry('A', s, { untrimmedMean: fromInt(90), criterionMeans: { team: fromInt(8) } });
    const b = entry('B', s, { untrimmedMean: fromInt(89), criterionMeans: { team: fromInt(9) } });
    const first = (kind: 'untrimmed-mean' | 'criterion') =>
      rankProjects([a, b], {
        decimals: 2,
        tieBreaks:
          kind === 'untrimmed-mean'
            ? [{ kind: 'untrimmed-mean' }, { kind: 'criterion', criterionKey: 'team' }]
            : [{ kind: 'criterion', criterionKey: 'team' }, { kind: 'untrimmed-mean' }],
      }).entries[0]?.ref;
    expect(first('untrimmed-mean')).toBe('A');
    expect(first('criterion')).toBe('B');
  });

  it('head judge: undecided ties are flagged; a decision orders them with its reason', () => {
    const es = [entry('A', s), entry('B', s), entry('C', s), entry('D', fromInt(99))];
    const chain = [{ kind: 'untrimmed-mean' as const }, { kind: 'head-judge' as const }];
    const undecided = rankProjects(es, { tieBreaks: chain, decimals: 2 });
    expect(undecided.entries.map((e) => [e.ref, e.rank, e.needsDecision])).toEqual([
      ['D', 1, false],
      ['A', 2, true],
      ['B', 2, true],
      ['C', 2, true],
    ]);
    expect(undecided.ties).toEqual([{ refs: ['A', 'B', 'C'], rank: 2, needsDecision: true }]);

    // A decision that does not cover the whole group does not apply.
    const partial = rankProjects(es, {
      tieBreaks: chain,
      decimals: 2,
      headJudgeDecisions: [{ refs: ['C', 'A'], reason: 'r' }],
    });
    expect(partial.ties).toHaveLength(1);

    const decided = rankProjects(es, {
      tieBreaks: chain,
      decimals: 2,
      headJudgeDecisions: [{ refs: ['C', 'A', 'B'], reason: '临床价值更突出' }],
    });
    expect(decided.entries.map((e) => [e.ref, e.rank, e.separatedBy, e.decisionReason])).toEqual([
      ['D', 1, 'score', null],
      ['C', 2, 'head-judge', '临床价值更突出'],
      ['A', 3, 'head-judge', '临床价值更突出'],
      ['B', 4, 'head-judge', '临床价值更突出'],
    ]);
  });

  it.each([
    { a: [90, 80], b: [80, 90], result: 0 },
    { a: [90, 81], b: [80, 90], result: 1 },
    { a: [70, 95], b: [95, 90], result: -1 },
    // a prefix ranks below the longer list (keeps "tied" transitive)
    { a: [90, 80], b: [80, 90, 70], result: -1 },
    { a: [90, 90], b: [90], result: 1 },
    { a: [], b: [], result: 0 },
  ])('compareHighMarks($a, $b) = $result', ({ a, b, result }) => {
    expect(compareHighMarks(a.map(fromInt), b.map(fromInt))).toBe(result);
  });

  it('more-high-marks is a consistent order: [9, 9] > [9, 8] > [9]', () => {
    const s = fromInt(9);
    const r = rankProjects(
      [
        entry('A', s, { judgeTotals: [9, 8].map(fromInt) }),
        entry('B', s, { judgeTotals: [9].map(fromInt) }),
        entry('C', s, { judgeTotals: [9, 9].map(fromInt) }),
      ],
      { tieBreaks: [{ kind: 'more-high-marks' }], decimals: 2 },
    );
    expect(r.entries.map((e) => [e.ref, e.rank])).toEqual([
      ['C', 1],
      ['A', 2],
      ['B', 3],
    ]);
  });
});

describe('打星 and per-track ranking', () => {
  it('out-of-competition entries are ranked and flagged, without a competition rank', () => {
    const r = rankProjects(
      [entry('S', fromInt(95), { outOfCompetition: true }), entry('A', fromInt(90)), entry('B', fromInt(85))],
      NONE,
    );
    expect(r.entries.map((e) => [e.ref, e.rank, e.competitionRank, e.outOfCompetition])).toEqual([
      ['S', 1, null, true],
      ['A', 2, 1, false],
      ['B', 3, 2, false],
    ]);
  });

  it('ranks overall and within each track', () => {
    const es = [
      entry('A1', fromInt(90), { trackKey: 'ai' }),
      entry('D1', fromInt(92), { trackKey: 'drugs' }),
      entry('A2', fromInt(88), { trackKey: 'ai' }),
      entry('D2', fromInt(88), { trackKey: 'drugs' }),
    ];
    const r = rankContest(es, NONE);
    expect(Object.keys(r.tracks)).toEqual(['ai', 'drugs']);
    expect(r.tracks.ai?.entries.map((e) => [e.ref, e.rank])).toEqual([
      ['A1', 1],
      ['A2', 2],
    ]);
    expect(r.tracks.drugs?.entries.map((e) => [e.ref, e.rank])).toEqual([
      ['D1', 1],
      ['D2', 2],
    ]);
    expect(r.overall.entries.map((e) => [e.ref, e.rank])).toEqual([
      ['D1', 1],
      ['A1', 2],
      ['A2', 3],
      ['D2', 3],
    ]);
  });
});
