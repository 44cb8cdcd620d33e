import { describe, expect, it } from 'vitest';
import { advance, fromInt, selectWithCutoff, type AdvancementRule } from '../../../server/domain/scoring/index.js';
import { entry } from './helpers.js';

// Track ai: A 95, B 90, C 88 (untrimmed 89), D 88 (untrimmed 87), E 80. Cutoff at 3 falls in the C/D tie.
const field = [
  entry('A', fromInt(95), { trackKey: 'ai' }),
  entry('B', fromInt(90), { trackKey: 'ai' }),
  entry('C', fromInt(88), { trackKey: 'ai', untrimmedMean: fromInt(89) }),
  entry('D', fromInt(88), { trackKey: 'ai', untrimmedMean: fromInt(87) }),
  entry('E', fromInt(80), { trackKey: 'ai' }),
  entry('S', fromInt(89), { trackKey: 'ai', outOfCompetition: true }),
  entry('X', null, { trackKey: 'ai' }),
  entry('M1', fromInt(70), { trackKey: 'med' }),
  entry('M2', fromInt(60), { trackKey: 'med' }),
];
const run = (tieAtCutoff: AdvancementRule['tieAtCutoff'], opts: Partial<Parameters<typeof advance>[0]> = {}) =>
  advance({
    entries: field,
    rule: { mode: 'top-n-per-track', count: 3, tieAtCutoff },
    tieBreaks: [{ kind: 'untrimmed-mean' }],
    decimals: 2,
    ...opts,
  });

describe('advancement: tie at the cutoff', () => {
  it.each([
    // widen: everyone tied on the exact score at the cutoff advances (4 from ai)
    { policy: 'widen', ai: ['A', 'B', 'C', 'D'], pending: [], widened: true },
    // tie-break: the chain (untrimmed mean) puts C ahead of D
    { policy: 'tie-break', ai: ['A', 'B', 'C'], pending: [], widened: false },
    // head-judge: the exact-score tie needs a decision; C and D both wait for one place
    { policy: 'head-judge', ai: ['A', 'B'], pending: ['C', 'D'], widened: false },
  ] as const)('$policy', ({ policy, ai, pending, widened }) => {
    const r = run(policy);
    const g = r.groups.find((x) => x.scope === 'ai')!;
    expect(g.selected).toEqual(ai);
    expect(g.pending).toEqual(pending);
    expect(g.widened).toBe(widened);
    expect(g.pendingPlaces).toBe(pending.length ? 1 : 0);
    expect(r.decisionsNeeded).toEqual(pending.length ? [{ scope: 'ai', refs: pending, places: 1 }] : []);
    // track med has only two projects: both advance, one place unfilled
    expect(r.groups.find((x) => x.scope === 'med')?.selected).toEqual(['M1', 'M2']);
    expect(r.warnings).toContainEqual({ code: 'unfilled', scope: 'med' });
  });

  it('head-judge: a supplied decision fills the place', () => {
    const r = run('head-judge', { headJudgeDecisions: [{ refs: ['D', 'C'], reason: 'team readiness' }] });
    expect(r.groups[0]?.selected).toEqual(['A', 'B', 'D']);
    expect(r.groups[0]?.decision?.reason).toBe('team readiness');
    expect(r.decisionsNeeded).toEqual([]);
  });

  it('tie-break: a tie that survives the chain needs a decision', () => {
    const r = run('tie-break', { tieBreaks: [] });
    expect(r.groups[0]?.selected).toEqual(['A', 'B']);
    expect(r.groups[0]?.pending).toEqual(['C', 'D']);
  });

  it('打星 never takes a place but is reported when it would advance', () => {
    const r = run('tie-break');
    expect(r.advanced).not.toContain('S');
    expect(r.groups[0]?.outOfCompetitionWouldAdvance).toEqual(['S']);
    expect(r.advanced).not.toContain('X');
  });

  it('top-n-overall uses one field', () => {
    const r = advance({
      entries: field,
      rule: { mode: 'top-n-overall', count: 2, tieAtCutoff: 'tie-break' },
      tieBreaks: [],
      decimals: 2,
    });
    expect(r.groups.map((g) => g.scope)).toEqual(['overall']);
    expect(r.advanced).toEqual(['A', 'B']);
  });

  it("mode 'none' advances nobody", () => {
    const r = advance({
      entries: field,
      rule: { mode: 'none', count: 0, tieAtCutoff: 'widen' },
      tieBreaks: [],
      decimals: 2,
    });
    expect(r.advanced).toEqual([]);
    expect(r.groups).toEqual([]);
  });
});

describe('selectWithCutoff', () => {
  it.each([
    { classes: [['A'], ['B', 'C'], ['D']], places: 2, policy: 'widen', selected: ['A', 'B', 'C'], pending: [] },
    { classes: [['A'], ['B', 'C'], ['D']], places: 3, policy: 'head-judge', selected: ['A', 'B', 'C'], pending: [] },
    { classes: [['A'], ['B', 'C'], ['D']], places: 2, policy: 'tie-break', selected: ['A'], pending: ['B', 'C'] },
    { classes: [['A', 'B', 'C']], places: 2, policy: 'head-judge', selected: [], pending: ['A', 'B', 'C'] },
    { classes: [['A'], ['B']], places: Infinity, policy: 'tie-break', selected: ['A', 'B'], pending: [] },
    { classes: [['A'], ['B']], places: 0, policy: 'widen', selected: [], pending: [] },
  ] as const)('$places places, $policy → $selected', ({ classes, places, policy, selected, pending }) => {
    const r = selectWithCutoff(classes, places, policy);
    expect(r.selected).toEqual(selected);
    expect(r.pending).toEqual(pending);
  });
});
