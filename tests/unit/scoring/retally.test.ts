/**
 * Over 1,000 random contests the engine must agree with an independent, deliberately plain
 * re-tally written here without any engine function: judge totals as integers in 1/100000 of
 * a point, mean-of-given substitutes avoided by scaling every value by the number of given
 * totals, and all aggregates put over one common denominator 2520² (2520 = lcm(1..9), and at
 * most 9 judges), so comparisons are plain BigInt integer comparisons.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aggregateRound, allocateAwards, rankContest } from '../../../server/domain/scoring/index.js';
import { contestArb, toInput, type RandomContest } from './contest-arb.js';

const L = 2520n;
const D = L * L;
const POINT = 100_000n; // 1 point = 100000 units (centi × milli)

interface Tally {
  ref: string;
  track: string;
  star: boolean;
  score: bigint | null; // points × POINT × D
  untrimmed: bigint | null; // same scale
  crit0: bigint | null; // centi × L
  highs: number[]; // given totals in units, descending
}

function tallyProject(c: RandomContest, pi: number): Tally {
  const p = c.projects[pi]!;
  const given: number[] = [];
  const crit0: number[] = [];
  let missing = 0;
  for (const cell of c.cells[pi]!) {
    if (cell.kind === 'recused') continue;
    if (cell.kind === 'scored') {
      let total = 0;
      for (let i = 0; i < c.weights.length; i++) total += c.weights[i]! * cell.marks[i]!;
      given.push(total);
      crit0.push(cell.marks[0]!);
    } else missing++;
  }
  const base = { ref: p.ref, track: p.trackKey, star: p.outOfCompetition };
  if (given.length === 0) return { ...base, score: null, untrimmed: null, crit0: null, highs: [] };
  const G = given.length;
  const givenSum = given.reduce((a, b) => a + b, 0);
  const values = given.map((t) => t * G); // every value × G
  if (c.missingScore === 'mean-of-given') for (let i = 0; i < missing; i++) values.push(givenSum); // (Σ/G) × G
  values.sort((a, b) => a - b);
  const n = values.length;
  const k = c.trim;
  const trims = c.method === 'trimmed-mean' && n >= c.minJudgesForTrim && n > 2 * k;
  const kept = trims ? values.slice(k, n - k) : values;
  const sumOf = (xs: number[]) => BigInt(xs.reduce((a, b) => a + b, 0));
  return {
    ...base,
    score: sumOf(kept) * (D / BigInt(kept.length * G)),
    untrimmed: sumOf(values) * (D / BigInt(n * G)),
    crit0: sumOf(crit0) * (L / BigInt(crit0.length)),
    highs: [...given].sort((a, b) => b - a),
  };
}

const cmpBig = (a: bigint | null, b: bigint | null) =>
  a === null ? (b === null ? 0 : -1) : b === null ? 1 : a > b ? 1 : a < b ? -1 : 0;

/** > 0 when a ranks above b. */
function cmpScore(a: Tally, b: Tally): number {
  return cmpBig(a.score, b.score);
}
function cmpChain(c: RandomContest, a: Tally, b: Tally): number {
  const s = cmpScore(a, b);
  if (s !== 0) return s;
  for (const step of c.tieBreaks) {
    let r = 0;
    if (step === 'untrimmed-mean') r = cmpBig(a.untrimmed, b.untrimmed);
    if (step === 'criterion') r = cmpBig(a.crit0, b.crit0);
    if (step === 'more-high-marks') {
      // descending lists: the first difference wins; after an equal prefix, the longer list wins
      for (let i = 0; i < Math.min(a.highs.length, b.highs.length) && r === 0; i++)
        r = Math.sign(a.highs[i]! - b.highs[i]!);
      if (r === 0) r = Math.sign(a.highs.length - b.highs.length);
    }
    if (r !== 0) return r;
  }
  return 0;
}

function display(score: bigint, decimals: number): string {
  const den = D * POINT;
  const x = score * 10n ** BigInt(decimals);
  let q = x / den;
  if ((x % den) * 2n >= den) q += 1n;
  const s = q.toString().padStart(decimals + 1, '0');
  return decimals ? `${s.slice(0, -decimals)}.${s.slice(-decimals)}` : s;
}

function tallyAwards(c: RandomContest, t: Tally[]) {
  const tiers = c.tiers
    .map((tier, i) => ({ tier, i }))
    .sort((a, b) => a.tier.precedence - b.tier.precedence || a.i - b.i);
  const awarded = new Set<string>();
  const held = new Set<string>();
  const allocations: string[] = [];
  const pending: string[] = [];
  const tracks = [...new Set(t.map((x) => x.track))];
  for (const { tier } of tiers) {
    const scopes = tier.scope === 'overall' ? ['overall'] : tracks;
    for (const scope of scopes) {
      const pool = t.filter((x) => !x.star && (scope === 'overall' || x.track === scope));
      const places =
        tier.quotaKind === 'count'
          ? tier.quota
          : tier.quotaKind === 'percent'
            ? Math.floor((tier.quota * pool.length) / 100)
            : Infinity;
      const cands = pool.filter(
        (x) =>
          x.score !== null &&
          !awarded.has(x.ref) &&
          !held.has(x.ref) &&
          (tier.minScoreCenti === null || x.score >= BigInt(tier.minScoreCenti) * 1000n * D),
      );
      const cmp = c.policy === 'tie-break' ? (a: Tally, b: Tally) => cmpChain(c, a, b) : cmpScore;
      const chosen: string[] = [];
      const waiting: string[] = [];
      for (const x of cands) {
        const better = cands.filter((o) => cmp(o, x) > 0).length;
        const tied = cands.filter((o) => cmp(o, x) === 0).length;
        if (c.policy === 'widen' ? better < places : better + tied <= places) chosen.push(x.ref);
        else if (c.policy !== 'widen' && better < places) waiting.push(x.ref);
      }
      for (const r of chosen) {
        awarded.add(r);
        allocations.push(`${tier.key}|${scope}|${r}`);
      }
      for (const r of waiting) {
        held.add(r);
        pending.push(`${tier.key}|${scope}|${r}`);
      }
    }
  }
  return { allocations: allocations.sort(), pending: pending.sort() };
}

describe('engine = independent re-tally', () => {
  it('scores, displays, ranks and awards agree over 1,000 random contests', () => {
    let ties = 0;
    let cutoffTies = 0;
    fc.assert(
      fc.property(contestArb, (c) => {
        const input = toInput(c);
        const agg = aggregateRound(input);
        const tally = c.projects.map((_, i) => tallyProject(c, i));

        // Scores: engine num/den points == tally / (D·POINT)
        agg.projects.forEach((p, i) => {
          const t = tally[i]!;
          if (t.score === null) return expect(p.score).toBeNull();
          expect(p.score).not.toBeNull();
          expect(p.score!.num * D * POINT).toBe(t.score * p.score!.den);
          expect(p.untrimmedMean!.num * D * POINT).toBe(t.untrimmed! * p.untrimmedMean!.den);
          expect(p.display).toBe(display(t.score, c.decimals));
        });

        // Ranks: 1 + number of entries strictly ahead under the chain (no head-judge decisions)
        const ranking = rankContest(agg.projects, { tieBreaks: input.rules.tieBreaks, decimals: c.decimals });
        const check = (
          entries: readonly { ref: string; rank: number | null; competitionRank: number | null }[],
          field: Tally[],
        ) => {
          for (const e of entries) {
            const me = field.find((x) => x.ref === e.ref)!;
            if (me.score === null) {
              expect(e.rank).toBeNull();
              continue;
            }
            const scored = field.filter((x) => x.score !== null);
            expect(e.rank).toBe(1 + scored.filter((o) => cmpChain(c, o, me) > 0).length);
            if (scored.some((o) => o !== me && cmpChain(c, o, me) === 0)) ties++;
            expect(e.competitionRank).toBe(
              me.star ? null : 1 + scored.filter((o) => !o.star && cmpChain(c, o, me) > 0).length,
            );
          }
        };
        check(ranking.overall.entries, tally);
        for (const [track, r] of Object.entries(ranking.tracks))
          check(
            r.entries,
            tally.filter((x) => x.track === track),
          );

        // Awards
        const awards = allocateAwards({
          tiers: c.tiers,
          entries: agg.projects,
          tieBreaks: input.rules.tieBreaks,
          decimals: c.decimals,
          tieAtCutoff: c.policy,
        });
        const expected = tallyAwards(c, tally);
        expect(awards.allocations.map((a) => `${a.tierKey}|${a.scope}|${a.ref}`).sort()).toEqual(expected.allocations);
        const enginePending = awards.tiers.flatMap((g) => g.pending.map((r) => `${g.tierKey}|${g.scope}|${r}`)).sort();
        expect(enginePending).toEqual(expected.pending);
        if (expected.pending.length || awards.tiers.some((g) => g.widened)) cutoffTies++;
      }),
      { numRuns: 1000 },
    );
    // The generator must actually exercise ties and pending decisions.
    expect(ties).toBeGreaterThan(100);
    expect(cutoffTies).toBeGreaterThan(30);
  }, 60_000);
});
