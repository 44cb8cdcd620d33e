/**
 * The organizer pages for every part of a contest (tracks, rounds with their scoring rules,
 * rubric criteria, prize tiers, judges, projects, conflicts), built from ONE generic mechanism:
 * each part is a descriptor (form sections → parseForm spec and fields, list columns, stored
 * item → form values, form → service input) and the same handlers list, add, edit and delete
 * every part. Also exports the form machinery and the contest chrome (breadcrumbs, tabs) that
 * contests.router.ts reuses. All writes go through services.contests, which validates the
 * whole document; this module only shapes forms and pages.
 */
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import {
  Conflict,
  Criterion,
  Judge,
  PrizeTier,
  Project,
  Round,
  Track,
  ADVANCEMENT_MODES,
  COMBINE_MODES,
  CONTEST_STATUSES,
  DEVELOPMENT_STAGES,
  JUDGE_GROUPS,
  MISSING_SCORE_POLICIES,
  NORMALIZATION_METHODS,
  PRIZE_SCOPES,
  PROJECT_STATUSES,
  QUOTA_KINDS,
  ROUND_KINDS,
  SCORING_METHODS,
  TIE_AT_CUTOFF_POLICIES,
  TIE_BREAKS,
  type ContestDocument,
} from '../../domain/contest-document.js';
import { CENTI, MILLI, fromUnits, toUnits } from '../../domain/units.js';
import { AppError } from '../../errors.js';
import { fieldErrorsFromZod, type FieldError } from '../../field-errors.js';
import { localized, type Locale, type Params, type Translate } from '../../i18n/catalog.js';
import type { LoadedContest, PartName } from '../../services/contest.service.js';
import { hasPermission } from '../../services/user.service.js';
import { parseForm, type FieldKind, type FormSpec } from '../form.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';

// ---------------------------------------------------------------------------------------------
// Form machinery: a form is a list of sections of field definitions. The same definitions give
// the parseForm spec, the rendered fields (field/* partials), the labels for the error summary
// and the values as typed when the form comes back with errors.

export interface Option {
  value: string;
  label: string;
}

export interface FieldDef<C> {
  name: string;
  /** Message key of the label (with `labelParams`). */
  label: string;
  labelParams?: Params;
  kind?: FieldKind;
  control?: 'text' | 'textarea' | 'select' | 'checkbox';
  type?: 'date' | 'datetime-local' | 'email' | 'tel';
  required?: boolean;
  hint?: string;
  placeholder?: string;
  rows?: number;
  wide?: boolean;
  options?: (ctx: C) => Option[];
}

export interface SectionDef<C> {
  legend?: string;
  hint?: string;
  /** A path whose error belongs to the whole section (e.g. group weights that must add up). */
  errorFor?: string;
  columns?: 1 | 2 | 3 | 4 | 5;
  fields: FieldDef<C>[];
}

type Body = Record<string, unknown>;

const kindOf = <C>(f: FieldDef<C>): FieldKind => f.kind ?? (f.control === 'checkbox' ? 'bool' : 'string');
const fieldsOf = <C>(sections: SectionDef<C>[]) => sections.flatMap((s) => s.fields);

export function formSpec<C>(sections: SectionDef<C>[]): FormSpec {
  return Object.fromEntries(fieldsOf(sections).map((f) => [f.name, kindOf(f)]));
}

/** The form's values exactly as typed (strings), nested like the stored item, for re-rendering. */
export function typedValues<C>(body: unknown, sections: SectionDef<C>[]): Record<string, unknown> {
  const spec = formSpec(sections);
  const asTyped: FormSpec = Object.fromEntries(
    Object.entries(spec).map(([name, kind]) => [name, kind === 'bool' ? 'bool' : 'string']),
  );
  return parseForm(body, asTyped);
}

/** Field name → translated label (section-level error paths get the section legend). */
export function fieldLabels<C>(sections: SectionDef<C>[], t: Translate): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const s of sections) {
    if (s.errorFor && s.legend) labels[s.errorFor] = t(s.legend);
    for (const f of s.fields) labels[f.name] = t(f.label, f.labelParams);
  }
  return labels;
}

export function renderSections<C extends { t: Translate }>(sections: SectionDef<C>[], ctx: C) {
  const { t } = ctx;
  return sections.map((s) => ({
    legend: s.legend ? t(s.legend) : undefined,
    hint: s.hint ? t(s.hint) : undefined,
    errorFor: s.errorFor,
    cols: `cols-${s.columns ?? 1}`,
    fields: s.fields.map((f) => {
      const kind = kindOf(f);
      const control = f.control ?? (kind === 'bool' ? 'checkbox' : 'text');
      const numeric = kind === 'int' || kind === 'number' || kind === 'number?';
      return {
        partial: `field/${control}`,
        name: f.name,
        label: t(f.label, f.labelParams),
        type: f.type,
        inputmode: numeric ? (kind === 'int' ? 'numeric' : 'decimal') : undefined,
        required: f.required,
        hint: f.hint ? t(f.hint) : undefined,
        placeholder: f.placeholder ? t(f.placeholder) : undefined,
        rows: f.rows,
        wide: f.wide,
        options: f.options?.(ctx),
      };
    }),
  }));
}

/**
 * Service error paths (`members[2].name`, `scoring.tieBreaks[1].criterionKey`) → form field
 * names (`membersText`, `scoring.tieBreaks.1.criterionKey`); the first error of a field wins.
 */
export function mapFieldErrors<C>(
  errors: FieldError[],
  sections: SectionDef<C>[],
  aliases: Record<string, string> = {},
  remap: (path: string) => string = (p) => p,
): FieldError[] {
  const order = sections.flatMap((s) => [...(s.errorFor ? [s.errorFor] : []), ...s.fields.map((f) => f.name)]);
  const names = new Set(order);
  const out = new Map<string, FieldError>();
  for (const e of errors) {
    let path = remap(e.path.replace(/\[(\d+)\]/g, '.$1'));
    if (!names.has(path)) {
      const alias = Object.keys(aliases).find((a) => path === a || path.startsWith(`${a}.`));
      if (alias) path = aliases[alias] ?? path;
    }
    if (!out.has(path)) out.set(path, { ...e, path });
  }
  // In the order the fields appear on the form (paths not on the form last).
  const rank = (path: string) => (names.has(path) ? order.indexOf(path) : order.length);
  return [...out.values()].sort((a, b) => rank(a.path) - rank(b.path));
}

const enumOptions =
  <C extends { t: Translate }>(group: string, values: readonly string[]) =>
  (ctx: C): Option[] =>
    values.map((v) => ({ value: v, label: ctx.t(`enum.${group}.${v}`) }));

export const contestStatusOptions = enumOptions<{ t: Translate }>('contestStatus', CONTEST_STATUSES);
export const tieAtCutoffOptions = enumOptions<{ t: Translate }>('tieAtCutoff', TIE_AT_CUTOFF_POLICIES);

const STATUS_TONE: Record<string, string> = {
  'registration-open': 'info',
  live: 'ok',
  published: 'ok',
  finished: 'done',
  approved: 'ok',
  rejected: 'danger',
  returned: 'warn',
};
export const toneOf = (status: string): string => STATUS_TONE[status] ?? '';

// ---------------------------------------------------------------------------------------------
// Contest chrome: breadcrumbs and the tab bar shared by every contest page.

export const contestHref = (slug: string) => `/admin/contests/${encodeURIComponent(slug)}`;

export interface Crumb {
  label: string;
  href?: string;
}

const TABS: { key: string; part?: PartName; segment: string }[] = [
  { key: 'overview', segment: '' },
  { key: 'tracks', part: 'tracks', segment: '/tracks' },
  { key: 'rounds', part: 'rounds', segment: '/rounds' },
  { key: 'prizeTiers', part: 'prizeTiers', segment: '/prize-tiers' },
  { key: 'judges', part: 'judges', segment: '/judges' },
  { key: 'projects', part: 'projects', segment: '/projects' },
  { key: 'conflicts', part: 'conflicts', segment: '/conflicts' },
];

/** Contest-day pages, shown as a second row under the setup tabs (current = the URL starts with it). */
const OPERATIONS: { key: string; segment: string }[] = [
  { key: 'review', segment: '/review' },
  { key: 'schedule', segment: '/schedule' },
  { key: 'links', segment: '/judges/links' },
  { key: 'stage', segment: '/stage' },
  { key: 'progress', segment: '/progress' },
  { key: 'screen', segment: '/screen' },
  { key: 'votes', segment: '/votes' },
  { key: 'results', segment: '/results' },
  { key: 'ceremony', segment: '/ceremony' },
  { key: 'publication', segment: '/publication' },
  { key: 'ledger', segment: '/ledger' },
];

/** The page locals every contest page shares: the contest heading, its tabs and breadcrumbs. */
export function contestChrome(doc: ContestDocument, t: Translate, locale: Locale, current: string, trail: Crumb[]) {
  const href = contestHref(doc.slug);
  const name = localized(doc.name, locale);
  return {
    section: 'contests',
    contest: {
      slug: doc.slug,
      name,
      href,
      status: doc.status,
      statusLabel: t(`enum.contestStatus.${doc.status}`),
      tone: toneOf(doc.status),
    },
    tabs: TABS.map((tab) => ({
      label: t(`contest.tab.${tab.key}`),
      href: href + tab.segment,
      count: tab.part ? String((doc[tab.part as keyof ContestDocument] as unknown[]).length) : undefined,
      current: tab.key === current,
    })),
    operations: OPERATIONS.map((op) => ({ label: t(`contest.ops.${op.key}`), href: href + op.segment })),
    crumbs: [
      { label: t('contest.list.title'), href: '/admin/contests' },
      { label: name, href: trail.length ? href : undefined },
      ...trail,
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Part descriptors.

interface PartCtx {
  t: Translate;
  locale: Locale;
  loaded: LoadedContest;
  doc: ContestDocument;
  /** The round of a nested part (criteria). */
  round?: Round;
  /** The item being edited (undefined when adding). */
  editing?: unknown;
  /** URL of the part's items: `…/tracks`, `…/rounds/final/criteria`. */
  base: string;
  /** Where the part's list is shown (the round page for criteria). */
  listHref: string;
  canEdit: boolean;
}

interface Cell {
  text: string;
  href?: string;
  sub?: string;
  mono?: boolean;
  badges?: { text: string; tone: string }[];
}

interface Column<T> {
  label: string;
  num?: boolean;
  cell(item: T, ctx: PartCtx): Cell | string;
}

interface PartInput {
  input: Record<string, unknown>;
  errors: FieldError[];
}

interface PartDescriptor<T> {
  part: PartName;
  /** URL segment of the part (below the round for nested parts). */
  segment: string;
  /** Tab of the contest page the part belongs to. */
  tab: string;
  nested?: boolean;
  schema: z.ZodType;
  items(ctx: PartCtx): T[];
  keyOf(item: T): string;
  nameOf(item: T, ctx: PartCtx): string;
  sections: SectionDef<PartCtx>[];
  /** Error paths that belong to a textarea field (`levels` → `levelsText`). */
  aliases?: Record<string, string>;
  columns: Column<T>[];
  /** Values of the add form. */
  blank(ctx: PartCtx): Record<string, unknown>;
  /** A stored item as form values (default: the item itself, paths match field names). */
  toValues?(item: T): Record<string, unknown>;
  /** Form values → service input, with errors found while reading textareas. */
  toInput?(form: Record<string, unknown>, body: Body, previous: T | undefined): PartInput;
  /** Checks the service would report badly (not as a field of this item). */
  precheck?(input: Record<string, unknown>, ctx: PartCtx, key: string | undefined): FieldError[];
  /** Maps a dotted error path back to the field the user filled in. */
  remapError?(path: string, body: Body): string;
  /** Where an item's name links in the list (default: its edit form, for editors). */
  hrefOf?(item: T, ctx: PartCtx): string;
  /** Where to go after saving (default: the list). */
  afterSave?(key: string, ctx: PartCtx): string;
  /** A definition list shown above the table (the round's scoring rules on the round page). */
  summary?(ctx: PartCtx): { label: string; value: string }[];
}

const describe = <T>(d: PartDescriptor<T>) => d as unknown as PartDescriptor<unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v.at(-1) ?? '') : '');
const enc = encodeURIComponent;

const keyField: FieldDef<PartCtx> = {
  name: 'key',
  label: 'part.field.key',
  required: true,
  hint: 'part.field.key.hint',
};
const nameFields: FieldDef<PartCtx>[] = [
  { name: 'name.zh', label: 'part.field.name.zh', required: true },
  { name: 'name.en', label: 'part.field.name.en' },
];
const choose = (ctx: PartCtx): Option[] => [{ value: '', label: ctx.t('console.choose') }];

const nameCell = (name: { zh: string; en: string }, ctx: PartCtx): Cell => ({
  text: localized(name, ctx.locale),
  sub: ctx.locale === 'en' ? (name.en ? name.zh : undefined) : name.en || undefined,
});

/** Parses `text` one entry per line (blank lines skipped); `line` returns null for a bad line. */
function parseLines<T>(text: string, line: (cells: string[]) => T | null, path: string, code: string) {
  const items: T[] = [];
  const errors: FieldError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim() || errors.length) return;
    const item = line(raw.split(/[|｜]/).map((c) => c.trim()));
    if (item) items.push(item);
    else errors.push({ path, code, params: { line: i + 1 } });
  });
  return { items, errors };
}

const LEVEL_RANGE = /^(\d+(?:\.\d+)?)\s*[-–~～]\s*(\d+(?:\.\d+)?)$/;

/** `16-20 | 国际领先 | World-leading` → `{ min: 16, max: 20, label: { zh, en } }`. */
export function parseLevels(text: string) {
  return parseLines(
    text,
    ([range = '', zh = '', en = '', ...rest]) => {
      const m = LEVEL_RANGE.exec(range);
      if (!m || !zh || rest.length) return null;
      return { min: Number(m[1]), max: Number(m[2]), label: { zh, en } };
    },
    'levelsText',
    'invalid-levels',
  );
}

const formatLevels = (levels: Criterion['levels']) =>
  levels.map((l) => [`${l.min}-${l.max}`, l.label.zh, l.label.en].filter(Boolean).join(' | ')).join('\n');

function parseMembers(text: string) {
  return parseLines(
    text,
    ([name = '', role = '', ...rest]) => (name && !rest.length ? { name, role } : null),
    'membersText',
    'invalid-members',
  );
}

const TIE_BREAK_ROWS = 4;

/** The filled tie-break rows of the round form, remembering which row each came from. */
function tieBreakRows(body: Body) {
  const rows: { row: number; kind: string; criterionKey: string }[] = [];
  for (let row = 0; row < TIE_BREAK_ROWS; row++) {
    const kind = str(body[`scoring.tieBreaks.${row}.kind`]);
    if (kind) rows.push({ row, kind, criterionKey: str(body[`scoring.tieBreaks.${row}.criterionKey`]) });
  }
  return rows;
}

const pointsRange = (c: Criterion) => `${c.min}–${c.max}`;

/** Σ weight × max of a rubric, exact (hundredths × thousandths). */
function maxTotal(criteria: Criterion[]): string {
  const units = criteria.reduce((sum, c) => sum + (toUnits(c.max, CENTI) ?? 0) * (toUnits(c.weight, MILLI) ?? 0), 0);
  return String(fromUnits(units, CENTI * MILLI));
}

function methodText(r: Round, t: Translate): string {
  const method = t(`enum.scoringMethod.${r.scoring.method}`);
  return r.scoring.method === 'trimmed-mean' ? `${method}（k=${r.scoring.trim}）` : method;
}

function tieBreakChain(r: Round, t: Translate, locale: Locale): string {
  if (!r.scoring.tieBreaks.length) return t('common.none');
  return r.scoring.tieBreaks
    .map((tb) => {
      const kind = t(`enum.tieBreak.${tb.kind}`);
      const criterion = r.criteria.find((c) => c.key === tb.criterionKey);
      return criterion
        ? t('round.summary.tieBreakCriterion', { kind, criterion: localized(criterion.name, locale) })
        : kind;
    })
    .join(' → ');
}

const minutes = (seconds: number) => String(Math.round((seconds / 60) * 10) / 10);
const timing = (r: Round, t: Translate) =>
  r.pitchSeconds || r.qaSeconds
    ? t('part.rounds.minutes', { pitch: minutes(r.pitchSeconds), qa: minutes(r.qaSeconds) })
    : '—';

const tracks = describe<Track>({
  part: 'tracks',
  segment: 'tracks',
  tab: 'tracks',
  schema: Track,
  items: (c) => c.doc.tracks,
  keyOf: (t) => t.key,
  nameOf: (t, c) => localized(t.name, c.locale),
  sections: [
    { columns: 3, fields: [keyField, ...nameFields] },
    { fields: [{ name: 'description', label: 'part.field.description', control: 'textarea', rows: 3 }] },
  ],
  columns: [
    { label: 'part.field.name', cell: (t, c) => nameCell(t.name, c) },
    { label: 'part.field.key', cell: (t) => ({ text: t.key, mono: true }) },
    { label: 'part.field.description', cell: (t) => t.description },
    {
      label: 'part.tracks.projects',
      num: true,
      cell: (t, c) => String(c.doc.projects.filter((p) => p.trackKey === t.key).length),
    },
  ],
  blank: () => ({}),
});

const rounds = describe<Round>({
  part: 'rounds',
  segment: 'rounds',
  tab: 'rounds',
  schema: Round,
  items: (c) => c.doc.rounds,
  keyOf: (r) => r.key,
  nameOf: (r, c) => localized(r.name, c.locale),
  sections: [
    {
      legend: 'round.section.basics',
      columns: 3,
      fields: [
        keyField,
        ...nameFields,
        { name: 'kind', label: 'round.field.kind', control: 'select', options: enumOptions('roundKind', ROUND_KINDS) },
        { name: 'pitchSeconds', label: 'round.field.pitchSeconds', kind: 'int', hint: 'round.field.seconds.hint' },
        { name: 'qaSeconds', label: 'round.field.qaSeconds', kind: 'int' },
      ],
    },
    {
      legend: 'round.section.scoring',
      columns: 3,
      fields: [
        {
          name: 'scoring.method',
          label: 'round.field.method',
          control: 'select',
          options: enumOptions('scoringMethod', SCORING_METHODS),
        },
        { name: 'scoring.trim', label: 'round.field.trim', kind: 'int' },
        {
          name: 'scoring.minJudgesForTrim',
          label: 'round.field.minJudgesForTrim',
          kind: 'int',
          hint: 'round.field.minJudgesForTrim.hint',
        },
        { name: 'scoring.decimals', label: 'round.field.decimals', kind: 'int' },
        {
          name: 'scoring.missingScore',
          label: 'round.field.missingScore',
          control: 'select',
          options: enumOptions('missingScore', MISSING_SCORE_POLICIES),
        },
        {
          name: 'scoring.normalization',
          label: 'round.field.normalization',
          control: 'select',
          options: enumOptions('normalization', NORMALIZATION_METHODS),
        },
      ],
    },
    {
      legend: 'round.section.tieBreaks',
      hint: 'round.section.tieBreaks.hint',
      columns: 2,
      fields: Array.from({ length: TIE_BREAK_ROWS }, (_, i) => [
        {
          name: `scoring.tieBreaks.${i}.kind`,
          label: 'round.field.tieBreak',
          labelParams: { n: i + 1 },
          control: 'select' as const,
          options: (c: PartCtx) => [
            { value: '', label: c.t('console.notUsed') },
            ...enumOptions('tieBreak', TIE_BREAKS)(c),
          ],
        },
        {
          name: `scoring.tieBreaks.${i}.criterionKey`,
          label: 'round.field.tieBreakCriterion',
          labelParams: { n: i + 1 },
          control: 'select' as const,
          options: (c: PartCtx) => [
            { value: '', label: c.t('console.notUsed') },
            ...((c.editing as Round | undefined)?.criteria ?? []).map((cr) => ({
              value: cr.key,
              label: localized(cr.name, c.locale),
            })),
          ],
        },
      ]).flat(),
    },
    {
      legend: 'round.section.groupWeights',
      hint: 'round.section.groupWeights.hint',
      errorFor: 'scoring.groupWeights',
      columns: 5,
      fields: JUDGE_GROUPS.map((g) => ({
        name: `scoring.groupWeights.${g}`,
        label: `enum.judgeGroup.${g}`,
        kind: 'number?' as const,
      })),
    },
    {
      legend: 'round.section.combine',
      columns: 3,
      fields: [
        {
          name: 'combine.mode',
          label: 'round.field.combine.mode',
          control: 'select',
          options: enumOptions('combine', COMBINE_MODES),
        },
        { name: 'combine.priorWeightPercent', label: 'round.field.combine.priorWeightPercent', kind: 'int' },
        {
          name: 'advancement.mode',
          label: 'round.field.advancement.mode',
          control: 'select',
          options: enumOptions('advancement', ADVANCEMENT_MODES),
        },
        { name: 'advancement.count', label: 'round.field.advancement.count', kind: 'int' },
        {
          name: 'advancement.tieAtCutoff',
          label: 'round.field.advancement.tieAtCutoff',
          control: 'select',
          options: enumOptions('tieAtCutoff', TIE_AT_CUTOFF_POLICIES),
        },
      ],
    },
  ],
  columns: [
    { label: 'part.field.name', cell: (r, c) => nameCell(r.name, c) },
    { label: 'round.field.kind', cell: (r, c) => c.t(`enum.roundKind.${r.kind}`) },
    {
      label: 'part.rounds.timing',
      cell: (r, c) => timing(r, c.t),
    },
    { label: 'part.rounds.method', cell: (r, c) => methodText(r, c.t) },
    { label: 'part.rounds.criteria', num: true, cell: (r) => String(r.criteria.length) },
    { label: 'part.rounds.maxTotal', num: true, cell: (r) => (r.criteria.length ? maxTotal(r.criteria) : '—') },
  ],
  blank: () => {
    const { key: _key, name: _name, ...defaults } = Round.parse({ key: 'x', name: { zh: 'x' }, kind: 'roadshow' });
    return defaults;
  },
  toInput: (form, body, previous) => {
    const scoring = { ...((form.scoring as Record<string, unknown> | undefined) ?? {}) };
    scoring.tieBreaks = tieBreakRows(body).map(({ kind, criterionKey }) =>
      kind === 'criterion' ? { kind, criterionKey: criterionKey || undefined } : { kind },
    );
    const weights = Object.entries((scoring.groupWeights as Record<string, unknown> | undefined) ?? {}).filter(
      ([, v]) => v !== null,
    );
    scoring.groupWeights = weights.length ? Object.fromEntries(weights) : null;
    // The round schema checks tie-break criteria against the round's own criteria, which this
    // form does not edit: pass the stored ones along (the service keeps them as they are).
    return { input: { ...form, scoring, criteria: previous?.criteria ?? [] }, errors: [] };
  },
  remapError: (path, body) =>
    path.replace(/^scoring\.tieBreaks\.(\d+)/, (whole, i: string) => {
      const row = tieBreakRows(body)[Number(i)]?.row;
      return row === undefined ? whole : `scoring.tieBreaks.${row}`;
    }),
  hrefOf: (r, c) => `${c.base}/${enc(r.key)}`,
  afterSave: (key, c) => `${c.base}/${enc(key)}`,
});

const criteria = describe<Criterion>({
  part: 'criteria',
  segment: 'criteria',
  tab: 'rounds',
  nested: true,
  schema: Criterion,
  items: (c) => c.round?.criteria ?? [],
  keyOf: (cr) => cr.key,
  nameOf: (cr, c) => localized(cr.name, c.locale),
  sections: [
    { columns: 3, fields: [keyField, ...nameFields] },
    {
      legend: 'criterion.section.points',
      columns: 4,
      fields: [
        { name: 'min', label: 'criterion.field.min', kind: 'number' },
        { name: 'max', label: 'criterion.field.max', kind: 'number', required: true },
        { name: 'step', label: 'criterion.field.step', kind: 'number', hint: 'criterion.field.step.hint' },
        { name: 'weight', label: 'criterion.field.weight', kind: 'number', hint: 'criterion.field.weight.hint' },
      ],
    },
    {
      columns: 2,
      fields: [
        { name: 'description', label: 'part.field.description', control: 'textarea', rows: 5 },
        {
          name: 'levelsText',
          label: 'criterion.field.levelsText',
          control: 'textarea',
          rows: 5,
          hint: 'criterion.field.levelsText.hint',
          placeholder: 'criterion.field.levelsText.placeholder',
        },
      ],
    },
  ],
  aliases: { levels: 'levelsText' },
  columns: [
    { label: 'part.field.name', cell: (cr, c) => ({ ...nameCell(cr.name, c), sub: cr.description || undefined }) },
    { label: 'part.field.key', cell: (cr) => ({ text: cr.key, mono: true }) },
    { label: 'part.criteria.range', num: true, cell: pointsRange },
    { label: 'criterion.field.step', num: true, cell: (cr) => String(cr.step) },
    { label: 'criterion.field.weight', num: true, cell: (cr) => String(cr.weight) },
    { label: 'part.criteria.levels', num: true, cell: (cr) => String(cr.levels.length) },
  ],
  blank: () => ({ min: 0, step: 1, weight: 1 }),
  toValues: (cr) => ({ ...cr, levelsText: formatLevels(cr.levels) }),
  toInput: ({ levelsText, ...form }) => {
    const { items, errors } = parseLevels(str(levelsText));
    return { input: { ...form, levels: items }, errors };
  },
  summary: (c) => {
    const r = c.round;
    if (!r) return [];
    const { t } = c;
    const s = r.scoring;
    const weights = s.groupWeights
      ? Object.entries(s.groupWeights)
          .map(([g, w]) => `${t(`enum.judgeGroup.${g}`)} ${w}%`)
          .join(' · ')
      : t('round.summary.groupWeights.none');
    const trimmed = s.method === 'trimmed-mean' ? ` · ${t('round.summary.minJudges', { n: s.minJudgesForTrim })}` : '';
    return [
      { label: t('round.field.kind'), value: t(`enum.roundKind.${r.kind}`) },
      {
        label: t('round.summary.timing'),
        value: timing(r, t),
      },
      { label: t('round.field.method'), value: `${methodText(r, t)}${trimmed}` },
      { label: t('round.field.decimals'), value: t('round.summary.decimals', { n: s.decimals }) },
      { label: t('round.summary.tieBreaks'), value: tieBreakChain(r, t, c.locale) },
      { label: t('round.field.missingScore'), value: t(`enum.missingScore.${s.missingScore}`) },
      { label: t('round.field.normalization'), value: t(`enum.normalization.${s.normalization}`) },
      { label: t('round.summary.groupWeights'), value: weights },
      {
        label: t('round.summary.combine'),
        value:
          r.combine.mode === 'weighted'
            ? t('round.summary.combineWeighted', {
                prior: r.combine.priorWeightPercent,
                current: 100 - r.combine.priorWeightPercent,
              })
            : t('enum.combine.reset'),
      },
      {
        label: t('round.summary.advancement'),
        value:
          r.advancement.mode === 'none'
            ? t('enum.advancement.none')
            : `${t('round.summary.advancementTop', { mode: t(`enum.advancement.${r.advancement.mode}`), count: r.advancement.count })} · ${t(`enum.tieAtCutoff.${r.advancement.tieAtCutoff}`)}`,
      },
      { label: t('part.rounds.maxTotal'), value: r.criteria.length ? maxTotal(r.criteria) : '—' },
    ].map((row) => ({ ...row, value: row.value || '—' }));
  },
});

function quotaText(p: PrizeTier, t: Translate): string {
  if (p.quotaKind === 'rest') return t('prize.quota.rest');
  return t(`prize.quota.${p.quotaKind}`, { n: p.quota });
}

const prizeTiers = describe<PrizeTier>({
  part: 'prizeTiers',
  segment: 'prize-tiers',
  tab: 'prizeTiers',
  schema: PrizeTier,
  items: (c) => [...c.doc.prizeTiers].sort((a, b) => a.precedence - b.precedence),
  keyOf: (p) => p.key,
  nameOf: (p, c) => localized(p.name, c.locale),
  sections: [
    { columns: 3, fields: [keyField, ...nameFields] },
    {
      columns: 3,
      fields: [
        {
          name: 'scope',
          label: 'prize.field.scope',
          control: 'select',
          options: enumOptions('prizeScope', PRIZE_SCOPES),
        },
        {
          name: 'quotaKind',
          label: 'prize.field.quotaKind',
          control: 'select',
          options: enumOptions('quotaKind', QUOTA_KINDS),
        },
        { name: 'quota', label: 'prize.field.quota', kind: 'int' },
        { name: 'precedence', label: 'prize.field.precedence', kind: 'int', required: true },
        { name: 'minScore', label: 'prize.field.minScore', kind: 'number?' },
        { name: 'audience', label: 'prize.field.audience', control: 'checkbox' },
      ],
    },
  ],
  columns: [
    { label: 'prize.field.precedence', num: true, cell: (p) => String(p.precedence) },
    {
      label: 'part.field.name',
      cell: (p, c) => ({
        ...nameCell(p.name, c),
        badges: p.audience ? [{ text: c.t('prize.field.audience'), tone: 'info' }] : undefined,
      }),
    },
    { label: 'prize.field.scope', cell: (p, c) => c.t(`enum.prizeScope.${p.scope}`) },
    { label: 'prize.field.quota', num: true, cell: (p, c) => quotaText(p, c.t) },
    { label: 'prize.field.minScore', num: true, cell: (p) => (p.minScore === null ? '—' : String(p.minScore)) },
  ],
  blank: (c) => ({ scope: 'track', quotaKind: 'count', quota: 1, precedence: c.doc.prizeTiers.length + 1 }),
});

const judges = describe<Judge>({
  part: 'judges',
  segment: 'judges',
  tab: 'judges',
  schema: Judge,
  items: (c) => c.doc.judges,
  keyOf: (j) => j.key,
  nameOf: (j) => j.name,
  sections: [
    {
      columns: 3,
      fields: [
        keyField,
        { name: 'name', label: 'judge.field.name', required: true },
        {
          name: 'group',
          label: 'judge.field.group',
          control: 'select',
          options: enumOptions('judgeGroup', JUDGE_GROUPS),
        },
        { name: 'title', label: 'judge.field.title' },
        { name: 'institution', label: 'judge.field.institution' },
        { name: 'isHeadJudge', label: 'judge.field.isHeadJudge', control: 'checkbox' },
        { name: 'phone', label: 'judge.field.phone', type: 'tel' },
        { name: 'email', label: 'judge.field.email', type: 'email' },
      ],
    },
  ],
  columns: [
    {
      label: 'judge.field.name',
      cell: (j, c) => ({
        text: j.name,
        sub: j.title || undefined,
        badges: j.isHeadJudge ? [{ text: c.t('judge.field.isHeadJudge'), tone: 'info' }] : undefined,
      }),
    },
    { label: 'part.field.key', cell: (j) => ({ text: j.key, mono: true }) },
    { label: 'judge.field.institution', cell: (j) => j.institution },
    { label: 'judge.field.group', cell: (j, c) => c.t(`enum.judgeGroup.${j.group}`) },
    { label: 'judge.contact', cell: (j) => ({ text: j.phone, sub: j.email || undefined }) },
  ],
  blank: () => ({ group: 'other' }),
  precheck: (input, c, key) =>
    input.isHeadJudge === true && c.doc.judges.some((j) => j.isHeadJudge && j.key !== key)
      ? [{ path: 'isHeadJudge', code: 'one-head-judge' }]
      : [],
});

const projects = describe<Project>({
  part: 'projects',
  segment: 'projects',
  tab: 'projects',
  schema: Project,
  items: (c) => c.doc.projects,
  keyOf: (p) => p.ref,
  nameOf: (p) => p.title,
  sections: [
    {
      columns: 3,
      fields: [
        { name: 'ref', label: 'project.field.ref', required: true, hint: 'project.field.ref.hint' },
        { name: 'title', label: 'project.field.title', required: true },
        {
          name: 'trackKey',
          label: 'project.field.trackKey',
          control: 'select',
          required: true,
          options: (c) => [
            ...choose(c),
            ...c.doc.tracks.map((t) => ({ value: t.key, label: localized(t.name, c.locale) })),
          ],
        },
        { name: 'institution', label: 'project.field.institution', required: true },
        {
          name: 'stage',
          label: 'project.field.stage',
          control: 'select',
          options: enumOptions('stage', DEVELOPMENT_STAGES),
        },
        {
          name: 'status',
          label: 'project.field.status',
          control: 'select',
          options: enumOptions('projectStatus', PROJECT_STATUSES),
        },
      ],
    },
    {
      legend: 'project.section.leader',
      columns: 3,
      fields: [
        { name: 'leader.name', label: 'project.field.leader.name', required: true },
        { name: 'leader.phone', label: 'project.field.leader.phone', type: 'tel' },
        { name: 'leader.email', label: 'project.field.leader.email', type: 'email' },
      ],
    },
    {
      legend: 'project.section.team',
      columns: 2,
      fields: [
        {
          name: 'membersText',
          label: 'project.field.membersText',
          control: 'textarea',
          rows: 4,
          hint: 'project.field.membersText.hint',
        },
        { name: 'summary', label: 'project.field.summary', control: 'textarea', rows: 4 },
        { name: 'outOfCompetition', label: 'project.field.outOfCompetition', control: 'checkbox' },
      ],
    },
  ],
  aliases: { members: 'membersText' },
  columns: [
    { label: 'project.field.ref', cell: (p) => ({ text: p.ref, mono: true }) },
    { label: 'project.field.title', cell: (p) => ({ text: p.title, sub: p.institution }) },
    {
      label: 'project.field.trackKey',
      cell: (p, c) => {
        const track = c.doc.tracks.find((t) => t.key === p.trackKey);
        return track ? localized(track.name, c.locale) : p.trackKey;
      },
    },
    { label: 'project.leader', cell: (p) => ({ text: p.leader.name, sub: p.leader.phone || undefined }) },
    { label: 'project.field.stage', cell: (p, c) => c.t(`enum.stage.${p.stage}`) },
    {
      label: 'project.field.status',
      cell: (p, c) => ({
        text: '',
        badges: [
          { text: c.t(`enum.projectStatus.${p.status}`), tone: toneOf(p.status) },
          ...(p.outOfCompetition ? [{ text: c.t('project.outOfCompetition'), tone: 'warn' }] : []),
        ],
      }),
    },
  ],
  blank: (c) => ({ trackKey: c.doc.tracks[0]?.key ?? '', stage: 'concept', status: 'submitted' }),
  toValues: (p) => ({
    ...p,
    membersText: p.members.map((m) => [m.name, m.role].filter(Boolean).join(' | ')).join('\n'),
  }),
  toInput: ({ membersText, ...form }) => {
    const { items, errors } = parseMembers(str(membersText));
    return { input: { ...form, members: items }, errors };
  },
});

const judgeName = (c: PartCtx, key: string) => c.doc.judges.find((j) => j.key === key)?.name ?? key;
const projectTitle = (c: PartCtx, ref: string) => c.doc.projects.find((p) => p.ref === ref)?.title ?? ref;

const conflicts = describe<Conflict>({
  part: 'conflicts',
  segment: 'conflicts',
  tab: 'conflicts',
  schema: Conflict,
  items: (c) => c.doc.conflicts,
  keyOf: (x) => `${x.judgeKey}/${x.projectRef}`,
  nameOf: (x, c) => `${judgeName(c, x.judgeKey)} · ${projectTitle(c, x.projectRef)}`,
  sections: [
    {
      columns: 2,
      fields: [
        {
          name: 'judgeKey',
          label: 'conflict.field.judgeKey',
          control: 'select',
          required: true,
          options: (c) => [
            ...choose(c),
            ...c.doc.judges.map((j) => ({
              value: j.key,
              label: j.institution ? `${j.name}（${j.institution}）` : j.name,
            })),
          ],
        },
        {
          name: 'projectRef',
          label: 'conflict.field.projectRef',
          control: 'select',
          required: true,
          options: (c) => [
            ...choose(c),
            ...c.doc.projects.map((p) => ({ value: p.ref, label: `${p.ref} · ${p.title}` })),
          ],
        },
      ],
    },
    { fields: [{ name: 'reason', label: 'conflict.field.reason', control: 'textarea', rows: 3 }] },
  ],
  columns: [
    {
      label: 'conflict.field.judgeKey',
      cell: (x, c) => ({
        text: judgeName(c, x.judgeKey),
        sub: c.doc.judges.find((j) => j.key === x.judgeKey)?.institution,
      }),
    },
    {
      label: 'conflict.field.projectRef',
      cell: (x, c) => ({
        text: projectTitle(c, x.projectRef),
        sub: `${x.projectRef} · ${c.doc.projects.find((p) => p.ref === x.projectRef)?.institution ?? ''}`,
      }),
    },
    { label: 'conflict.field.reason', cell: (x) => x.reason },
    { label: 'conflict.source', cell: (x, c) => c.t(`enum.conflictSource.${x.source}`) },
  ],
  blank: () => ({}),
  toInput: (form, _body, previous) => ({ input: { ...form, source: previous?.source ?? 'manual' }, errors: [] }),
  precheck: (input, c, key) =>
    c.doc.conflicts.some(
      (x) =>
        x.judgeKey === input.judgeKey && x.projectRef === input.projectRef && `${x.judgeKey}/${x.projectRef}` !== key,
    )
      ? [{ path: 'projectRef', code: 'duplicate-key' }]
      : [],
});

const DESCRIPTORS = [tracks, rounds, criteria, prizeTiers, judges, projects, conflicts];

// ---------------------------------------------------------------------------------------------
// Handlers shared by every part.

export function contestPartsRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  router.use(requirePermission('read'), requirePasswordChanged);
  const edit = requirePermission('edit');

  async function contextFor(req: Request, res: Response, d: PartDescriptor<unknown>): Promise<PartCtx> {
    const loaded = await services.contests.load(String(req.params.slug));
    const { doc } = loaded;
    const href = contestHref(doc.slug);
    let round: Round | undefined;
    let base = `${href}/${d.segment}`;
    let listHref = base;
    if (d.nested) {
      round = doc.rounds.find((r) => r.key === req.params.roundKey);
      if (!round) throw new AppError('not-found');
      listHref = `${href}/rounds/${enc(round.key)}`;
      base = `${listHref}/${d.segment}`;
    }
    const { t, locale } = res.locals;
    return { t, locale, loaded, doc, round, base, listHref, canEdit: hasPermission(req.user, 'edit') };
  }

  function itemOf(d: PartDescriptor<unknown>, ctx: PartCtx, key: string): unknown {
    const item = d.items(ctx).find((i) => d.keyOf(i) === key);
    if (item === undefined) throw new AppError('not-found');
    return item;
  }

  function trail(d: PartDescriptor<unknown>, ctx: PartCtx, last?: string): Crumb[] {
    const { t } = ctx;
    const tab = {
      label: t(`contest.tab.${d.tab}`),
      href: `${contestHref(ctx.doc.slug)}/${d.nested ? 'rounds' : d.segment}`,
    };
    const crumbs: Crumb[] = [tab];
    if (ctx.round) crumbs.push({ label: localized(ctx.round.name, ctx.locale), href: ctx.listHref });
    if (last) crumbs.push({ label: last });
    const end = crumbs[crumbs.length - 1];
    if (end && !last) delete end.href;
    return crumbs;
  }

  function renderList(res: Response, d: PartDescriptor<unknown>, ctx: PartCtx, alert?: string, status?: number) {
    const { t } = ctx;
    const rows = d.items(ctx).map((item) => {
      const href = `${ctx.base}/${enc(d.keyOf(item))}`;
      const cells = d.columns.map((col) => {
        const value = col.cell(item, ctx);
        return { ...(typeof value === 'string' ? { text: value } : value), num: col.num };
      });
      const link = d.hrefOf?.(item, ctx) ?? (ctx.canEdit ? `${href}/edit` : undefined);
      const first = cells.find((c) => !c.mono && !c.num) ?? cells[0];
      if (first && link) first.href = link;
      return { cells, editHref: `${href}/edit`, deleteAction: `${href}/delete`, name: d.nameOf(item, ctx) };
    });
    const title = ctx.round ? localized(ctx.round.name, ctx.locale) : t(`part.${d.part}.title`);
    renderPage(
      views,
      res,
      'admin/contests/part-list',
      {
        title,
        ...contestChrome(ctx.doc, t, ctx.locale, d.tab, trail(d, ctx)),
        heading: title,
        partTitle: t(`part.${d.part}.title`),
        intro: t(`part.${d.part}.intro`),
        empty: t(`part.${d.part}.empty`),
        newLabel: t(`part.${d.part}.new`),
        newHref: `${ctx.base}/new`,
        columns: d.columns.map((c) => ({ label: t(c.label), num: c.num })),
        rows,
        count: rows.length,
        summary: d.summary?.(ctx),
        summaryEditHref: ctx.round ? `${ctx.listHref}/edit` : undefined,
        canEdit: ctx.canEdit,
        alert,
        backPath: ctx.listHref,
      },
      { status },
    );
  }

  function renderForm(
    res: Response,
    d: PartDescriptor<unknown>,
    ctx: PartCtx,
    key: string | undefined,
    values: Record<string, unknown>,
    form: { fieldErrors?: FieldError[]; status?: number; alert?: string } = {},
  ) {
    const { t } = ctx;
    const title = t(`part.${d.part}.${key === undefined ? 'new' : 'edit'}`);
    const name = key === undefined ? undefined : d.nameOf(ctx.editing, ctx);
    const action = key === undefined ? ctx.base : `${ctx.base}/${enc(key)}/edit`;
    renderPage(
      views,
      res,
      'admin/contests/part-form',
      {
        title: name ? `${title} · ${name}` : title,
        ...contestChrome(ctx.doc, t, ctx.locale, d.tab, trail(d, ctx, name ?? title)),
        heading: title,
        subject: name,
        action,
        sections: renderSections(d.sections, ctx),
        inlineErrors: true,
        fieldLabels: fieldLabels(d.sections, t),
        submitLabel: t(key === undefined ? 'action.add' : 'action.save'),
        cancelHref: ctx.listHref,
        deleteAction: key === undefined ? undefined : `${ctx.base}/${enc(key)}/delete`,
        alert: form.alert,
        backPath: key === undefined ? `${ctx.base}/new` : action,
      },
      { values, fieldErrors: form.fieldErrors, status: form.status },
    );
  }

  async function save(req: Request, res: Response, d: PartDescriptor<unknown>, key: string | undefined) {
    const ctx = await contextFor(req, res, d);
    const previous = key === undefined ? undefined : itemOf(d, ctx, key);
    ctx.editing = previous;
    const body = (req.body ?? {}) as Body;
    const form = parseForm(body, formSpec(d.sections));
    const { input, errors } = d.toInput?.(form, body, previous) ?? { input: form, errors: [] };
    errors.push(...(d.precheck?.(input, ctx, key) ?? []));
    try {
      if (errors.length) {
        const parsed = d.schema.safeParse(input, { reportInput: true });
        const more = parsed.success ? [] : fieldErrorsFromZod(parsed.error);
        throw new AppError('validation-failed', {}, [...errors, ...more]);
      }
      const op = key === undefined ? { kind: 'add' as const, input } : { kind: 'update' as const, key, input };
      const saved = await services.contests.editPart(ctx.doc.slug, d.part, op, ctx.round?.key);
      req.session.flash = 'common.saved';
      res.redirect(303, saved && d.afterSave ? d.afterSave(saved, ctx) : ctx.listHref);
    } catch (err) {
      if (!(err instanceof AppError) || !(err.fields.length || err.code === 'in-use')) throw err;
      const fieldErrors = mapFieldErrors(err.fields, d.sections, d.aliases, (p) => d.remapError?.(p, body) ?? p);
      const alert =
        err.code === 'in-use' ? ctx.t('error.in-use', { name: previous ? d.nameOf(previous, ctx) : '' }) : undefined;
      renderForm(res, d, ctx, key, typedValues(body, d.sections), { fieldErrors, status: err.status, alert });
    }
  }

  for (const d of DESCRIPTORS) {
    const base = d.nested ? `/:slug/rounds/:roundKey/${d.segment}` : `/:slug/${d.segment}`;
    router.get(base, async (req, res) => {
      const ctx = await contextFor(req, res, d);
      if (d.nested) return res.redirect(303, ctx.listHref);
      renderList(res, d, ctx);
    });
    router.get(`${base}/new`, async (req, res) => {
      const ctx = await contextFor(req, res, d);
      renderForm(res, d, ctx, undefined, d.blank(ctx));
    });
    router.post(base, edit, (req, res) => save(req, res, d, undefined));
    router.get(`${base}/:key/edit`, async (req, res) => {
      const ctx = await contextFor(req, res, d);
      const key = String(req.params.key);
      ctx.editing = itemOf(d, ctx, key);
      const values = d.toValues?.(ctx.editing) ?? (ctx.editing as Record<string, unknown>);
      renderForm(res, d, ctx, key, values);
    });
    router.post(`${base}/:key/edit`, edit, (req, res) => save(req, res, d, String(req.params.key)));
    router.post(`${base}/:key/delete`, edit, async (req, res) => {
      const ctx = await contextFor(req, res, d);
      const key = String(req.params.key);
      const item = itemOf(d, ctx, key);
      try {
        await services.contests.editPart(ctx.doc.slug, d.part, { kind: 'delete', key }, ctx.round?.key);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'in-use') throw err;
        return renderList(res, d, ctx, ctx.t('error.in-use', { name: d.nameOf(item, ctx) }), err.status);
      }
      req.session.flash = 'common.deleted';
      res.redirect(303, ctx.listHref);
    });
  }

  // The round page: its scoring rules and its rubric (the criteria list).
  router.get('/:slug/rounds/:roundKey', async (req, res) => {
    renderList(res, criteria, await contextFor(req, res, criteria));
  });

  return router;
}
