/**
 * Ranking: order projects by exact score, apply the tie-break chain to ties, then assign
 * standard competition ranks (1, 2, 2, 4) to the ties that survive.
 *
 * Chain steps (in the configured order, each applied only within a still-tied group):
 * - 'untrimmed-mean': higher plain mean of the judge totals wins.
 * - 'criterion': higher mean of the named criterion's raw marks wins.
 * - 'more-high-marks': compare each project's judge totals sorted descending, element by
 *   element; the first difference wins. If one list is a prefix of the other, the longer one
 *   (more marks at that level) wins — plain lexicographic order. (Calling that case a tie
 *   would make "tied" non-transitive: [9, 9] ~ [9] ~ [9, 8] while [9, 9] > [9, 8].)
 * - 'head-judge': a supplied decision (an ordering of refs with a reason) that contains every
 *   member of the tied group orders it; the decision is restricted to the group. Without one
 *   the group stays tied and, if it survives the chain, is flagged `needsDecision`.
 * A missing key (null) ranks below any value. Unscored projects are listed last, unranked.
 * Members of a surviving tie share the rank and are listed by ref (code-unit order).
 *
 * 打星 (out-of-competition) projects are ranked with everyone and flagged; `competitionRank`
 * is the rank among competing projects only (the chain re-run without 打星 entries).
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import type { TieBreak } from '../contest-document.js';
import { type Rational, compare, toFixed } from './rational.js';
import { byKey } from './trim.js';

/** What ranking needs to know about a project (ProjectResult from aggregate.ts satisfies it). */
export interface Rankable {
  readonly ref: string;
  readonly trackKey: string;
  readonly outOfCompetition: boolean;
  /** The exact final score; null = not scored. */
  readonly score: Rational | null;
  readonly untrimmedMean: Rational | null;
  readonly criterionMeans: Readonly<Record<string, Rational | null | undefined>>;
  readonly judgeTotals: readonly Rational[];
}

export interface TieBreakStep {
  readonly kind: TieBreak;
  readonly criterionKey?: string;
}

/** A head judge's ordering of tied projects, best first, with the stated reason. */
export interface HeadJudgeDecision {
  readonly refs: readonly string[];
  readonly reason: string;
}

export interface RankOptions {
  readonly tieBreaks: readonly TieBreakStep[];
  readonly decimals: number;
  readonly headJudgeDecisions?: readonly HeadJudgeDecision[];
}

/** How an entry's group was last separated from its neighbours. */
export type SeparatedBy = 'score' | TieBreak;

export interface RankedEntry {
  readonly ref: string;
  readonly trackKey: string;
  readonly outOfCompetition: boolean;
  readonly score: Rational | null;
  readonly display: string | null;
  /** Standard competition rank among all scored entries here (打星 included); null = unscored. */
  readonly rank: number | null;
  /** Rank among competing (non-打星) entries only; null for 打星 and unscored entries. */
  readonly competitionRank: number | null;
  /** Refs sharing this entry's rank after the whole chain. */
  readonly tiedWith: readonly string[];
  readonly separatedBy: SeparatedBy | null;
  readonly decisionReason: string | null;
  /** In a surviving tie while the chain has a 'head-judge' step without a decision. */
  readonly needsDecision: boolean;
}

export interface RankTie {
  readonly refs: readonly string[];
  readonly rank: number;
  readonly needsDecision: boolean;
}

export interface Ranking {
  /** Best first; unscored entries last. */
  readonly entries: readonly RankedEntry[];
  /** Ties that survive the chain. */
  readonly ties: readonly RankTie[];
}

/** A group of entries still tied after some steps. */
export interface TieClass<T extends Rankable = Rankable> {
  readonly members: readonly T[];
  readonly separatedBy: SeparatedBy;
  readonly decisionReason: string | null;
}

const nullLow = (a: Rational | null | undefined, b: Rational | null | undefined): number => {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  return compare(a, b);
};

function sortedDesc(values: readonly Rational[]): Rational[] {
  return [...values].sort((a, b) => compare(b, a));
}

/**
 * Compares two judge-total lists for 'more-high-marks' (positive when a is better).
 * @example compareHighMarks([90, 80].map(fromInt), [85, 85].map(fromInt)) > 0 // and [90] < [90, 70]
 */
export function compareHighMarks(a: readonly Rational[], b: readonly Rational[]): number {
  const x = sortedDesc(a);
  const y = sortedDesc(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = compare(x[i] as Rational, y[i] as Rational);
    if (c !== 0) return c;
  }
  return Math.sign(x.length - y.length);
}

/** Positive when a ranks above b under one comparator step. */
function stepCompare(step: TieBreakStep, a: Rankable, b: Rankable): number {
  switch (step.kind) {
    case 'untrimmed-mean':
      return nullLow(a.untrimmedMean, b.untrimmedMean);
    case 'criterion': {
      const key = step.criterionKey ?? '';
      return nullLow(a.criterionMeans[key], b.criterionMeans[key]);
    }
    case 'more-high-marks':
      return compareHighMarks(a.judgeTotals, b.judgeTotals);
    case 'head-judge':
      return 0;
  }
}

/** Splits an ordered list into runs of equal elements. */
function runs<T>(sorted: readonly T[], same: (a: T, b: T) => boolean): T[][] {
  const out: T[][] = [];
  for (const item of sorted) {
    const last = out[out.length - 1];
    if (last && same(last[last.length - 1] as T, item)) last.push(item);
    else out.push([item]);
  }
  return out;
}

/**
 * Finds a decision that contains every ref of the group.
 * @example findDecision(['B', 'A'], [{ refs: ['A', 'B', 'C'], reason: 'r' }])?.reason === 'r'
 */
export function findDecision(
  refs: readonly string[],
  decisions: readonly HeadJudgeDecision[] | undefined,
): HeadJudgeDecision | null {
  return decisions?.find((d) => refs.every((r) => d.refs.includes(r))) ?? null;
}

/**
 * Orders scored entries into tie classes: by exact score, then the chain. Unscored entries
 * are not included.
 * @example tieClasses(entries, { tieBreaks: [], decimals: 2 }).map((c) => c.members.map((m) => m.ref))
 */
export function tieClasses<T extends Rankable>(entries: readonly T[], options: RankOptions): TieClass<T>[] {
  const scored = entries.filter((e) => e.score !== null);
  const byScore = [...scored].sort((a, b) => compare(b.score as Rational, a.score as Rational) || byKey(a.ref, b.ref));
  let classes: TieClass<T>[] = runs(byScore, (a, b) => compare(a.score as Rational, b.score as Rational) === 0).map(
    (members) => ({ members, separatedBy: 'score', decisionReason: null }),
  );
  for (const step of options.tieBreaks) {
    classes = classes.flatMap((cls): TieClass<T>[] => {
      if (cls.members.length < 2) return [cls];
      if (step.kind === 'head-judge') {
        const decision = findDecision(
          cls.members.map((m) => m.ref),
          options.headJudgeDecisions,
        );
        if (!decision) return [cls];
        const ordered = [...cls.members].sort((a, b) => decision.refs.indexOf(a.ref) - decision.refs.indexOf(b.ref));
        return ordered.map((m) => ({ members: [m], separatedBy: 'head-judge', decisionReason: decision.reason }));
      }
      const sorted = [...cls.members].sort((a, b) => stepCompare(step, b, a) || byKey(a.ref, b.ref));
      const parts = runs(sorted, (a, b) => stepCompare(step, a, b) === 0);
      if (parts.length === 1) return [cls];
      return parts.map((members) => ({ members, separatedBy: step.kind, decisionReason: null }));
    });
  }
  return classes;
}

/**
 * Ranks entries (one track, or overall) with the tie-break chain and competition ranking.
 * @example
 * rankProjects(results, { tieBreaks: [{ kind: 'untrimmed-mean' }], decimals: 2 }).entries.map((e) => e.rank)
 * // e.g. [1, 2, 2, 4, null]
 */
export function rankProjects(entries: readonly Rankable[], options: RankOptions): Ranking {
  const hasHeadJudge = options.tieBreaks.some((t) => t.kind === 'head-judge');
  const classes = tieClasses(entries, options);
  const competing = tieClasses(
    entries.filter((e) => !e.outOfCompetition),
    options,
  );
  const competitionRank = new Map<string, number>();
  let seen = 0;
  for (const cls of competing) {
    for (const m of cls.members) competitionRank.set(m.ref, seen + 1);
    seen += cls.members.length;
  }
  const out: RankedEntry[] = [];
  const ties: RankTie[] = [];
  let ahead = 0;
  for (const cls of classes) {
    const rank = ahead + 1;
    const refs = cls.members.map((m) => m.ref);
    const needsDecision = hasHeadJudge && refs.length > 1;
    if (refs.length > 1) ties.push({ refs, rank, needsDecision });
    for (const m of cls.members) {
      out.push({
        ref: m.ref,
        trackKey: m.trackKey,
        outOfCompetition: m.outOfCompetition,
        score: m.score,
        display: m.score === null ? null : toFixed(m.score, options.decimals),
        rank,
        competitionRank: m.outOfCompetition ? null : (competitionRank.get(m.ref) ?? null),
        tiedWith: refs.filter((r) => r !== m.ref),
        separatedBy: cls.separatedBy,
        decisionReason: cls.decisionReason,
        needsDecision,
      });
    }
    ahead += cls.members.length;
  }
  const unscored = entries.filter((e) => e.score === null).sort((a, b) => byKey(a.ref, b.ref));
  for (const m of unscored)
    out.push({
      ref: m.ref,
      trackKey: m.trackKey,
      outOfCompetition: m.outOfCompetition,
      score: null,
      display: null,
      rank: null,
      competitionRank: null,
      tiedWith: [],
      separatedBy: null,
      decisionReason: null,
      needsDecision: false,
    });
  return { entries: out, ties };
}

export interface ContestRanking {
  readonly overall: Ranking;
  /** Per track key, tracks in order of first appearance. */
  readonly tracks: Readonly<Record<string, Ranking>>;
}

/**
 * Ranks overall and per track.
 * @example rankContest(results, options).tracks['ai-health']?.entries[0]?.ref
 */
export function rankContest(entries: readonly Rankable[], options: RankOptions): ContestRanking {
  const tracks: Record<string, Ranking> = {};
  for (const key of trackKeys(entries))
    tracks[key] = rankProjects(
      entries.filter((e) => e.trackKey === key),
      options,
    );
  return { overall: rankProjects(entries, options), tracks };
}

/** Track keys in order of first appearance. */
export function trackKeys(entries: readonly { readonly trackKey: string }[]): string[] {
  return [...new Set(entries.map((e) => e.trackKey))];
}
