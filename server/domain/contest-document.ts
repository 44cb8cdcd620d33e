/**
 * The contest document: the one documented JSON shape of a whole contest configuration
 * (tracks, rounds, rubric, scoring rules, prize tiers, judges, conflicts, projects).
 *
 * It validates imports (`POST /api/v1/contests`), describes exports, generates the served
 * JSON Schema and the OpenAPI components, and holds the enums the rest of the code uses.
 * Numbers are plain decimals here (points, weights); `data/` converts them to exact integer
 * units (see units.ts) when storing.
 *
 * Pure: Zod only. Must not import Express, Kysely, fs or the clock.
 */
import { z } from 'zod';
import { REFERENCE_PREFIX } from './registration/reference.js';
import { CENTI, MILLI, toUnits } from './units.js';

export const CONTEST_FORMAT = 'roadshow.contest/v1';

export const CONTEST_STATUSES = [
  'draft',
  'registration-open',
  'registration-closed',
  'live',
  'finished',
  'published',
] as const;
export const ContestStatus = z.enum(CONTEST_STATUSES);
export type ContestStatus = z.infer<typeof ContestStatus>;

export const ROUND_KINDS = ['review', 'roadshow'] as const;
export const COMBINE_MODES = ['reset', 'weighted'] as const;
export const ADVANCEMENT_MODES = ['none', 'top-n-per-track', 'top-n-overall'] as const;
export const TIE_AT_CUTOFF_POLICIES = ['widen', 'tie-break', 'head-judge'] as const;
export const SCORING_METHODS = ['mean', 'trimmed-mean'] as const;
export const MISSING_SCORE_POLICIES = ['exclude', 'mean-of-given'] as const;
export const NORMALIZATION_METHODS = ['none', 'z-score'] as const;
export const TIE_BREAKS = ['untrimmed-mean', 'criterion', 'more-high-marks', 'head-judge'] as const;
export const PRIZE_SCOPES = ['overall', 'track'] as const;
export const QUOTA_KINDS = ['count', 'percent', 'rest'] as const;
export const JUDGE_GROUPS = ['clinical', 'academic', 'investor', 'industry', 'other'] as const;
export const PROJECT_STATUSES = ['submitted', 'returned', 'approved', 'rejected', 'withdrawn'] as const;
export const DEVELOPMENT_STAGES = [
  'concept',
  'prototype',
  'preclinical',
  'clinical-trial',
  'registration',
  'market',
] as const;
export const CONFLICT_SOURCES = ['auto', 'manual'] as const;

export type RoundKind = (typeof ROUND_KINDS)[number];
export type JudgeGroup = (typeof JUDGE_GROUPS)[number];
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export type TieBreak = (typeof TIE_BREAKS)[number];

/** Stable identifiers used for cross references inside one document. */
export const Key = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'invalid-key' });
export const Slug = z
  .string()
  .trim()
  .min(3)
  .max(60)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, { error: 'invalid-slug' });

const text = (max: number) => z.string().trim().max(max);
const requiredText = (max: number) => z.string().trim().min(1).max(max);

export const LocalizedName = z.object({
  zh: requiredText(200),
  en: text(200).default(''),
});
export type LocalizedName = z.infer<typeof LocalizedName>;

const IsoDate = z.iso.date();

/** A decimal that must be an exact multiple of 1/scale (e.g. points in hundredths). */
const exactDecimal = (scale: number, min: number, max: number) =>
  z
    .number()
    .min(min)
    .max(max)
    .refine((v) => toUnits(v, scale) !== null, { error: `too-precise-${Math.round(Math.log10(scale))}` });
export const Points = exactDecimal(CENTI, 0, 10_000);
export const Weight = exactDecimal(MILLI, 0, 100);
const Percent = z.number().int().min(0).max(100);

export const LevelDescriptor = z.object({
  min: Points,
  max: Points,
  label: LocalizedName,
});

export const Criterion = z
  .object({
    key: Key,
    name: LocalizedName,
    description: text(2000).default(''),
    levels: z.array(LevelDescriptor).max(10).default([]),
    min: Points.default(0),
    max: Points,
    step: Points.refine((v) => v > 0, { error: 'must-be-positive' }).default(1),
    weight: Weight.default(1),
  })
  .superRefine((c, ctx) => {
    if (c.max <= c.min) ctx.addIssue({ code: 'custom', path: ['max'], message: 'max-not-above-min' });
    const span = toUnits(c.max - c.min, CENTI);
    const step = toUnits(c.step, CENTI);
    if (span !== null && step !== null && step > 0 && span % step !== 0)
      ctx.addIssue({ code: 'custom', path: ['step'], message: 'step-does-not-divide-range' });
    c.levels.forEach((level, i) => {
      if (level.min > level.max || level.min < c.min || level.max > c.max)
        ctx.addIssue({ code: 'custom', path: ['levels', i, 'min'], message: 'level-out-of-range' });
    });
  });
export type Criterion = z.infer<typeof Criterion>;

export const ScoringRules = z
  .object({
    method: z.enum(SCORING_METHODS).default('trimmed-mean'),
    trim: z.number().int().min(0).max(5).default(1),
    minJudgesForTrim: z.number().int().min(1).max(100).default(5),
    decimals: z.number().int().min(0).max(4).default(2),
    tieBreaks: z
      .array(
        z.object({
          kind: z.enum(TIE_BREAKS),
          criterionKey: Key.optional(),
        }),
      )
      .max(6)
      .default([{ kind: 'untrimmed-mean' }, { kind: 'head-judge' }]),
    missingScore: z.enum(MISSING_SCORE_POLICIES).default('exclude'),
    normalization: z.enum(NORMALIZATION_METHODS).default('none'),
    groupWeights: z.partialRecord(z.enum(JUDGE_GROUPS), Percent).nullable().default(null),
  })
  .superRefine((r, ctx) => {
    if (r.method === 'trimmed-mean' && r.minJudgesForTrim <= 2 * r.trim)
      ctx.addIssue({ code: 'custom', path: ['minJudgesForTrim'], message: 'min-judges-too-small' });
    r.tieBreaks.forEach((t, i) => {
      if (t.kind === 'criterion' && !t.criterionKey)
        ctx.addIssue({ code: 'custom', path: ['tieBreaks', i, 'criterionKey'], message: 'required' });
    });
    if (r.groupWeights) {
      const sum = Object.values(r.groupWeights).reduce((a, b) => a + (b ?? 0), 0);
      if (sum !== 100) ctx.addIssue({ code: 'custom', path: ['groupWeights'], message: 'must-sum-to-100' });
    }
  });
export type ScoringRules = z.infer<typeof ScoringRules>;

export const Round = z
  .object({
    key: Key,
    name: LocalizedName,
    kind: z.enum(ROUND_KINDS),
    pitchSeconds: z.number().int().min(0).max(7200).default(300),
    qaSeconds: z.number().int().min(0).max(7200).default(300),
    combine: z
      .object({
        mode: z.enum(COMBINE_MODES).default('reset'),
        priorWeightPercent: Percent.default(0),
      })
      .default({ mode: 'reset', priorWeightPercent: 0 }),
    advancement: z
      .object({
        mode: z.enum(ADVANCEMENT_MODES).default('none'),
        count: z.number().int().min(0).max(10_000).default(0),
        tieAtCutoff: z.enum(TIE_AT_CUTOFF_POLICIES).default('tie-break'),
      })
      .default({ mode: 'none', count: 0, tieAtCutoff: 'tie-break' }),
    scoring: ScoringRules.default(() => ScoringRules.parse({})),
    criteria: z.array(Criterion).max(30).default([]),
  })
  .superRefine((r, ctx) => {
    duplicateKeys(r.criteria, (c) => c.key, ['criteria'], ctx);
    const keys = new Set(r.criteria.map((c) => c.key));
    r.scoring.tieBreaks.forEach((t, i) => {
      if (t.kind === 'criterion' && t.criterionKey && !keys.has(t.criterionKey))
        ctx.addIssue({
          code: 'custom',
          path: ['scoring', 'tieBreaks', i, 'criterionKey'],
          message: 'unknown-reference',
        });
    });
    if (r.combine.mode === 'weighted' && (r.combine.priorWeightPercent <= 0 || r.combine.priorWeightPercent >= 100))
      ctx.addIssue({ code: 'custom', path: ['combine', 'priorWeightPercent'], message: 'percent-between' });
    if (r.advancement.mode !== 'none' && r.advancement.count < 1)
      ctx.addIssue({ code: 'custom', path: ['advancement', 'count'], message: 'must-be-positive' });
  });
export type Round = z.infer<typeof Round>;

export const Track = z.object({
  key: Key,
  name: LocalizedName,
  description: text(2000).default(''),
});
export type Track = z.infer<typeof Track>;

export const PrizeTier = z
  .object({
    key: Key,
    name: LocalizedName,
    scope: z.enum(PRIZE_SCOPES).default('track'),
    quotaKind: z.enum(QUOTA_KINDS).default('count'),
    quota: z.number().int().min(0).max(10_000).default(1),
    minScore: Points.nullable().default(null),
    precedence: z.number().int().min(1).max(100),
    audience: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    if (p.quotaKind === 'percent' && p.quota > 100)
      ctx.addIssue({ code: 'custom', path: ['quota'], message: 'percent-between' });
  });
export type PrizeTier = z.infer<typeof PrizeTier>;

export const Phone = z
  .string()
  .trim()
  .regex(/^(?:\+?86)?1[3-9]\d{9}$/, { error: 'invalid-phone' });

export const Judge = z.object({
  key: Key,
  name: requiredText(100),
  title: text(200).default(''),
  institution: text(200).default(''),
  group: z.enum(JUDGE_GROUPS).default('other'),
  isHeadJudge: z.boolean().default(false),
  email: z.union([z.email(), z.literal('')]).default(''),
  phone: z.union([Phone, z.literal('')]).default(''),
});
export type Judge = z.infer<typeof Judge>;

export const Member = z.object({
  name: requiredText(100),
  role: text(100).default(''),
});

export const Project = z.object({
  ref: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: 'invalid-key' }),
  title: requiredText(200),
  trackKey: Key,
  institution: requiredText(200),
  leader: z.object({
    name: requiredText(100),
    phone: z.union([Phone, z.literal('')]).default(''),
    email: z.union([z.email(), z.literal('')]).default(''),
  }),
  members: z.array(Member).max(30).default([]),
  stage: z.enum(DEVELOPMENT_STAGES).default('concept'),
  summary: text(2000).default(''),
  status: z.enum(PROJECT_STATUSES).default('submitted'),
  outOfCompetition: z.boolean().default(false),
});
export type Project = z.infer<typeof Project>;

export const Conflict = z.object({
  judgeKey: Key,
  projectRef: Project.shape.ref,
  reason: text(500).default(''),
  source: z.enum(CONFLICT_SOURCES).default('manual'),
});
export type Conflict = z.infer<typeof Conflict>;

export const ContestSettings = z
  .object({
    showJudgeMarksOnScreen: z.boolean().default(false),
    awardsTieAtCutoff: z.enum(TIE_AT_CUTOFF_POLICIES).default('tie-break'),
  })
  .default({ showJudgeMarksOnScreen: false, awardsTieAtCutoff: 'tie-break' });

/** The contest fields an organizer edits on the contest form (no nested collections). */
export const ContestBasics = z
  .object({
    slug: Slug,
    name: LocalizedName,
    theme: z.object({ zh: text(300).default(''), en: text(300).default('') }).default({ zh: '', en: '' }),
    organizer: text(300).default(''),
    venue: text(300).default(''),
    startsOn: IsoDate.nullable().default(null),
    endsOn: IsoDate.nullable().default(null),
    status: ContestStatus.default('draft'),
    settings: ContestSettings,
    /** When registration closes (an instant, ISO 8601), even while the status says open; null: by status only. */
    registrationClosesAt: z.iso.datetime({ offset: true, error: 'invalid-datetime' }).nullable().default(null),
    /** The prefix of registration references (RS → RS-2026-0001). */
    referencePrefix: z.string().trim().regex(REFERENCE_PREFIX, { error: 'invalid-reference-prefix' }).default('RS'),
  })
  .superRefine((c, ctx) => {
    if (c.startsOn && c.endsOn && c.endsOn < c.startsOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'end-before-start' });
  });
export type ContestBasics = z.infer<typeof ContestBasics>;

export const ContestDocument = z
  .object({
    format: z.literal(CONTEST_FORMAT).default(CONTEST_FORMAT),
    ...ContestBasics.shape,
    tracks: z.array(Track).max(50).default([]),
    rounds: z.array(Round).max(20).default([]),
    prizeTiers: z.array(PrizeTier).max(50).default([]),
    judges: z.array(Judge).max(500).default([]),
    projects: z.array(Project).max(10_000).default([]),
    conflicts: z.array(Conflict).max(100_000).default([]),
  })
  .superRefine((d, ctx) => {
    if (d.startsOn && d.endsOn && d.endsOn < d.startsOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'end-before-start' });
    duplicateKeys(d.tracks, (t) => t.key, ['tracks'], ctx);
    duplicateKeys(d.rounds, (r) => r.key, ['rounds'], ctx);
    duplicateKeys(d.prizeTiers, (p) => p.key, ['prizeTiers'], ctx);
    duplicateKeys(d.judges, (j) => j.key, ['judges'], ctx);
    duplicateKeys(d.projects, (p) => p.ref, ['projects'], ctx, 'ref');
    const tracks = new Set(d.tracks.map((t) => t.key));
    const judges = new Set(d.judges.map((j) => j.key));
    const projects = new Set(d.projects.map((p) => p.ref));
    d.projects.forEach((p, i) => {
      if (!tracks.has(p.trackKey))
        ctx.addIssue({ code: 'custom', path: ['projects', i, 'trackKey'], message: 'unknown-reference' });
    });
    d.conflicts.forEach((c, i) => {
      if (!judges.has(c.judgeKey))
        ctx.addIssue({ code: 'custom', path: ['conflicts', i, 'judgeKey'], message: 'unknown-reference' });
      if (!projects.has(c.projectRef))
        ctx.addIssue({ code: 'custom', path: ['conflicts', i, 'projectRef'], message: 'unknown-reference' });
    });
    d.judges.forEach((j, i) => {
      if (j.isHeadJudge && d.judges.findIndex((other) => other.isHeadJudge) !== i)
        ctx.addIssue({ code: 'custom', path: ['judges', i, 'isHeadJudge'], message: 'one-head-judge' });
    });
    duplicateKeys(d.conflicts, (c) => `${c.judgeKey}/${c.projectRef}`, ['conflicts'], ctx, 'projectRef');
  });
export type ContestDocument = z.infer<typeof ContestDocument>;
export type ContestDocumentInput = z.input<typeof ContestDocument>;

function duplicateKeys<T>(
  items: T[],
  keyOf: (item: T) => string,
  path: (string | number)[],
  ctx: z.RefinementCtx,
  field = 'key',
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [...path, i, field], message: 'duplicate-key' });
    seen.add(key);
  });
}
