/**
 * Score arithmetic for the tablet, in exact integer hundredths (like the server): stepping a mark,
 * quick picks per level descriptor, and the live weighted total. "Not scored" is null, never 0.
 * Pure: no DOM.
 */

export interface LevelLike {
  min: number;
  max: number;
  label: { zh: string; en: string };
}

export interface CriterionLike {
  key: string;
  min: number;
  max: number;
  step: number;
  weight: number;
  levels: LevelLike[];
}

export type Marks = Record<string, number | null>;

const centi = (points: number) => Math.round(points * 100);
const points = (hundredths: number) => hundredths / 100;

/** The mark on the criterion's step grid nearest to `value`, kept inside [lo, hi] when possible. */
function snap(c: CriterionLike, value: number, lo = c.min, hi = c.max): number {
  const min = centi(c.min);
  const step = Math.max(1, centi(c.step));
  let k = Math.round((centi(value) - min) / step);
  const at = (n: number) => min + n * step;
  while (at(k) > centi(hi) && k > 0) k--;
  while (at(k) < centi(lo) && at(k + 1) <= centi(c.max)) k++;
  return points(Math.min(centi(c.max), Math.max(min, at(k))));
}

/** Where a first tap on − or + lands when the criterion is not scored yet: the middle of the range. */
export function startingMark(c: CriterionLike): number {
  return snap(c, (c.min + c.max) / 2);
}

/** One step up (or down), clamped to the range; a first tap starts in the middle. */
export function stepMark(c: CriterionLike, value: number | null, direction: 1 | -1): number {
  if (value === null) return startingMark(c);
  const next = centi(value) + direction * centi(c.step);
  return points(Math.min(centi(c.max), Math.max(centi(c.min), next)));
}

export interface QuickPick {
  /** The mark a tap sets. */
  value: number;
  /** The band the pick stands for (a level descriptor's range, or just the value). */
  min: number;
  max: number;
  label: { zh: string; en: string } | null;
}

/**
 * Quick-pick buttons, lowest first: one per level descriptor (its middle, on the step grid), or
 * five evenly spaced marks when the rubric gives no levels.
 */
export function quickPicks(c: CriterionLike): QuickPick[] {
  if (c.levels.length) {
    return [...c.levels]
      .sort((a, b) => a.min - b.min)
      .map((l) => ({ value: snap(c, (l.min + l.max) / 2, l.min, l.max), min: l.min, max: l.max, label: l.label }));
  }
  const seen = new Set<number>();
  const out: QuickPick[] = [];
  for (let i = 1; i <= 5; i++) {
    const value = snap(c, c.min + ((c.max - c.min) * i) / 5);
    if (seen.has(value)) continue;
    seen.add(value);
    out.push({ value, min: value, max: value, label: null });
  }
  return out;
}

/** Whether a mark falls in a quick pick's band. */
export function inPick(pick: QuickPick, value: number | null): boolean {
  return value !== null && centi(value) >= centi(pick.min) && centi(value) <= centi(pick.max);
}

export interface Total {
  /** Σ weight × mark over the scored criteria. */
  total: number;
  /** Σ weight × max. */
  max: number;
  done: number;
  all: number;
  complete: boolean;
}

/** The weighted total so far (weights in thousandths, marks in hundredths: exact). */
export function totalOf(criteria: readonly CriterionLike[], marks: Marks): Total {
  let sum = 0;
  let max = 0;
  let done = 0;
  for (const c of criteria) {
    const w = Math.round(c.weight * 1000);
    max += w * centi(c.max);
    const m = marks[c.key];
    if (m !== null && m !== undefined) {
      done++;
      sum += w * centi(m);
    }
  }
  return { total: sum / 100_000, max: max / 100_000, done, all: criteria.length, complete: done === criteria.length };
}

/**
 * A mark or total for display: at most two decimals, no trailing zeros.
 * @example formatPoints(18.5) === '18.5'; formatPoints(31) === '31'
 */
export function formatPoints(value: number): string {
  return String(Number(value.toFixed(2)));
}
