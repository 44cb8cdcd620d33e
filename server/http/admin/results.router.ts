/**
 * The organizer's results pages, mounted under /admin/contests:
 *   /:slug/results                          → the latest scored round (redirect)
 *   /:slug/results/:round                   overall and per-track rankings ('read')
 *   /:slug/results/:round/projects/:ref     one project's explanation: judges, dropped marks, formula
 *   /:slug/results/:round/compare           raw mean / trimmed / normalized side by side
 *   /:slug/results/:round/advancement       who advances; apply to the next round's running order ('edit')
 *   /:slug/results/:round/decisions         ties needing a head-judge decision; record one ('edit')
 *   /:slug/results/:round/awards            awards dry run, lock ('edit'), locked awards, overrides ('edit')
 * Pages only shape what services/results.service.ts and awards.service.ts return; every write
 * goes through them.
 */
import { Router, type Request, type Response } from 'express';
import type { ContestDocument } from '../../domain/contest-document.js';
import { AppError } from '../../errors.js';
import type { FieldError } from '../../field-errors.js';
import { localized, type Locale, type Translate } from '../../i18n/catalog.js';
import type { ComputedRound } from '../../services/results.service.js';
import type { AwardsDryRun, LocalizedText, ResultsProject, RoundResults } from '../../services/results.types.js';
import { hasPermission } from '../../services/user.service.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { contestChrome, contestHref } from './contest-parts.router.js';

const RESULTS_CSS = '/static/css/results.css';
const RESULTS_JS = '/static/build/results.js';

type Page = 'rankings' | 'compare' | 'advancement' | 'decisions' | 'awards';
const NAV: { key: Page; segment: string }[] = [
  { key: 'rankings', segment: '' },
  { key: 'compare', segment: '/compare' },
  { key: 'advancement', segment: '/advancement' },
  { key: 'decisions', segment: '/decisions' },
  { key: 'awards', segment: '/awards' },
];

function formatTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

const resultsHref = (slug: string, roundKey?: string) =>
  `${contestHref(slug)}/results${roundKey ? `/${encodeURIComponent(roundKey)}` : ''}`;

/** The per-project facts every table row shows. */
function projectRow(p: ResultsProject, base: string, t: Translate, locale: Locale) {
  return {
    ref: p.ref,
    title: p.title,
    institution: p.institution,
    track: localized(p.track.name, locale),
    display: p.display ?? '—',
    scored: p.display !== null,
    exact: p.exact ?? '',
    judges: t('results.judgesScored', { scored: p.judgesScored, eligible: p.judgesEligible }),
    incomplete: p.judgesScored < p.judgesEligible,
    outOfCompetition: p.outOfCompetition,
    href: `${base}/projects/${encodeURIComponent(p.ref)}`,
  };
}

function tieNote(
  row: {
    tiedWith: readonly string[];
    separatedBy: string | null;
    needsDecision: boolean;
    decisionReason: string | null;
  },
  t: Translate,
) {
  if (row.needsDecision)
    return { text: t('results.tie.needsDecision', { refs: row.tiedWith.join(', ') }), tone: 'warn' };
  if (row.tiedWith.length) return { text: t('results.tie.shared', { refs: row.tiedWith.join(', ') }), tone: 'info' };
  if (row.separatedBy && row.separatedBy !== 'score')
    return {
      text:
        row.separatedBy === 'head-judge'
          ? t('results.tie.byHeadJudge', { reason: row.decisionReason ?? '' })
          : t(`results.tie.by.${row.separatedBy}`),
      tone: 'info',
    };
  return null;
}

/** What a lock fixes: the allocations and every exact score; differs when the results have moved. */
function outcomeOf(dryRun: AwardsDryRun, results: RoundResults): string {
  return JSON.stringify([
    dryRun.allocations.map((a) => `${a.tierKey}/${a.projectRef}`),
    results.projects.map((p) => `${p.ref}=${p.exact}`),
  ]);
}

export function resultsRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const read = [requirePermission('read'), requirePasswordChanged];
  const edit = [...read, requirePermission('edit')];

  function chrome(res: Response, computed: ComputedRound, current: Page, title: string, extraCrumb?: string) {
    const { t, locale } = res.locals as { t: Translate; locale: Locale };
    const { doc } = computed.inputs.loaded;
    const roundKey = computed.inputs.round.key;
    const base = resultsHref(doc.slug, roundKey);
    const trail = extraCrumb
      ? [{ label: t('results.title'), href: base }, { label: extraCrumb }]
      : [{ label: t('results.title') }];
    const c = contestChrome(doc, t, locale, '', trail);
    const r = computed.results.round;
    return {
      ...c,
      title: `${extraCrumb ?? title} · ${c.contest.name}`,
      pageTitle: title,
      styles: [RESULTS_CSS],
      scripts: [RESULTS_JS],
      base,
      roundName: localized(r.name, locale),
      rounds: doc.rounds.map((round) => ({
        label: localized(round.name, locale),
        href: resultsHref(doc.slug, round.key) + (NAV.find((n) => n.key === current)?.segment ?? ''),
        current: round.key === roundKey,
      })),
      resultsNav: NAV.map((n) => ({
        label: t(`results.nav.${n.key}`),
        href: base + n.segment,
        current: n.key === current,
        count:
          n.key === 'decisions'
            ? computed.results.ties.filter((x) => x.needsDecision).length +
                computed.dryRun.decisionsNeeded.length +
                computed.advancement.decisionsNeeded.length || undefined
            : undefined,
      })),
      rule: ruleText(computed, t, locale),
      meta: t('results.meta', {
        revision: computed.results.revision,
        at: formatTime(computed.results.computedAt, locale),
        judges: computed.results.judgeCount,
        projects: computed.results.projects.length,
      }),
      ledgerHead: computed.results.ledgerHead
        ? `${computed.results.ledgerHead.hash.slice(0, 12)}… (#${computed.results.ledgerHead.seq})`
        : '',
      isAwardRound: r.isAwardRound,
      canEdit: hasPermission(res.req.user, 'edit'),
    };
  }

  function ruleText(computed: ComputedRound, t: Translate, locale: Locale): string {
    const r = computed.results.round;
    const criterionName = (key: string) => {
      const c = computed.results.criteria.find((x) => x.key === key);
      return c ? localized(c.name, locale) : key;
    };
    const parts = [
      r.method === 'trimmed-mean'
        ? t('results.rule.trimmed', { k: r.trim, min: r.minJudgesForTrim })
        : t('results.rule.mean'),
      t(`results.rule.missing.${r.missingScore}`),
    ];
    if (r.normalization === 'z-score') parts.push(t('results.rule.normalized'));
    if (r.combine.mode === 'weighted')
      parts.push(
        t('results.rule.weighted', {
          prior: r.combine.priorWeightPercent,
          current: 100 - r.combine.priorWeightPercent,
        }),
      );
    parts.push(t('results.rule.decimals', { decimals: r.decimals }));
    if (r.tieBreaks.length)
      parts.push(
        t('results.rule.tieBreaks', {
          chain: r.tieBreaks
            .map((x) =>
              x.startsWith('criterion:')
                ? t('results.tieBreak.criterion', { key: criterionName(x.slice('criterion:'.length)) })
                : t(`results.tieBreak.${x}`),
            )
            .join(' → '),
        }),
      );
    return parts.join('；');
  }

  async function computed(req: Request): Promise<ComputedRound> {
    return services.results.compute(String(req.params.slug), String(req.params.round));
  }

  /**
   * A refusal the organizer can act on (a 4xx other than 403) is shown on the page's form again,
   * recomputed, with its field errors and translated message; anything else propagates.
   */
  async function showOnForm(
    req: Request,
    res: Response,
    err: unknown,
    render: (c: ComputedRound, fields: FieldError[], alert: string) => Promise<void>,
  ): Promise<void> {
    if (!(err instanceof AppError) || err.status >= 500 || err.status === 403) throw err;
    await render(await computed(req), err.fields, res.locals.t(`error.${err.code}`, err.params));
  }

  const tierName = (doc: ContestDocument, key: string | null, locale: Locale) => {
    if (!key) return '';
    const tier = doc.prizeTiers.find((t) => t.key === key);
    return tier ? localized(tier.name, locale) : key;
  };
  const trackName = (doc: ContestDocument, key: string, locale: Locale, t: Translate) => {
    if (key === 'overall') return t('results.overall');
    const track = doc.tracks.find((x) => x.key === key);
    return track ? localized(track.name, locale) : key;
  };
  const name = (n: LocalizedText, locale: Locale) => localized(n, locale);

  // -------------------------------------------------------------------------------------------
  // Rankings

  router.get('/:slug/results', ...read, async (req, res) => {
    const slug = String(req.params.slug);
    const key = await services.results.defaultRoundKey(slug);
    if (!key) {
      const { t, locale } = res.locals;
      const loaded = await services.contests.load(slug);
      renderPage(views, res, 'admin/results/empty', {
        ...contestChrome(loaded.doc, t, locale, '', [{ label: t('results.title') }]),
        title: t('results.title'),
        pageTitle: t('results.title'),
        styles: [RESULTS_CSS],
      });
      return;
    }
    res.redirect(303, resultsHref(slug, key));
  });

  router.get('/:slug/results/:round', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const c = await computed(req);
    const base = resultsHref(c.inputs.loaded.doc.slug, c.inputs.round.key);
    const byRef = new Map(c.results.projects.map((p) => [p.ref, p]));
    const rows = (list: typeof c.results.rankings.overall, trackRank: boolean) =>
      list.map((row) => {
        const p = byRef.get(row.ref)!;
        return {
          ...projectRow(p, base, t, locale),
          rank: row.rank ?? '—',
          competitionRank: row.competitionRank ?? (p.outOfCompetition && row.rank ? '—' : ''),
          tie: tieNote(row, t),
          trackRank,
        };
      });
    const pendingTies = c.results.ties.filter((x) => x.needsDecision).length;
    renderPage(views, res, 'admin/results/rankings', {
      ...chrome(res, c, 'rankings', t('results.nav.rankings')),
      overall: rows(c.results.rankings.overall, false),
      tracks: c.results.rankings.tracks.map((tr) => ({
        key: tr.trackKey,
        name: name(tr.trackName, locale),
        rows: rows(tr.rows, true),
      })),
      pendingTies: pendingTies ? t('results.tie.pendingAlert', { count: pendingTies }) : '',
      decisionsHref: `${base}/decisions`,
      warnings: c.results.warnings.map((w) =>
        t(`results.warning.${w.code}`, { judge: w.judgeKey ?? '', ref: w.projectRef ?? '', detail: w.detail ?? '' }),
      ),
      empty: c.results.projects.length === 0,
    });
  });

  // -------------------------------------------------------------------------------------------
  // Explanation

  router.get('/:slug/results/:round/projects/:ref', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const c = await computed(req);
    const p = c.results.projects.find((x) => x.ref === String(req.params.ref));
    if (!p) throw new AppError('not-found');
    const decimals = c.results.round.decimals;
    const criteria = c.results.criteria.map((cr) => ({
      key: cr.key,
      name: name(cr.name, locale),
      max: cr.max,
      weight: cr.weight,
    }));
    const judges = p.judges.map((j) => ({
      name: j.name,
      group: t(`enum.judgeGroup.${j.group}`),
      isHeadJudge: j.isHeadJudge,
      status: t(`results.judgeStatus.${j.status}`),
      scored: j.status === 'scored',
      inactive: j.status === 'recused' || j.status === 'not-assigned',
      marks: criteria.map((cr) => j.marks[cr.key] ?? ''),
      total: j.total ?? '—',
      value: j.value && j.value !== j.total ? j.value : '',
      dropped: j.dropped ? t(`results.dropped.${j.dropped}`) : '',
      isDropped: j.dropped !== null,
      replaced: j.replaced,
      normalized: j.normalized,
    }));
    const dropped = p.judges.filter((j) => j.dropped);
    const notes = p.notes.map((n) => t(`results.note.${n}`));
    renderPage(views, res, 'admin/results/project', {
      ...chrome(res, c, 'rankings', t('results.explain.title'), `${p.ref} ${p.title}`),
      p: {
        ...projectRow(p, '', t, locale),
        leader: p.leaderName,
        rank: p.rank ?? '—',
        competitionRank: p.competitionRank ?? '—',
        trackRank: p.trackRank ?? '—',
        trackCompetitionRank: p.trackCompetitionRank ?? '—',
        roundDisplay: p.roundDisplay,
        priorDisplay: p.priorDisplay,
        weighted: c.results.round.combine.mode === 'weighted',
        exact: p.exact ?? '—',
      },
      tie: tieNote(p, t),
      criteria,
      judges,
      droppedText: dropped.length
        ? t('results.explain.droppedList', {
            list: dropped.map((j) => `${j.name} ${j.total} (${t(`results.dropped.${j.dropped}`)})`).join('；'),
          })
        : p.trimSkipped
          ? t('results.note.trim-skipped')
          : t('results.explain.noneDropped'),
      formula: p.formula,
      decimalsNote: t('results.explain.rounding', { decimals }),
      notes,
      criterionMeans: criteria.map((cr) => ({ name: cr.name, value: p.criterionMeans[cr.key] ?? '—' })),
    });
  });

  // -------------------------------------------------------------------------------------------
  // Comparison

  router.get('/:slug/results/:round/compare', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const c = await computed(req);
    const cmp = services.results.compareMethods(c);
    const { doc } = c.inputs.loaded;
    const outcomeLabel = (key: string | null) =>
      key === null ? '' : key === 'advance' ? t('results.compare.advances') : tierName(doc, key, locale);
    const changed = new Set(cmp.changedRefs);
    const byRef = new Map(c.results.projects.map((p) => [p.ref, p]));
    const method = (m: 'mean' | 'trimmed' | 'normalized') => {
      const [kind, k, min] = cmp.methods[m].replace('+z-score', '').split(':');
      const base =
        kind === 'trimmed-mean' ? t('results.rule.trimmed', { k: k ?? '', min: min ?? '' }) : t('results.rule.mean');
      return {
        key: m,
        label: t(`results.compare.method.${m}`),
        rule: m === 'normalized' ? `${base} + ${t('results.rule.normalized')}` : base,
        official: cmp.official === m,
      };
    };
    renderPage(views, res, 'admin/results/compare', {
      ...chrome(res, c, 'compare', t('results.nav.compare')),
      methods: [method('mean'), method('trimmed'), method('normalized')],
      showOutcome: cmp.outcome !== 'none',
      outcomeHeading: t(`results.compare.outcome.${cmp.outcome}`),
      verdict: cmp.prizeChanges
        ? t(cmp.outcome === 'awards' ? 'results.compare.changes' : 'results.compare.changesAdvancement', {
            count: cmp.changedRefs.length,
            refs: cmp.changedRefs.join(', '),
          })
        : t(cmp.outcome === 'none' ? 'results.compare.noOutcome' : 'results.compare.noChange'),
      changes: cmp.prizeChanges,
      leftRaw: cmp.judgesLeftRaw.map((j) =>
        t('results.compare.leftRaw', {
          judge: doc.judges.find((x) => x.key === j.judgeKey)?.name ?? j.judgeKey,
          reason: t(`results.compare.reason.${j.reason}`),
        }),
      ),
      rows: cmp.rows.map((r) => {
        const p = byRef.get(r.ref)!;
        return {
          ref: r.ref,
          title: p.title,
          track: localized(p.track.name, locale),
          outOfCompetition: r.outOfCompetition,
          href: `${resultsHref(doc.slug, c.inputs.round.key)}/projects/${encodeURIComponent(r.ref)}`,
          cells: [
            { ...r.mean, outcome: outcomeLabel(r.tierMean) },
            { ...r.trimmed, outcome: outcomeLabel(r.tierTrimmed) },
            { ...r.normalized, outcome: outcomeLabel(r.tierNormalized) },
          ].map((x) => ({ display: x.display ?? '—', rank: x.rank ?? '—', outcome: x.outcome })),
          changed: changed.has(r.ref),
        };
      }),
    });
  });

  // -------------------------------------------------------------------------------------------
  // Advancement

  async function renderAdvancement(
    req: Request,
    res: Response,
    c: ComputedRound,
    formErrors: FieldError[] = [],
    alert?: string,
  ) {
    const { t, locale } = res.locals;
    const { doc } = c.inputs.loaded;
    const a = c.advancement;
    const byRef = new Map(c.results.projects.map((p) => [p.ref, p]));
    const label = (ref: string) => {
      const p = byRef.get(ref);
      return { ref, title: p?.title ?? '', display: p?.display ?? '—', rank: p?.trackRank ?? p?.rank ?? '—' };
    };
    renderPage(
      views,
      res,
      'admin/results/advancement',
      {
        ...chrome(res, c, 'advancement', t('results.nav.advancement')),
        mode: a.mode,
        none: a.mode === 'none',
        ruleText:
          a.mode === 'none'
            ? t('results.advance.none')
            : t(`results.advance.rule.${a.mode}`, { count: a.count }) +
              ' · ' +
              t(`results.advance.policy.${a.tieAtCutoff}`),
        nextRound: a.nextRound ? localized(a.nextRound.name, locale) : '',
        groups: a.groups.map((g) => ({
          scope: trackName(doc, g.scope, locale, t),
          places: g.places,
          selected: g.selected.map(label),
          pending: g.pending.map(label),
          widened: g.widened,
          ooc: g.outOfCompetitionWouldAdvance.map(label),
        })),
        applied: a.applied,
        blocked: a.decisionsNeeded.length > 0,
        canApply: a.nextRound !== null && a.mode !== 'none',
        action: `${resultsHref(doc.slug, c.inputs.round.key)}/advancement`,
        revision: c.results.revision,
        confirm: t('results.advance.confirm', {
          count: a.advanced.length,
          round: a.nextRound ? localized(a.nextRound.name, locale) : '',
        }),
        alert,
      },
      { fieldErrors: formErrors, status: alert ? 409 : undefined },
    );
  }

  router.get('/:slug/results/:round/advancement', ...read, async (req, res) => {
    await renderAdvancement(req, res, await computed(req));
  });

  router.post('/:slug/results/:round/advancement', ...edit, async (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    const slug = String(req.params.slug);
    try {
      await services.results.applyAdvancement(
        slug,
        { kind: 'organizer', id: req.user!.id },
        {
          roundKey: String(req.params.round),
          includeOutOfCompetition: body.includeOutOfCompetition === '1',
          expectedRevision: body.revision ? Number(body.revision) : undefined,
        },
      );
    } catch (err) {
      return showOnForm(req, res, err, (c, fields, alert) => renderAdvancement(req, res, c, fields, alert));
    }
    req.session.flash = 'results.advance.done';
    res.redirect(303, `${resultsHref(slug, String(req.params.round))}/advancement`);
  });

  // -------------------------------------------------------------------------------------------
  // Head-judge decisions

  async function renderDecisions(
    req: Request,
    res: Response,
    c: ComputedRound,
    errors: FieldError[] = [],
    alert?: string,
    values?: unknown,
  ) {
    const { t, locale } = res.locals;
    const { doc } = c.inputs.loaded;
    const byRef = new Map(c.results.projects.map((p) => [p.ref, p]));
    const action = `${resultsHref(doc.slug, c.inputs.round.key)}/decisions`;
    const form = (
      kind: 'tie-break' | 'cutoff',
      scopeKey: string,
      refs: readonly string[],
      heading: string,
      id: string,
    ) => ({
      id,
      kind,
      scopeKey,
      heading,
      action,
      projects: refs.map((ref, i) => {
        const p = byRef.get(ref);
        return {
          ref,
          title: p?.title ?? '',
          institution: p?.institution ?? '',
          display: p?.display ?? '—',
          exact: p?.exact ?? '',
          position: i + 1,
        };
      }),
      max: refs.length,
    });
    const forms = [
      ...c.results.ties
        .filter((x) => x.needsDecision)
        .map((x, i) =>
          form(
            'tie-break',
            x.scope === 'overall' ? '' : x.scope,
            x.refs,
            t('results.decide.rankTie', { scope: trackName(doc, x.scope, locale, t), rank: x.rank }),
            `tie-${i}`,
          ),
        ),
      ...c.advancement.decisionsNeeded.map((d, i) =>
        form(
          'cutoff',
          d.scope === 'overall' ? '' : d.scope,
          d.refs,
          t('results.decide.advanceCutoff', { scope: trackName(doc, d.scope, locale, t), places: d.places }),
          `adv-${i}`,
        ),
      ),
      ...c.dryRun.decisionsNeeded.map((d, i) =>
        form(
          'cutoff',
          d.tierKey,
          d.refs,
          t('results.decide.awardCutoff', {
            tier: tierName(doc, d.tierKey, locale),
            scope: trackName(doc, d.scope, locale, t),
            places: d.places,
          }),
          `award-${i}`,
        ),
      ),
    ];
    renderPage(
      views,
      res,
      'admin/results/decisions',
      {
        ...chrome(res, c, 'decisions', t('results.nav.decisions')),
        forms,
        decisions: c.results.decisions.map((d) => ({
          refs: d.refs.join(' > '),
          reason: d.reason,
          kind: t(`results.decide.kind.${d.kind}`),
          scope: d.scopeKey
            ? doc.prizeTiers.some((x) => x.key === d.scopeKey)
              ? tierName(doc, d.scopeKey, locale)
              : trackName(doc, d.scopeKey, locale, t)
            : t('results.overall'),
          actor:
            d.actorKind === 'judge'
              ? t('results.decide.byJudge', { name: d.actorName })
              : t('results.decide.byOrganizer'),
          at: formatTime(d.createdAt, locale),
          iso: d.createdAt,
        })),
        hasChain: c.inputs.round.scoring.tieBreaks.some((x) => x.kind === 'head-judge'),
        alert,
      },
      { fieldErrors: errors, values, status: alert ? 422 : undefined },
    );
  }

  router.get('/:slug/results/:round/decisions', ...read, async (req, res) => {
    await renderDecisions(req, res, await computed(req));
  });

  router.post('/:slug/results/:round/decisions', ...edit, async (req, res) => {
    const body = req.body as Record<string, string | string[] | undefined>;
    const slug = String(req.params.slug);
    const refs = ([] as string[]).concat(body.refs ?? []);
    const positions = ([] as string[]).concat(body.positions ?? []).map(Number);
    const order = refs
      .map((ref, i) => ({ ref, pos: positions[i] ?? NaN, i }))
      .sort((a, b) => a.pos - b.pos || a.i - b.i);
    const valid = new Set(order.map((o) => o.pos)).size === order.length && order.every((o, i) => o.pos === i + 1);
    try {
      if (!valid) throw new AppError('validation-failed', {}, [{ path: 'positions', code: 'invalid-order' }]);
      await services.results.decide(
        slug,
        { kind: 'organizer', id: req.user!.id },
        {
          roundKey: String(req.params.round),
          kind: body.kind === 'cutoff' ? 'cutoff' : 'tie-break',
          scopeKey: typeof body.scopeKey === 'string' ? body.scopeKey : '',
          refs: order.map((o) => o.ref),
          reason: typeof body.reason === 'string' ? body.reason : '',
        },
      );
    } catch (err) {
      return showOnForm(req, res, err, (c, fields, alert) => renderDecisions(req, res, c, fields, alert, body));
    }
    req.session.flash = 'results.decide.done';
    res.redirect(303, `${resultsHref(slug, String(req.params.round))}/decisions`);
  });

  // -------------------------------------------------------------------------------------------
  // Awards: dry run, lock, overrides

  async function renderAwards(
    req: Request,
    res: Response,
    c: ComputedRound,
    errors: FieldError[] = [],
    alert?: string,
    values?: unknown,
  ) {
    const { t, locale } = res.locals;
    const { doc } = c.inputs.loaded;
    const d = c.dryRun;
    const base = resultsHref(doc.slug, c.inputs.round.key);
    const locked = await services.awards.locked(doc.slug, c.inputs.round.key);
    const byRef = new Map(c.results.projects.map((p) => [p.ref, p]));
    const scopeLabel = (scope: string) => trackName(doc, scope, locale, t);
    const tierKeys = [...new Set(d.tiers.map((x) => x.tierKey))];
    const groups = tierKeys.map((key) => {
      const parts = d.tiers.filter((x) => x.tierKey === key);
      return {
        tier: name(parts[0]!.tierName, locale),
        scopes: parts.map((x) => ({
          scope: scopeLabel(x.scope),
          filled: x.filled,
          places: x.places === null ? t('results.awards.rest') : x.places,
          provisional: x.provisional,
        })),
        rows: d.allocations
          .filter((a) => a.tierKey === key)
          .map((a) => ({
            scope: scopeLabel(a.trackKey ?? 'overall'),
            ref: a.projectRef,
            title: a.title,
            institution: a.institution,
            rank: a.rank ?? '—',
            display: a.display ?? '—',
            votes: a.votes,
            tiedAtCutoff: a.tiedAtCutoff,
            decisionReason: a.decisionReason,
            href: `${base}/projects/${encodeURIComponent(a.projectRef)}`,
          })),
      };
    });
    const awarded = new Set(locked?.awards.filter((a) => !a.revokedAt).map((a) => a.projectRef) ?? []);
    renderPage(
      views,
      res,
      'admin/results/awards',
      {
        ...chrome(res, c, 'awards', t('results.nav.awards')),
        notAwardRound: !c.inputs.isAwardRound,
        noTiers: doc.prizeTiers.length === 0,
        groups,
        decisionsNeeded: d.decisionsNeeded.map((x) =>
          t('results.awards.decisionNeeded', {
            tier: tierName(doc, x.tierKey, locale),
            scope: scopeLabel(x.scope),
            places: x.places,
            refs: x.refs.join(', '),
          }),
        ),
        warnings: d.warnings
          .filter((w) => w.code !== 'decision-needed' && w.code !== 'provisional')
          .map((w) =>
            t(`results.awards.warning.${w.code}`, {
              tier: tierName(doc, w.tierKey, locale),
              scope: w.scope ? scopeLabel(w.scope) : '',
              refs: (w.refs ?? []).join(', '),
            }),
          ),
        ooc: d.outOfCompetition.map((o) => ({
          ref: o.ref,
          title: byRef.get(o.ref)?.title ?? '',
          display: o.display,
          text: t('results.awards.oocNote', {
            overall: o.wouldRankOverall ?? '—',
            track: o.wouldRankInTrack ?? '—',
            tier: o.wouldQualifyFor ? tierName(doc, o.wouldQualifyFor, locale) : t('results.awards.noTier'),
          }),
        })),
        lockable: d.lockable,
        revision: c.results.revision,
        lockAction: `${base}/awards/lock`,
        overrideAction: `${base}/awards/overrides`,
        confirmLock: t('results.awards.confirmLock', { count: d.allocations.length }),
        locked: locked
          ? {
              at: formatTime(locked.lockedAt, locale),
              iso: locked.lockedAt,
              hash: locked.snapshotHash,
              hashShort: `${locked.snapshotHash.slice(0, 16)}…`,
              seq: locked.ledgerSeq,
              relockReason: locked.snapshot.relockReason,
              stale: outcomeOf(locked.snapshot.dryRun, locked.snapshot.results) !== outcomeOf(d, c.results),
              awards: locked.awards.map((a) => ({
                tier: name(a.tierName, locale),
                scope: a.trackName ? name(a.trackName, locale) : t('results.overall'),
                ref: a.projectRef,
                title: a.title,
                institution: a.institution,
                rank: a.rank ?? '—',
                score: a.scoreText,
                certificateNo: a.certificateNo,
                verifyCode: a.verifyCode,
                revoked: a.revokedAt !== null,
              })),
              overrides: locked.overrides.map((o) => ({
                text: t(`results.awards.override.${o.change.action}`, {
                  tier: tierName(doc, o.change.tierKey, locale),
                  ref: o.change.projectRef,
                  no: o.change.certificateNo ?? '',
                }),
                reason: o.reason,
                at: formatTime(o.createdAt, locale),
                iso: o.createdAt,
              })),
              superseded: locked.superseded.length,
            }
          : null,
        tierOptions: doc.prizeTiers.map((x) => ({ value: x.key, label: localized(x.name, locale) })),
        projectOptions: c.results.projects.map((p) => ({
          value: p.ref,
          label: `${p.ref} ${p.title}${awarded.has(p.ref) ? ` · ${t('results.awards.hasAward')}` : ''}`,
        })),
        alert,
      },
      { fieldErrors: errors, values, status: alert ? (errors.length ? 422 : 409) : undefined },
    );
  }

  router.get('/:slug/results/:round/awards', ...read, async (req, res) => {
    await renderAwards(req, res, await computed(req));
  });

  router.post('/:slug/results/:round/awards/lock', ...edit, async (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    const slug = String(req.params.slug);
    try {
      await services.awards.lock(
        slug,
        { kind: 'organizer', id: req.user!.id },
        {
          roundKey: String(req.params.round),
          expectedRevision: body.revision ? Number(body.revision) : undefined,
          relockReason: body.relockReason || undefined,
        },
      );
    } catch (err) {
      return showOnForm(req, res, err, (c, fields, alert) => renderAwards(req, res, c, fields, alert, body));
    }
    req.session.flash = 'results.awards.lockedFlash';
    res.redirect(303, `${resultsHref(slug, String(req.params.round))}/awards`);
  });

  router.post('/:slug/results/:round/awards/overrides', ...edit, async (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    const slug = String(req.params.slug);
    try {
      await services.awards.override(
        slug,
        { kind: 'organizer', id: req.user!.id },
        {
          roundKey: String(req.params.round),
          action: body.action,
          tierKey: body.tierKey,
          projectRef: body.projectRef,
          reason: body.reason ?? '',
        },
      );
    } catch (err) {
      return showOnForm(req, res, err, (c, fields, alert) => renderAwards(req, res, c, fields, alert, body));
    }
    req.session.flash = 'results.awards.overriddenFlash';
    res.redirect(303, `${resultsHref(slug, String(req.params.round))}/awards`);
  });

  return router;
}
