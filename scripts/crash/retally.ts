/**
 * An independent re-tally of one round, straight from the stored rows, with none of the app's
 * scoring code: plain BigInt fractions, the current (highest) version of each judge's sheet,
 * weighted totals, recused and off-panel judges left out, incomplete sheets not counted, and the
 * round's trimmed mean (k dropped from each end when n ≥ minJudgesForTrim and n > 2k). Only the
 * rules the crash test's contest uses are supported (no normalization, no group weights, missing
 * scores excluded); anything else is refused rather than tallied differently.
 */
import type SQLite from 'better-sqlite3';

export interface Fraction {
  num: bigint;
  den: bigint;
}

const abs = (a: bigint) => (a < 0n ? -a : a);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}

export function frac(num: bigint, den: bigint): Fraction {
  if (den === 0n) throw new Error('division by zero');
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

export const cmp = (a: Fraction, b: Fraction) => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};

/** "539/6" or "90" (the app's exact text), parsed. */
export function parseExact(text: string): Fraction {
  const [n, d] = text.split('/');
  return frac(BigInt(n!), BigInt(d ?? '1'));
}

/** Rounds half up to `decimals` places, e.g. 539/6 → "89.83". */
export function display(value: Fraction, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const negative = value.num < 0n;
  const n = abs(value.num) * scale;
  const q = (2n * n + value.den) / (2n * value.den);
  const whole = (q / scale).toString();
  const part = decimals ? '.' + (q % scale).toString().padStart(decimals, '0') : '';
  return `${negative && q !== 0n ? '-' : ''}${whole}${part}`;
}

export interface TallyRow {
  projectId: number;
  ref: string;
  /** null: nobody's sheet counts. */
  score: Fraction | null;
  judges: number;
  trimmed: boolean;
}

export interface Tally {
  decimals: number;
  rows: TallyRow[];
}

export function retally(sqlite: SQLite.Database, roundId: number): Tally {
  const round = sqlite.prepare('SELECT id, contest_id FROM round WHERE id = ?').get(roundId) as
    { id: number; contest_id: number } | undefined;
  if (!round) throw new Error(`no round ${roundId}`);
  const rule = sqlite
    .prepare(
      'SELECT method, trim, min_judges_for_trim, decimals, missing_score, normalization, group_weights FROM scoring_rule WHERE round_id = ?',
    )
    .get(roundId) as
    | {
        method: string;
        trim: number;
        min_judges_for_trim: number;
        decimals: number;
        missing_score: string;
        normalization: string;
        group_weights: string | null;
      }
    | undefined;
  if (!rule) throw new Error(`no scoring rule for round ${roundId}`);
  if (rule.normalization !== 'none' || rule.group_weights !== null || rule.missing_score !== 'exclude')
    throw new Error('re-tally supports only: no normalization, no group weights, missing scores excluded');

  const weights = new Map(
    (
      sqlite.prepare('SELECT key, weight_milli FROM criterion WHERE round_id = ?').all(roundId) as {
        key: string;
        weight_milli: number;
      }[]
    ).map((c) => [c.key, BigInt(c.weight_milli)]),
  );
  const explicitPanel = (
    sqlite.prepare('SELECT judge_id FROM round_panel WHERE round_id = ?').all(roundId) as { judge_id: number }[]
  ).map((r) => r.judge_id);
  const panel = new Set(
    explicitPanel.length
      ? explicitPanel
      : (sqlite.prepare('SELECT id FROM judge WHERE contest_id = ?').all(round.contest_id) as { id: number }[]).map(
          (r) => r.id,
        ),
  );
  const recused = new Set(
    (
      sqlite.prepare('SELECT judge_id, project_id FROM judge_conflict WHERE waived_at IS NULL').all() as {
        judge_id: number;
        project_id: number;
      }[]
    ).map((r) => `${r.judge_id}:${r.project_id}`),
  );
  const projects = sqlite
    .prepare('SELECT id, ref FROM project WHERE contest_id = ? ORDER BY id')
    .all(round.contest_id) as { id: number; ref: string }[];

  // The current sheet of each (project, judge): the row with the highest version.
  const latest = new Map<string, { version: number; marks: string; projectId: number; judgeId: number }>();
  const rows = sqlite
    .prepare('SELECT project_id, judge_id, version, marks FROM score_version WHERE round_id = ?')
    .all(roundId) as { project_id: number; judge_id: number; version: number; marks: string }[];
  for (const r of rows) {
    const key = `${r.judge_id}:${r.project_id}`;
    const seen = latest.get(key);
    if (!seen || r.version > seen.version)
      latest.set(key, { version: r.version, marks: r.marks, projectId: r.project_id, judgeId: r.judge_id });
  }

  const totals = new Map<number, Fraction[]>();
  for (const [key, sheet] of latest) {
    if (!panel.has(sheet.judgeId) || recused.has(key)) continue;
    const marks = JSON.parse(sheet.marks) as Record<string, number>;
    let sum = 0n;
    let complete = true;
    for (const [criterion, weight] of weights) {
      const mark = marks[criterion];
      if (typeof mark !== 'number') {
        complete = false;
        break;
      }
      sum += weight * BigInt(mark);
    }
    if (!complete) continue;
    // marks are hundredths, weights thousandths
    const list = totals.get(sheet.projectId) ?? [];
    list.push(frac(sum, 100_000n));
    totals.set(sheet.projectId, list);
  }

  const k = rule.method === 'trimmed-mean' ? rule.trim : 0;
  return {
    decimals: rule.decimals,
    rows: projects.map((p) => {
      const values = [...(totals.get(p.id) ?? [])].sort(cmp);
      if (values.length === 0) return { projectId: p.id, ref: p.ref, score: null, judges: 0, trimmed: false };
      const trimmed = k > 0 && values.length >= rule.min_judges_for_trim && values.length > 2 * k;
      const kept = trimmed ? values.slice(k, values.length - k) : values;
      let num = 0n;
      let den = 1n;
      for (const v of kept) {
        num = num * v.den + v.num * den;
        den = den * v.den;
      }
      return {
        projectId: p.id,
        ref: p.ref,
        score: frac(num, den * BigInt(kept.length)),
        judges: values.length,
        trimmed,
      };
    }),
  };
}
