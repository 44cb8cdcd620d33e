/**
 * One judge's score sheet for one project → that judge's total, exactly.
 *
 * Marks arrive as integer centi-points per criterion key, weights as integer milli (see
 * ../units.ts). The weighted total T = Σ_c w_c · s_c is returned as an exact Rational in
 * points. A missing sheet, or a sheet lacking any criterion, is "not scored" — never 0.
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import { CENTI, MILLI } from '../units.js';
import { ScoringError } from './errors.js';
import { type Rational, rational, fromUnits } from './rational.js';

/** A rubric criterion as the engine needs it: key and weight in integer thousandths. */
export interface CriterionWeight {
  readonly key: string;
  readonly weightMilli: number;
}

/** Marks by criterion key, in integer centi-points; null/undefined = not marked. */
export type Marks = Readonly<Record<string, number | null | undefined>>;

export type SheetTotal =
  | { readonly status: 'scored'; readonly total: Rational }
  | {
      readonly status: 'not-scored';
      readonly reason: 'missing-sheet' | 'incomplete';
      readonly missingCriteria: readonly string[];
    };

/** Throws on an empty rubric, duplicate keys or non-integer weights. */
export function checkCriteria(criteria: readonly CriterionWeight[]): void {
  if (criteria.length === 0) throw new ScoringError('no-criteria');
  const seen = new Set<string>();
  for (const c of criteria) {
    if (seen.has(c.key)) throw new ScoringError('duplicate-criterion', { key: c.key });
    seen.add(c.key);
    if (!Number.isSafeInteger(c.weightMilli) || c.weightMilli < 0)
      throw new ScoringError('not-an-integer', { criterion: c.key, weightMilli: String(c.weightMilli) });
  }
}

/**
 * A judge's weighted total for one project, or "not scored" with the reason.
 * Throws `unknown-criterion` for a mark on a key outside the rubric and `not-an-integer` for
 * a mark that is not an integer number of centi-points.
 * @example
 * sheetTotal({ idea: 4000, team: 4550 }, [{ key: 'idea', weightMilli: 1000 }, { key: 'team', weightMilli: 1000 }])
 * // { status: 'scored', total: 171/2 }  (40 + 45.5 = 85.5 points)
 * sheetTotal({ idea: 4000 }, sameCriteria) // { status: 'not-scored', reason: 'incomplete', missingCriteria: ['team'] }
 */
export function sheetTotal(marks: Marks | null | undefined, criteria: readonly CriterionWeight[]): SheetTotal {
  checkCriteria(criteria);
  if (marks === null || marks === undefined)
    return { status: 'not-scored', reason: 'missing-sheet', missingCriteria: criteria.map((c) => c.key) };
  const known = new Set(criteria.map((c) => c.key));
  for (const key of Object.keys(marks)) {
    if (!known.has(key) && marks[key] !== null && marks[key] !== undefined)
      throw new ScoringError('unknown-criterion', { key });
  }
  const missing: string[] = [];
  let units = 0n; // in 1/(CENTI·MILLI) points
  for (const c of criteria) {
    const mark = marks[c.key];
    if (mark === null || mark === undefined) {
      missing.push(c.key);
      continue;
    }
    if (!Number.isSafeInteger(mark)) throw new ScoringError('not-an-integer', { criterion: c.key, mark: String(mark) });
    units += BigInt(c.weightMilli) * BigInt(mark);
  }
  if (missing.length > 0) return { status: 'not-scored', reason: 'incomplete', missingCriteria: missing };
  return { status: 'scored', total: rational(units, CENTI * MILLI) };
}

/**
 * One criterion's raw mark in points, or null when not marked.
 * @example criterionPoints({ idea: 4050 }, 'idea') // 81/2
 */
export function criterionPoints(marks: Marks | null | undefined, key: string): Rational | null {
  const mark = marks?.[key];
  if (mark === null || mark === undefined) return null;
  if (!Number.isSafeInteger(mark)) throw new ScoringError('not-an-integer', { criterion: key, mark: String(mark) });
  return fromUnits(mark, CENTI);
}
