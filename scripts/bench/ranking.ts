/**
 * Bench: recomputing a round's ranking with the exact engine (aggregateRound + rankContest over
 * 2,000 projects × 50 judges, 5 criteria, some recusals), against a baseline doing the same
 * trimmed-mean-and-sort in plain floats over the same data, and award allocation (allocateAwards)
 * for 500 projects × 11 judges with the demo contest's tiers. Deterministic data (seeded PRNG);
 * each measure is the median of several timed runs after a warm-up.
 */
import { performance } from 'node:perf_hooks';
import {
  type AggregationRules,
  type JudgeSheet,
  aggregateRound,
  allocateAwards,
  awardTierFromDocument,
  rankContest,
} from '../../server/domain/scoring/index.js';
import { PrizeTier } from '../../server/domain/contest-document.js';
import type { BenchReport } from './index.js';

const CRITERIA = [
  { key: 'innovation', max: 20 },
  { key: 'science', max: 20 },
  { key: 'clinical', max: 25 },
  { key: 'market', max: 20 },
  { key: 'team', max: 15 },
];
const TRACKS = ['devices', 'drugs', 'therapies', 'ai'];
const RULES: AggregationRules = {
  method: 'trimmed-mean',
  trim: 1,
  minJudgesForTrim: 5,
  decimals: 2,
  missingScore: 'exclude',
  normalization: 'none',
  groupWeights: null,
};
const TIE_BREAKS = [{ kind: 'untrimmed-mean' as const }, { kind: 'criterion' as const, criterionKey: 'clinical' }];

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Data {
  judges: { key: string; group: 'clinical' | 'academic' | 'investor' | 'industry' }[];
  projects: { ref: string; trackKey: string; outOfCompetition: boolean }[];
  sheets: JudgeSheet[];
  recusals: { judgeKey: string; projectRef: string }[];
}

function generate(projectCount: number, judgeCount: number, seed: number): Data {
  const rand = prng(seed);
  const groups = ['clinical', 'academic', 'investor', 'industry'] as const;
  const judges = Array.from({ length: judgeCount }, (_, i) => ({ key: `j${i + 1}`, group: groups[i % 4]! }));
  const projects = Array.from({ length: projectCount }, (_, i) => ({
    ref: `P${String(i + 1).padStart(5, '0')}`,
    trackKey: TRACKS[i % TRACKS.length]!,
    outOfCompetition: i % 97 === 0,
  }));
  const sheets: JudgeSheet[] = [];
  const recusals: Data['recusals'] = [];
  for (const p of projects) {
    const quality = 0.55 + rand() * 0.4;
    for (const j of judges) {
      if (rand() < 0.01) {
        recusals.push({ judgeKey: j.key, projectRef: p.ref });
        continue;
      }
      const marks: Record<string, number> = {};
      for (const c of CRITERIA) {
        const points = Math.max(0, Math.min(c.max, Math.round(c.max * (quality + (rand() - 0.5) * 0.2))));
        marks[c.key] = points * 100;
      }
      sheets.push({ judgeKey: j.key, projectRef: p.ref, marks });
    }
  }
  return { judges, projects, sheets, recusals };
}

function exactRanking(d: Data) {
  const aggregate = aggregateRound({
    rules: RULES,
    criteria: CRITERIA.map((c) => ({ key: c.key, weightMilli: 1000 })),
    judges: d.judges,
    projects: d.projects,
    sheets: d.sheets,
    recusals: d.recusals,
  });
  const ranking = rankContest(aggregate.projects, { tieBreaks: TIE_BREAKS, decimals: 2 });
  return { aggregate, ranking };
}

/** The same computation a naive implementation would do: float totals, float trimmed mean, sort. */
function floatRanking(d: Data) {
  const recused = new Set(d.recusals.map((r) => `${r.judgeKey}\u0000${r.projectRef}`));
  const byProject = new Map<string, number[]>();
  const clinical = new Map<string, number[]>();
  for (const s of d.sheets) {
    if (recused.has(`${s.judgeKey}\u0000${s.projectRef}`)) continue;
    let total = 0;
    for (const c of CRITERIA) total += (s.marks[c.key] ?? 0) / 100;
    const list = byProject.get(s.projectRef);
    if (list) list.push(total);
    else byProject.set(s.projectRef, [total]);
    const marks = clinical.get(s.projectRef);
    if (marks) marks.push((s.marks.clinical ?? 0) / 100);
    else clinical.set(s.projectRef, [(s.marks.clinical ?? 0) / 100]);
  }
  const scored = d.projects.map((p) => {
    const totals = (byProject.get(p.ref) ?? []).sort((a, b) => a - b);
    const kept = totals.length >= 5 ? totals.slice(1, -1) : totals;
    const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
    const untrimmed = totals.reduce((a, b) => a + b, 0) / totals.length;
    const c = clinical.get(p.ref) ?? [];
    const clinicalMean = c.reduce((a, b) => a + b, 0) / c.length;
    return { ref: p.ref, trackKey: p.trackKey, mean, untrimmed, clinicalMean };
  });
  const sort = (list: typeof scored) =>
    [...list].sort(
      (a, b) =>
        b.mean - a.mean || b.untrimmed - a.untrimmed || b.clinicalMean - a.clinicalMean || (a.ref < b.ref ? -1 : 1),
    );
  return { overall: sort(scored), tracks: TRACKS.map((t) => sort(scored.filter((s) => s.trackKey === t))) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => unknown, runs: number): { median: number; samples: number[] } {
  fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return { median: median(samples), samples };
}

const DEMO_TIERS = [
  { key: 'first', name: { zh: '一等奖', en: '' }, precedence: 1, quotaKind: 'count', quota: 1 },
  { key: 'second', name: { zh: '二等奖', en: '' }, precedence: 2, quotaKind: 'count', quota: 1 },
  { key: 'third', name: { zh: '三等奖', en: '' }, precedence: 3, quotaKind: 'count', quota: 2 },
  { key: 'excellence', name: { zh: '优秀奖', en: '' }, precedence: 4, quotaKind: 'rest', quota: 0, minScore: 75 },
].map((t) => awardTierFromDocument(PrizeTier.parse({ scope: 'track', ...t })));

export async function run(): Promise<BenchReport> {
  const ms = (v: number) => Number(v.toFixed(1));
  const big = generate(2000, 50, 20241116);
  const exact = time(() => exactRanking(big), 5);
  const aggregateOnly = time(
    () =>
      aggregateRound({
        rules: RULES,
        criteria: CRITERIA.map((c) => ({ key: c.key, weightMilli: 1000 })),
        judges: big.judges,
        projects: big.projects,
        sheets: big.sheets,
        recusals: big.recusals,
      }),
    5,
  );
  const float = time(() => floatRanking(big), 5);

  // The float baseline applies the same chain; where its order differs, floats split or merged a tie.
  const exactOrder = exactRanking(big).ranking.overall.entries.map((e) => e.ref);
  const floatOrder = floatRanking(big).overall.map((e) => e.ref);
  const disagreements = exactOrder.filter((ref, i) => floatOrder[i] !== ref).length;

  const small = generate(500, 11, 7);
  const { aggregate: smallAggregate } = exactRanking(small);
  const awardsInput = {
    tiers: DEMO_TIERS,
    entries: smallAggregate.projects,
    tieBreaks: TIE_BREAKS,
    decimals: 2,
    tieAtCutoff: 'tie-break' as const,
  };
  const awards = time(() => allocateAwards(awardsInput), 10);
  const awardsWhole = time(() => {
    const { aggregate } = exactRanking(small);
    return allocateAwards({ ...awardsInput, entries: aggregate.projects });
  }, 5);
  const allocated = allocateAwards(awardsInput).allocations.length;

  return {
    title: 'Ranking recompute and award allocation (exact rational engine)',
    rows: [
      {
        label: 'Ranking recompute, 2,000 projects × 50 judges (aggregateRound + rankContest)',
        value: ms(exact.median),
        unit: 'ms',
      },
      { label: '… of which aggregation', value: ms(aggregateOnly.median), unit: 'ms' },
      {
        label: 'Float baseline (float totals, trimmed mean, sort) on the same data',
        value: ms(float.median),
        unit: 'ms',
      },
      { label: 'Exact / float ratio', value: `${(exact.median / float.median).toFixed(1)}×` },
      { label: 'Sheets in the big round', value: big.sheets.length.toLocaleString('en') },
      { label: 'Positions where the float order differs from the exact order', value: disagreements },
      { label: 'Award allocation, 500 projects (allocateAwards)', value: ms(awards.median), unit: 'ms' },
      { label: 'Aggregate + rank + awards, 500 projects × 11 judges', value: ms(awardsWhole.median), unit: 'ms' },
      { label: 'Awards allocated (demo tiers per track)', value: allocated },
    ],
    notes: [
      'Medians of 5 runs (10 for allocation) after one warm-up run; single Node process, no I/O.',
      'Data: seeded PRNG; 5 criteria (20/20/25/20/15, step 1); ~1% recusals; every 97th project 打星; 4 tracks.',
      'Rules: trimmed mean dropping 1 + 1 with at least 5 judges, 2 decimals; tie-breaks untrimmed mean, then the clinical criterion.',
      'The float baseline is what a naive implementation does; it is faster but can split or merge ties (see PRODUCT.md: scores must be exact).',
    ],
    data: {
      exactSamplesMs: exact.samples,
      aggregateSamplesMs: aggregateOnly.samples,
      floatSamplesMs: float.samples,
      awardsSamplesMs: awards.samples,
      awardsWholeSamplesMs: awardsWhole.samples,
    },
  };
}
