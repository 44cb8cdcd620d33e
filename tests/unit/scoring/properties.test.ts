/** Property tests (fast-check) over the aggregation, ranking, advancement and award invariants. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  advance,
  aggregateRound,
  allocateAwards,
  compare,
  fromInt,
  maxOf,
  minOf,
  rankProjects,
  rational,
  toFixed,
  trimmedMean,
  type AggregateRoundInput,
  type Rational,
} from '../../../server/domain/scoring/index.js';
import { contestArb, toInput } from './contest-arb.js';
import { entry } from './helpers.js';

/** Deterministic Fisher–Yates shuffle from a seed (a tiny LCG; no Math.random in tests). */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const summary = (input: AggregateRoundInput) =>
  aggregateRound(input).projects.map((p) => ({
    ref: p.ref,
    exact: p.explanation.exactText,
    display: p.display,
    dropped: Object.fromEntries(p.explanation.judges.map((j) => [j.judgeKey, [j.dropped, j.counted, j.replaced]])),
  }));

describe('aggregation properties', () => {
  it('results do not depend on the order of judges or sheets', () => {
    fc.assert(
      fc.property(contestArb, fc.integer(), (c, seed) => {
        const input = toInput(c);
        const shuffled = { ...input, judges: shuffle(input.judges, seed), sheets: shuffle(input.sheets, seed + 1) };
        expect(summary(shuffled)).toEqual(summary(input));
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('the trimmed mean lies between the highest dropped-low and the lowest dropped-high mark', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 6 }),
        (marks, k, extra) => {
          const values = marks.map((m, i) => ({ judgeKey: `j${String(i).padStart(2, '0')}`, value: rational(m, 100) }));
          const tr = trimmedMean(values, { method: 'trimmed-mean', trim: k, minJudgesForTrim: 2 * k + 1 + extra });
          const all = values.map((v) => v.value);
          expect(compare(tr.value!, minOf(all)!)).toBeGreaterThanOrEqual(0);
          expect(compare(tr.value!, maxOf(all)!)).toBeLessThanOrEqual(0);
          expect(tr.trimApplied).toBe(marks.length >= 2 * k + 1 + extra);
          if (!tr.trimApplied) {
            expect(tr.kept).toHaveLength(marks.length);
            return;
          }
          expect(tr.droppedLow).toHaveLength(k);
          expect(tr.droppedHigh).toHaveLength(k);
          const lowMax = maxOf(tr.droppedLow.map((v) => v.value))!;
          const highMin = minOf(tr.droppedHigh.map((v) => v.value))!;
          expect(compare(lowMax, tr.value!)).toBeLessThanOrEqual(0);
          expect(compare(tr.value!, highMin)).toBeLessThanOrEqual(0);
          for (const v of tr.kept) {
            expect(compare(lowMax, v.value)).toBeLessThanOrEqual(0);
            expect(compare(v.value, highMin)).toBeLessThanOrEqual(0);
          }
        },
      ),
    );
  });
});

describe('ranking properties', () => {
  // Values n/d close together so that many display identically at 2 decimals.
  const valueArb = fc
    .record({ n: fc.integer({ min: 8_980, max: 8_990 }), d: fc.constantFrom(100, 300, 600, 700) })
    .map(({ n, d }) => ({ value: rational((n * d) / 100 + (n % 3), d) }));

  it('equal exact values share a rank; unequal ones are ordered by exact value, never by display', () => {
    let displayCollisions = 0;
    let exactTies = 0;
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 2, maxLength: 12 }), fc.integer(), (vals, seed) => {
        const es = vals.map((v, i) => entry(`E${i}`, v.value));
        const r = rankProjects(shuffle(es, seed), { tieBreaks: [{ kind: 'untrimmed-mean' }], decimals: 2 });
        const rank = new Map(r.entries.map((e) => [e.ref, e.rank as number]));
        for (const a of es)
          for (const b of es) {
            const c = compare(a.score as Rational, b.score as Rational);
            const ra = rank.get(a.ref)!;
            const rb = rank.get(b.ref)!;
            if (c === 0) expect(ra).toBe(rb);
            if (c === 0 && a !== b) exactTies++;
            if (c > 0) expect(ra).toBeLessThan(rb);
            if (c !== 0 && toFixed(a.score!, 2) === toFixed(b.score!, 2)) displayCollisions++;
          }
      }),
    );
    // The generator really produces both cases.
    expect(displayCollisions).toBeGreaterThan(50);
    expect(exactTies).toBeGreaterThan(50);
  });

  it('a tie is not merged by rounding: 89.834 vs 89.8333… (display 89.83 both)', () => {
    const r = rankProjects([entry('A', rational(539, 6)), entry('B', rational(89834, 1000))], {
      tieBreaks: [],
      decimals: 2,
    });
    expect(r.entries.map((e) => e.rank)).toEqual([1, 2]);
    expect(new Set(r.entries.map((e) => e.display)).size).toBe(1);
  });

  it('a tie is not split by representation: 2695/30 and 539/6 are equal', () => {
    const r = rankProjects([entry('A', rational(2695, 30)), entry('B', rational(539, 6))], {
      tieBreaks: [],
      decimals: 4,
    });
    expect(r.entries.map((e) => e.rank)).toEqual([1, 1]);
  });

  it('ranks do not depend on the input order', () => {
    fc.assert(
      fc.property(contestArb, fc.integer(), (c, seed) => {
        const input = toInput(c);
        const projects = aggregateRound(input).projects;
        const opts = { tieBreaks: input.rules.tieBreaks, decimals: 2 };
        const a = rankProjects(projects, opts).entries.map((e) => [e.ref, e.rank, e.competitionRank]);
        const b = rankProjects(shuffle(projects, seed), opts).entries.map((e) => [e.ref, e.rank, e.competitionRank]);
        expect(b).toEqual(a);
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});

describe('award and advancement properties', () => {
  it('quotas are never exceeded (except by the tied group under widen); 打星 never takes a place; one award per project', () => {
    fc.assert(
      fc.property(contestArb, (c) => {
        const input = toInput(c);
        const projects = aggregateRound(input).projects;
        const r = allocateAwards({
          tiers: c.tiers,
          entries: projects,
          tieBreaks: input.rules.tieBreaks,
          decimals: 2,
          tieAtCutoff: c.policy,
        });
        const star = new Set(projects.filter((p) => p.outOfCompetition).map((p) => p.ref));
        const refs = r.allocations.map((a) => a.ref);
        expect(new Set(refs).size).toBe(refs.length); // one award per project
        expect(refs.filter((x) => star.has(x))).toEqual([]); // 打星 never takes a place
        for (const g of r.tiers) {
          if (g.places === null) continue;
          if (!g.widened) expect(g.selected.length + g.pendingPlaces).toBeLessThanOrEqual(g.places);
          else {
            expect(c.policy).toBe('widen');
            expect(g.selected.length - g.places).toBeLessThan(g.tiedAtCutoff.length);
            const scores = g.tiedAtCutoff.map((ref) => projects.find((p) => p.ref === ref)!.score!);
            for (const s of scores) expect(compare(s, scores[0]!)).toBe(0);
          }
        }
        // Awarded scores respect minScore
        for (const a of r.allocations) {
          const tier = c.tiers.find((t) => t.key === a.tierKey)!;
          if (tier.minScoreCenti !== null)
            expect(compare(a.score!, rational(tier.minScoreCenti, 100))).toBeGreaterThanOrEqual(0);
        }
        // Pending projects receive nothing from that tier and are not awarded lower down
        const pending = new Set(r.decisionsNeeded.flatMap((d) => d.refs));
        for (const x of pending) expect(refs).not.toContain(x);
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  it('advancement: at most N per group unless widened; 打星 and unscored never advance', () => {
    fc.assert(
      fc.property(
        contestArb,
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('top-n-per-track' as const, 'top-n-overall' as const),
        (c, count, mode) => {
          const input = toInput(c);
          const projects = aggregateRound(input).projects;
          const r = advance({
            entries: projects,
            rule: { mode, count, tieAtCutoff: c.policy },
            tieBreaks: input.rules.tieBreaks,
            decimals: 2,
          });
          for (const g of r.groups) {
            if (!g.widened) expect(g.selected.length + g.pendingPlaces).toBeLessThanOrEqual(count);
          }
          for (const ref of r.advanced) {
            const p = projects.find((x) => x.ref === ref)!;
            expect(p.outOfCompetition).toBe(false);
            expect(p.score).not.toBeNull();
          }
          // Everyone advancing scores at least as high as every competing scored non-advancer in the group
          for (const g of r.groups) {
            const inGroup = projects.filter(
              (p) => !p.outOfCompetition && p.score && (g.scope === 'overall' || p.trackKey === g.scope),
            );
            const out = inGroup.filter((p) => !g.selected.includes(p.ref));
            for (const a of g.selected)
              for (const o of out)
                expect(compare(projects.find((p) => p.ref === a)!.score!, o.score!)).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  }, 30_000);

  it('a 打星 entry changes nobody’s award', () => {
    fc.assert(
      fc.property(contestArb, fc.integer({ min: 0, max: 10_000 }), (c, centi) => {
        const input = toInput(c);
        const projects = aggregateRound(input).projects;
        const opts = { tiers: c.tiers, tieBreaks: input.rules.tieBreaks, decimals: 2, tieAtCutoff: c.policy };
        const without = allocateAwards({ ...opts, entries: projects });
        const withStar = allocateAwards({
          ...opts,
          entries: [
            ...projects,
            entry('STAR', rational(centi, 100), { trackKey: 't1', outOfCompetition: true, judgeTotals: [fromInt(1)] }),
          ],
        });
        expect(withStar.allocations.map((a) => [a.tierKey, a.scope, a.ref])).toEqual(
          without.allocations.map((a) => [a.tierKey, a.scope, a.ref]),
        );
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});
