/**
 * Aggregation of one round: judge sheets → judge totals → (optional z-score normalization)
 * → per-project mean / trimmed mean with the missing-score policy → (optional judge-group
 * weights) → (optional carry-over from the prior round), with a full explanation per project.
 *
 * Policies, in pipeline order:
 * - Eligibility: a judge is eligible for a project when assigned to it (every judge when no
 *   assignments are given) and not recused. Recused and unassigned judges are never
 *   "missing"; their sheets, if any, are ignored with a warning.
 * - Normalization 'z-score': see normalize.ts; computed over the given totals of counted judges.
 * - Missing score 'exclude': the project's aggregate uses the given totals only.
 *   'mean-of-given': each eligible judge without a complete sheet gets the mean of the given
 *   totals (of the same group when group weights are on) as a substitute value, which then
 *   takes part in trimming (n counts it). With no given totals at all the project is unscored.
 * - Group weights: each group's mean/trimmed mean (trim rule applied to that group's n),
 *   weighted by the group percent and renormalized over the groups that have a value:
 *   Σ p_g·v_g / Σ p_g. Judges of a group with no (or 0) weight are not counted (warning).
 * - Tie-break keys are from this round: the untrimmed mean (same group weighting, no trim),
 *   each criterion's mean of the raw marks of the counted judges who scored, and the given
 *   (normalized when on) judge totals for 'more-high-marks'; substitutes are not marks.
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import { JUDGE_GROUPS, type JudgeGroup, type ScoringRules } from '../contest-document.js';
import { type CombineRule, combineRounds } from './combine.js';
import { ScoringError } from './errors.js';
import { type NormalizationOptions, type JudgeNormalization, zScoreNormalize } from './normalize.js';
import type { Rankable } from './ranking.js';
import { type Rational, div, fromInt, mean, mul, toFixed, toText, sum } from './rational.js';
import { type CriterionWeight, type Marks, checkCriteria, criterionPoints, sheetTotal } from './sheet.js';
import { type JudgeValue, type TrimResult, trimmedMean } from './trim.js';

export interface PanelJudge {
  readonly key: string;
  readonly group: JudgeGroup;
}

export interface ProjectEntry {
  readonly ref: string;
  readonly trackKey: string;
  /** 打星: ranked and shown, flagged, never takes a quota place. */
  readonly outOfCompetition: boolean;
}

/** The current (latest submitted) sheet of one judge for one project; marks in centi-points. */
export interface JudgeSheet {
  readonly judgeKey: string;
  readonly projectRef: string;
  readonly marks: Marks;
}

export interface JudgeProjectPair {
  readonly judgeKey: string;
  readonly projectRef: string;
}

export type AggregationRules = Pick<
  ScoringRules,
  'method' | 'trim' | 'minJudgesForTrim' | 'decimals' | 'missingScore' | 'normalization' | 'groupWeights'
>;

export interface AggregateRoundInput {
  readonly rules: AggregationRules;
  readonly criteria: readonly CriterionWeight[];
  readonly judges: readonly PanelJudge[];
  readonly projects: readonly ProjectEntry[];
  readonly sheets: readonly JudgeSheet[];
  readonly recusals?: readonly JudgeProjectPair[];
  /** Which judges are expected to score which project; omitted = every judge scores every project. */
  readonly assignments?: readonly JudgeProjectPair[];
  readonly combine?: CombineRule;
  /** Prior round's final score per project ref (used by combine mode 'weighted'). */
  readonly priorScores?: Readonly<Record<string, Rational | null | undefined>>;
  readonly normalizationOptions?: NormalizationOptions;
}

export type JudgeLineStatus = 'scored' | 'missing' | 'incomplete' | 'recused' | 'not-assigned';

export interface JudgeLine {
  readonly judgeKey: string;
  readonly group: JudgeGroup;
  readonly status: JudgeLineStatus;
  /** The sheet total (null when not scored). */
  readonly raw: Rational | null;
  /** The value entering the aggregate: normalized total, or the substitute for a missing score. */
  readonly value: Rational | null;
  readonly normalized: boolean;
  readonly replaced: boolean;
  readonly dropped: 'high' | 'low' | null;
  /** Whether the value takes part in the aggregate (kept or dropped by the trim). */
  readonly counted: boolean;
  readonly missingCriteria: readonly string[];
  readonly rawDisplay: string | null;
  readonly valueDisplay: string | null;
}

export interface GroupLine {
  readonly group: JudgeGroup;
  readonly percent: number;
  readonly n: number;
  readonly value: Rational | null;
  readonly display: string | null;
  readonly trimApplied: boolean;
  readonly trimSkipped: 'too-few-judges' | null;
}

export interface ProjectExplanation {
  readonly method: 'mean' | 'trimmed-mean';
  readonly trim: number;
  readonly minJudgesForTrim: number;
  /** Without group weights: whether the trim was applied (false also when skipped by small n). */
  readonly trimApplied: boolean;
  readonly trimSkipped: 'too-few-judges' | null;
  readonly missingScore: 'exclude' | 'mean-of-given';
  readonly normalization: 'none' | 'z-score';
  readonly judges: readonly JudgeLine[];
  readonly groups: readonly GroupLine[] | null;
  readonly roundScore: Rational | null;
  readonly prior: Rational | null;
  readonly combineStatus: 'current-only' | 'combined' | 'missing-prior' | 'not-scored';
  /** Human-readable trace, e.g. "trimmed mean, drop 1 high + 1 low of 5: (88.00 + 90.00 + 91.50) / 3 = 89.83". */
  readonly formula: string;
  readonly exact: Rational | null;
  /** Exact value as "num/den" (JSON-safe). */
  readonly exactText: string | null;
  readonly display: string | null;
  readonly decimals: number;
}

export interface ProjectResult extends Rankable {
  readonly roundScore: Rational | null;
  readonly priorScore: Rational | null;
  readonly display: string | null;
  readonly explanation: ProjectExplanation;
}

export interface AggregationWarning {
  readonly code:
    | 'unknown-judge'
    | 'unknown-project'
    | 'sheet-from-recused-judge'
    | 'sheet-from-unassigned-judge'
    | 'group-without-weight'
    | 'judge-left-raw'
    | 'missing-prior';
  readonly judgeKey?: string;
  readonly projectRef?: string;
  readonly detail?: string;
}

export interface RoundAggregate {
  /** One per input project, in input order. */
  readonly projects: readonly ProjectResult[];
  /** Per-judge normalization status (empty when normalization is 'none'). */
  readonly normalization: readonly JudgeNormalization[];
  readonly panelMean: Rational | null;
  readonly panelSd: Rational | null;
  readonly warnings: readonly AggregationWarning[];
}

const pairKey = (judgeKey: string, projectRef: string) => `${judgeKey}\u0000${projectRef}`;

interface Cell {
  readonly judge: PanelJudge;
  readonly status: JudgeLineStatus;
  readonly raw: Rational | null;
  readonly missingCriteria: readonly string[];
  readonly marks: Marks | null;
  readonly counted: boolean;
}

function unitFormula(label: string, tr: TrimResult, rules: AggregationRules, decimals: number): string {
  const f = (r: Rational) => toFixed(r, decimals);
  if (tr.value === null) return `${label}not scored`;
  const kept = tr.kept.map((v) => `${f(v.value)}${v.replaced ? '*' : ''}`);
  const head = tr.trimApplied
    ? `trimmed mean, drop ${rules.trim} high + ${rules.trim} low of ${tr.n}`
    : tr.trimSkipped
      ? `mean of ${tr.n} (fewer than ${rules.minJudgesForTrim} judges: no trim)`
      : `mean of ${tr.n}`;
  return `${label}${head}: (${kept.join(' + ')}) / ${kept.length} = ${f(tr.value)}`;
}

/**
 * Aggregates one round.
 * @example
 * aggregateRound({
 *   rules, criteria: [{ key: 'total', weightMilli: 1000 }],
 *   judges: ['a', 'b', 'c', 'd', 'e'].map((key) => ({ key, group: 'other' })),
 *   projects: [{ ref: 'P1', trackKey: 't', outOfCompetition: false }],
 *   sheets: [8800, 9000, 9150, 8600, 9300].map((c, i) => ({ judgeKey: 'abcde'[i]!, projectRef: 'P1', marks: { total: c } })),
 * }).projects[0]?.display // '89.83' with the default trimmed-mean rules
 */
export function aggregateRound(input: AggregateRoundInput): RoundAggregate {
  const { rules } = input;
  const decimals = rules.decimals;
  checkCriteria(input.criteria);
  if (rules.method === 'trimmed-mean' && (!Number.isInteger(rules.trim) || rules.trim < 0))
    throw new ScoringError('invalid-rules', { trim: rules.trim });
  const warnings: AggregationWarning[] = [];
  const judgeByKey = new Map(input.judges.map((j) => [j.key, j]));
  const projectRefs = new Set(input.projects.map((p) => p.ref));
  const recused = new Set((input.recusals ?? []).map((r) => pairKey(r.judgeKey, r.projectRef)));
  const assigned = input.assignments ? new Set(input.assignments.map((a) => pairKey(a.judgeKey, a.projectRef))) : null;
  const weights = rules.groupWeights;
  const groupWeight = (g: JudgeGroup): number => (weights ? (weights[g] ?? 0) : 100);
  if (weights) {
    for (const j of input.judges)
      if (groupWeight(j.group) <= 0) warnings.push({ code: 'group-without-weight', judgeKey: j.key, detail: j.group });
  }

  const sheets = new Map<string, JudgeSheet>();
  for (const s of input.sheets) {
    const key = pairKey(s.judgeKey, s.projectRef);
    if (sheets.has(key)) throw new ScoringError('duplicate-sheet', { judgeKey: s.judgeKey, projectRef: s.projectRef });
    if (!judgeByKey.has(s.judgeKey)) warnings.push({ code: 'unknown-judge', judgeKey: s.judgeKey });
    else if (!projectRefs.has(s.projectRef)) warnings.push({ code: 'unknown-project', projectRef: s.projectRef });
    else if (recused.has(key))
      warnings.push({ code: 'sheet-from-recused-judge', judgeKey: s.judgeKey, projectRef: s.projectRef });
    else if (assigned && !assigned.has(key))
      warnings.push({ code: 'sheet-from-unassigned-judge', judgeKey: s.judgeKey, projectRef: s.projectRef });
    sheets.set(key, s);
  }

  // 1. Cells: each judge × project, with status and sheet total.
  const cells = new Map<string, Cell[]>();
  for (const p of input.projects) {
    // Every cell is built with the same fields in the same order (one object shape: this loop
    // runs once per judge × project on every leaderboard recomputation).
    const row: Cell[] = input.judges.map((judge): Cell => {
      const key = pairKey(judge.key, p.ref);
      const excluded = recused.has(key) ? 'recused' : assigned && !assigned.has(key) ? 'not-assigned' : null;
      if (excluded) return { judge, status: excluded, raw: null, missingCriteria: [], marks: null, counted: false };
      const sheet = sheets.get(key);
      const total = sheetTotal(sheet?.marks, input.criteria);
      const counted = groupWeight(judge.group) > 0;
      if (total.status === 'scored')
        return { judge, status: 'scored', raw: total.total, missingCriteria: [], marks: sheet?.marks ?? null, counted };
      const status = total.reason === 'missing-sheet' ? 'missing' : 'incomplete';
      return { judge, status, raw: null, missingCriteria: total.missingCriteria, marks: null, counted };
    });
    cells.set(p.ref, row);
  }

  // 2. Optional normalization over the given totals of counted judges.
  const adjusted = new Map<string, { value: Rational; normalized: boolean }>();
  let normalization: readonly JudgeNormalization[] = [];
  let panelMean: Rational | null = null;
  let panelSd: Rational | null = null;
  if (rules.normalization === 'z-score') {
    const totals = input.projects.flatMap((p) =>
      (cells.get(p.ref) ?? [])
        .filter((c) => c.counted && c.raw !== null)
        .map((c) => ({ judgeKey: c.judge.key, projectRef: p.ref, value: c.raw as Rational })),
    );
    const result = zScoreNormalize(totals, input.normalizationOptions);
    for (const v of result.values)
      adjusted.set(pairKey(v.judgeKey, v.projectRef), { value: v.adjusted, normalized: v.normalized });
    normalization = result.judges;
    panelMean = result.panelMean;
    panelSd = result.panelSd;
    for (const j of result.judges)
      if (j.status === 'raw') warnings.push({ code: 'judge-left-raw', judgeKey: j.judgeKey, detail: j.reason ?? '' });
  }

  const f = (r: Rational | null) => (r === null ? null : toFixed(r, decimals));
  const projects = input.projects.map((p): ProjectResult => {
    const row = cells.get(p.ref) ?? [];
    const valueOf = (c: Cell) => adjusted.get(pairKey(c.judge.key, p.ref)) ?? { value: c.raw, normalized: false };

    // 3. Units: one per weighted group, or the whole panel.
    const unitGroups: (JudgeGroup | null)[] = weights ? JUDGE_GROUPS.filter((g) => groupWeight(g) > 0) : [null];
    const lines = new Map<string, { value: Rational; replaced: boolean; dropped: 'high' | 'low' | null }>();
    const units = unitGroups.map((group) => {
      const members = row.filter((c) => c.counted && (group === null || c.judge.group === group));
      const given: JudgeValue[] = members
        .filter((c) => c.raw !== null)
        .map((c) => ({ judgeKey: c.judge.key, value: valueOf(c).value as Rational }));
      const values = [...given];
      const givenMean = mean(given.map((g) => g.value));
      if (rules.missingScore === 'mean-of-given' && givenMean !== null) {
        for (const c of members)
          if (c.raw === null) values.push({ judgeKey: c.judge.key, value: givenMean, replaced: true });
      }
      const tr = trimmedMean(values, rules);
      for (const v of tr.kept) lines.set(v.judgeKey, { value: v.value, replaced: !!v.replaced, dropped: null });
      for (const v of tr.droppedLow) lines.set(v.judgeKey, { value: v.value, replaced: !!v.replaced, dropped: 'low' });
      for (const v of tr.droppedHigh)
        lines.set(v.judgeKey, { value: v.value, replaced: !!v.replaced, dropped: 'high' });
      return { group, tr };
    });

    // 4. Combine units (group weights renormalized over groups present).
    let roundScore: Rational | null;
    let untrimmed: Rational | null;
    let groupLines: GroupLine[] | null = null;
    let formula: string;
    const only = units[0];
    if (!weights && only) {
      roundScore = only.tr.value;
      untrimmed = only.tr.untrimmedMean;
      formula = unitFormula('', only.tr, rules, decimals);
    } else {
      const present = units.filter((u) => u.tr.value !== null && u.group !== null);
      const totalPercent = present.reduce((s, u) => s + groupWeight(u.group as JudgeGroup), 0);
      const weighted = (pick: (tr: TrimResult) => Rational | null) =>
        present.length === 0
          ? null
          : div(
              sum(present.map((u) => mul(fromInt(groupWeight(u.group as JudgeGroup)), pick(u.tr) as Rational))),
              fromInt(totalPercent),
            );
      roundScore = weighted((tr) => tr.value);
      untrimmed = weighted((tr) => tr.untrimmedMean);
      groupLines = units.map((u) => ({
        group: u.group as JudgeGroup,
        percent: groupWeight(u.group as JudgeGroup),
        n: u.tr.n,
        value: u.tr.value,
        display: f(u.tr.value),
        trimApplied: u.tr.trimApplied,
        trimSkipped: u.tr.trimSkipped,
      }));
      const parts = units.map((u) => unitFormula(`${u.group}: `, u.tr, rules, decimals));
      const terms = present.map((u) => `${u.group} ${groupWeight(u.group as JudgeGroup)}% × ${f(u.tr.value)}`);
      const combination =
        roundScore === null
          ? 'not scored'
          : totalPercent === 100
            ? `${terms.join(' + ')} = ${f(roundScore)}`
            : `(${terms.join(' + ')}) / ${totalPercent}% = ${f(roundScore)} (weights renormalized over groups present)`;
      formula = `${parts.join('; ')}; ${combination}`;
    }
    if (units.some((u) => u.tr.kept.some((v) => v.replaced)))
      formula += ' (* = mean of given scores substituted for a missing judge)';

    // 5. Multi-round combination.
    const prior = input.priorScores?.[p.ref] ?? null;
    const combineRule = input.combine ?? { mode: 'reset', priorWeightPercent: 0 };
    const combined = combineRounds(roundScore, prior, combineRule, decimals);
    if (combined.status === 'missing-prior') warnings.push({ code: 'missing-prior', projectRef: p.ref });
    if (combineRule.mode === 'weighted') formula += `; ${combined.formula}`;
    const score = combined.value;

    // 6. Tie-break keys.
    const scoredCounted = row.filter((c) => c.counted && c.raw !== null);
    const criterionMeans: Record<string, Rational | null> = {};
    for (const c of input.criteria)
      criterionMeans[c.key] = mean(
        scoredCounted.map((cell) => criterionPoints(cell.marks, c.key)).filter((v): v is Rational => v !== null),
      );
    const judgeTotals = scoredCounted.map((c) => valueOf(c).value as Rational);

    const judgeLines: JudgeLine[] = row.map((c) => {
      const line = lines.get(c.judge.key);
      const value = line?.value ?? (c.raw === null ? null : valueOf(c).value);
      const rawDisplay = f(c.raw);
      return {
        judgeKey: c.judge.key,
        group: c.judge.group,
        status: c.status,
        raw: c.raw,
        value,
        normalized: c.raw !== null && valueOf(c).normalized,
        replaced: line?.replaced ?? false,
        dropped: line?.dropped ?? null,
        counted: line !== undefined,
        missingCriteria: c.missingCriteria,
        rawDisplay,
        valueDisplay: value === c.raw ? rawDisplay : f(value),
      };
    });
    const head = units[0]?.tr;
    return {
      ref: p.ref,
      trackKey: p.trackKey,
      outOfCompetition: p.outOfCompetition,
      score,
      untrimmedMean: untrimmed,
      criterionMeans,
      judgeTotals,
      roundScore,
      priorScore: prior,
      display: f(score),
      explanation: {
        method: rules.method,
        trim: rules.trim,
        minJudgesForTrim: rules.minJudgesForTrim,
        trimApplied: !weights && !!head?.trimApplied,
        trimSkipped: weights ? null : (head?.trimSkipped ?? null),
        missingScore: rules.missingScore,
        normalization: rules.normalization,
        judges: judgeLines,
        groups: groupLines,
        roundScore,
        prior,
        combineStatus: combined.status,
        formula,
        exact: score,
        exactText: score === null ? null : toText(score),
        display: f(score),
        decimals,
      },
    };
  });

  return { projects, normalization, panelMean, panelSd, warnings };
}
