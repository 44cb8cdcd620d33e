/** Mark validation and the judge's right to write a sheet. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refusal, validateMarks, type CriterionRange } from '../../server/domain/score-rules.js';

const rubric: CriterionRange[] = [
  { key: 'innovation', minCenti: 0, maxCenti: 2000, stepCenti: 100 },
  { key: 'team', minCenti: 0, maxCenti: 1500, stepCenti: 50 },
];

describe('validateMarks', () => {
  it.each([
    [{ innovation: 1800, team: 1450 }, []],
    [{ innovation: 0, team: 0 }, []],
    [{ team: 1450 }, [{ criterionKey: 'innovation', problem: 'missing' }]],
    [{ innovation: 2100, team: 1450 }, [{ criterionKey: 'innovation', problem: 'out-of-range' }]],
    [{ innovation: -100, team: 1450 }, [{ criterionKey: 'innovation', problem: 'out-of-range' }]],
    [{ innovation: 1850, team: 1450 }, [{ criterionKey: 'innovation', problem: 'off-step' }]],
    [{ innovation: 1800, team: 1425 }, [{ criterionKey: 'team', problem: 'off-step' }]],
    [{ innovation: 18.5, team: 1450 }, [{ criterionKey: 'innovation', problem: 'not-integer' }]],
    [{ innovation: '1800', team: 1450 }, [{ criterionKey: 'innovation', problem: 'not-integer' }]],
    [{ innovation: 1800, team: 1450, bonus: 100 }, [{ criterionKey: 'bonus', problem: 'unknown-criterion' }]],
  ])('%j → %j', (marks, expected) => {
    expect(validateMarks(rubric, marks)).toEqual(expected);
  });

  it('accepts exactly the marks on the grid inside the range', () => {
    fc.assert(
      fc.property(fc.integer({ min: -500, max: 2500 }), (mark) => {
        const ok = validateMarks(rubric, { innovation: mark, team: 0 }).length === 0;
        return ok === (mark >= 0 && mark <= 2000 && mark % 100 === 0);
      }),
    );
  });
});

describe('refusal', () => {
  const open = { windowOpen: true, assigned: true, recused: false, ownSheet: true, unlocked: false };
  it('allows an assigned, unrecused judge on their own sheet while the window is open', () => {
    expect(refusal(open)).toBeNull();
  });
  it.each([
    [{ ...open, ownSheet: false }, 'not-your-sheet'],
    [{ ...open, assigned: false }, 'not-assigned'],
    [{ ...open, recused: true }, 'recused'],
    [{ ...open, windowOpen: false }, 'round-closed'],
    [{ ...open, windowOpen: false, unlocked: true }, null],
    [{ ...open, ownSheet: false, recused: true, windowOpen: false }, 'not-your-sheet'],
  ])('%j → %s', (facts, expected) => {
    expect(refusal(facts)).toBe(expected);
  });
});
