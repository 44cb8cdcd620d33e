import { describe, expect, it } from 'vitest';
import { criterionPoints, fromInt, rational, sheetTotal } from '../../../server/domain/scoring/index.js';

// A typical 6-criterion medical-innovation rubric out of 100 (raw points, weight 1 each).
const RUBRIC = [
  { key: 'innovation', weightMilli: 1000 }, // 创新性 /20
  { key: 'science', weightMilli: 1000 }, // 科学性 /15
  { key: 'maturity', weightMilli: 1000 }, // 技术成熟度 /15
  { key: 'clinical', weightMilli: 1000 }, // 临床应用价值 /20
  { key: 'market', weightMilli: 1000 }, // 转化前景 /20
  { key: 'team', weightMilli: 1000 }, // 团队 /10
];

describe('sheetTotal', () => {
  it('sums raw points exactly', () => {
    // 18.5 + 13 + 12.5 + 17 + 16.5 + 8 = 85.5
    const r = sheetTotal(
      { innovation: 1850, science: 1300, maturity: 1250, clinical: 1700, market: 1650, team: 800 },
      RUBRIC,
    );
    expect(r).toEqual({ status: 'scored', total: rational(171, 2) });
  });

  it('applies milli weights: T = Σ w·s', () => {
    // 0.3·90 + 0.25·80 + 0.45·75.5 = 27 + 20 + 33.975 = 80.975
    const criteria = [
      { key: 'a', weightMilli: 300 },
      { key: 'b', weightMilli: 250 },
      { key: 'c', weightMilli: 450 },
    ];
    const r = sheetTotal({ a: 9000, b: 8000, c: 7550 }, criteria);
    expect(r).toEqual({ status: 'scored', total: rational(80975, 1000) });
  });

  it('zero is a score; a missing mark or sheet is not', () => {
    const criteria = [
      { key: 'a', weightMilli: 1000 },
      { key: 'b', weightMilli: 1000 },
    ];
    expect(sheetTotal({ a: 0, b: 0 }, criteria)).toEqual({ status: 'scored', total: fromInt(0) });
    expect(sheetTotal({ a: 0 }, criteria)).toEqual({
      status: 'not-scored',
      reason: 'incomplete',
      missingCriteria: ['b'],
    });
    expect(sheetTotal({ a: 0, b: null }, criteria)).toEqual({
      status: 'not-scored',
      reason: 'incomplete',
      missingCriteria: ['b'],
    });
    expect(sheetTotal(undefined, criteria)).toEqual({
      status: 'not-scored',
      reason: 'missing-sheet',
      missingCriteria: ['a', 'b'],
    });
  });

  it('rejects malformed input', () => {
    expect(() => sheetTotal({ a: 1 }, [])).toThrow('no-criteria');
    expect(() => sheetTotal({ a: 10.5 }, [{ key: 'a', weightMilli: 1000 }])).toThrow('not-an-integer');
    expect(() => sheetTotal({ a: 10, z: 1 }, [{ key: 'a', weightMilli: 1000 }])).toThrow('unknown-criterion');
    expect(() =>
      sheetTotal({ a: 1 }, [
        { key: 'a', weightMilli: 1000 },
        { key: 'a', weightMilli: 1000 },
      ]),
    ).toThrow('duplicate-criterion');
  });

  it('criterionPoints reads one raw mark in points', () => {
    expect(criterionPoints({ a: 4050 }, 'a')).toEqual(rational(81, 2));
    expect(criterionPoints({ a: 4050 }, 'b')).toBeNull();
    expect(criterionPoints(null, 'a')).toBeNull();
  });
});
