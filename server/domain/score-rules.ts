/**
 * Whether a judge may record a score sheet, and whether its marks are valid: the scoring window
 * must be open (or this one sheet unlocked after close), the judge assigned and not recused, and every mark an integer number of
 * hundredths inside the criterion's range and on its step. "Not scored" (absent) is never 0.
 *
 * Pure: no I/O. The caller loads the facts and maps refusals to HTTP statuses.
 */

export interface CriterionRange {
  key: string;
  minCenti: number;
  maxCenti: number;
  stepCenti: number;
}

export type MarkProblem = 'missing' | 'not-integer' | 'out-of-range' | 'off-step' | 'unknown-criterion';

export interface MarkError {
  criterionKey: string;
  problem: MarkProblem;
}

/**
 * Checks a complete sheet: every criterion marked, each within range and on step.
 * @example validateMarks([{ key: 'team', minCenti: 0, maxCenti: 1500, stepCenti: 50 }], { team: 1425 }) // []
 */
export function validateMarks(
  criteria: readonly CriterionRange[],
  marks: Readonly<Record<string, unknown>>,
): MarkError[] {
  const errors: MarkError[] = [];
  const known = new Set(criteria.map((c) => c.key));
  for (const key of Object.keys(marks)) {
    if (!known.has(key)) errors.push({ criterionKey: key, problem: 'unknown-criterion' });
  }
  for (const c of criteria) {
    const mark = marks[c.key];
    if (mark === undefined || mark === null) errors.push({ criterionKey: c.key, problem: 'missing' });
    else if (typeof mark !== 'number' || !Number.isSafeInteger(mark))
      errors.push({ criterionKey: c.key, problem: 'not-integer' });
    else if (mark < c.minCenti || mark > c.maxCenti) errors.push({ criterionKey: c.key, problem: 'out-of-range' });
    else if ((mark - c.minCenti) % c.stepCenti !== 0) errors.push({ criterionKey: c.key, problem: 'off-step' });
  }
  return errors;
}

export type SheetRefusal = 'round-closed' | 'not-assigned' | 'recused' | 'not-your-sheet';

export interface SheetFacts {
  windowOpen: boolean;
  assigned: boolean;
  recused: boolean;
  /** The judge in the session is the judge the sheet belongs to. */
  ownSheet: boolean;
  /** A head judge or admin unlocked this judge's sheet for this project (with a reason) after close. */
  unlocked: boolean;
}

/**
 * The first reason a judge may not write this sheet, or null when allowed. Identity and
 * conflicts come before timing, so a judge never learns about windows on sheets not theirs.
 * @example refusal({ windowOpen: true, assigned: true, recused: false, ownSheet: true, unlocked: false }) === null
 */
export function refusal(facts: SheetFacts): SheetRefusal | null {
  if (!facts.ownSheet) return 'not-your-sheet';
  if (!facts.assigned) return 'not-assigned';
  if (facts.recused) return 'recused';
  if (!facts.windowOpen && !facts.unlocked) return 'round-closed';
  return null;
}
