/**
 * Selecting the top places of an ordered field with a tie-at-cutoff policy; shared by
 * advancement and awards.
 *
 * The field is given as ordered tie classes (each a list of refs). Whole classes are taken
 * while they fit; the first class that does not fit is "tied at the cutoff":
 * - 'widen': the whole class is taken (the quota is exceeded; reported as widened).
 * - 'tie-break' and 'head-judge': a head-judge decision containing every member of the class
 *   fills the remaining places in its order; without one the class is left pending and a
 *   decision is reported as needed. No quota is ever exceeded under these two policies.
 * What counts as "tied" differs by policy and is decided by `cutoffClasses`: for 'widen' and
 * 'head-judge', equal exact scores; for 'tie-break', the classes that survive the chain.
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import { type Rational, compare } from './rational.js';
import { type HeadJudgeDecision, type Rankable, type RankOptions, findDecision, tieClasses } from './ranking.js';

export type TieAtCutoffPolicy = 'widen' | 'tie-break' | 'head-judge';

export interface CutoffOutcome {
  /** Refs taken, in order. */
  readonly selected: readonly string[];
  /** Refs tied at the cutoff awaiting a head-judge decision (none selected among them). */
  readonly pending: readonly string[];
  /** Places left for the pending refs. */
  readonly pendingPlaces: number;
  /** The refs of the class that straddled the cutoff (empty when none did). */
  readonly tiedAtCutoff: readonly string[];
  readonly widened: boolean;
  readonly decision: HeadJudgeDecision | null;
  /** Places that could not be filled for lack of candidates (0 for unlimited places). */
  readonly unfilled: number;
}

/**
 * Takes up to `places` refs from ordered tie classes under a policy.
 * @example selectWithCutoff([['A'], ['B', 'C'], ['D']], 2, 'widen', []).selected // ['A', 'B', 'C']
 */
export function selectWithCutoff(
  classes: readonly (readonly string[])[],
  places: number,
  policy: TieAtCutoffPolicy,
  decisions: readonly HeadJudgeDecision[] = [],
): CutoffOutcome {
  const selected: string[] = [];
  let pending: string[] = [];
  let pendingPlaces = 0;
  let tiedAtCutoff: string[] = [];
  let widened = false;
  let decision: HeadJudgeDecision | null = null;
  for (const cls of classes) {
    const room = places - selected.length;
    if (room <= 0) break;
    if (cls.length <= room) {
      selected.push(...cls);
      continue;
    }
    tiedAtCutoff = [...cls];
    if (policy === 'widen') {
      selected.push(...cls);
      widened = true;
    } else {
      decision = findDecision(cls, decisions);
      if (decision) {
        const d = decision;
        selected.push(...[...cls].sort((a, b) => d.refs.indexOf(a) - d.refs.indexOf(b)).slice(0, room));
      } else {
        pending = [...cls];
        pendingPlaces = room;
      }
    }
    break;
  }
  const unfilled = Number.isFinite(places) ? Math.max(0, places - selected.length - pendingPlaces) : 0;
  return { selected, pending, pendingPlaces, tiedAtCutoff, widened, decision, unfilled };
}

/**
 * Orders scored entries into the tie classes relevant to a policy (see header).
 * @example cutoffClasses(entries, 'widen', { tieBreaks: [{ kind: 'untrimmed-mean' }], decimals: 2 })
 */
export function cutoffClasses(
  entries: readonly Rankable[],
  policy: TieAtCutoffPolicy,
  options: RankOptions,
): string[][] {
  // Within an equal-score class the chain order is kept, for display only.
  const chain = tieClasses(entries, options);
  if (policy === 'tie-break') return chain.map((c) => c.members.map((m) => m.ref));
  const ordered = chain.flatMap((c) => c.members);
  const out: string[][] = [];
  let last: Rational | null = null;
  for (const m of ordered) {
    const score = m.score as Rational;
    const current = out[out.length - 1];
    if (current && last !== null && compare(last, score) === 0) current.push(m.ref);
    else out.push([m.ref]);
    last = score;
  }
  return out;
}
