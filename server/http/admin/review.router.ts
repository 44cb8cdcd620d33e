/**
 * The organizers' review queue (`/admin/contests/:slug/review`): per-track statistics, filters
 * (track, status, search), a paged table with bulk decisions, a page per project with its
 * review history and the decision form, and the Excel / CSV exports. Also mounts the CSV import
 * pages (import.router.ts). Viewers read and export; deciding needs 'edit'. Every write goes
 * through services.review; this module only shapes forms and pages.
 */
import { Router, type Request, type Response } from 'express';
import { PROJECT_STATUSES } from '../../domain/contest-document.js';
import { AppError } from '../../errors.js';
import type { FieldError } from '../../field-errors.js';
import { localized, type Translate } from '../../i18n/catalog.js';
import { QueueQuery, REVIEW_DECISIONS, toFilter, type ReviewDecision } from '../../services/review.service.js';
import { hasPermission } from '../../services/user.service.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { contestHref, toneOf } from './contest-parts.router.js';
import { importRouter, reviewChrome, whenFormatter } from './import.router.js';

const one = (v: unknown): string => (Array.isArray(v) ? String(v.at(-1) ?? '') : typeof v === 'string' ? v : '');
const many = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/** The query string of the queue's filters (without the page unless asked). */
function filterQuery(q: { track?: string; status?: string; q?: string }, page?: number): string {
  const params = new URLSearchParams();
  if (q.track) params.set('track', q.track);
  if (q.status) params.set('status', q.status);
  if (q.q) params.set('q', q.q);
  if (page && page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Only our own queue query strings are followed back after a decision. */
const safeBack = (v: unknown) => {
  const s = one(v);
  return /^\?[\w%.=&+-]*$/.test(s) ? s : '';
};

const decisionOptions = (t: Translate, allowed: readonly ReviewDecision[]) =>
  allowed.map((d) => ({ value: d, label: t(`review.decision.${d}`), hint: t(`review.decision.${d}.hint`) }));

interface State {
  values?: Record<string, unknown>;
  fieldErrors?: FieldError[];
  alert?: string;
  status?: number;
}

export function reviewRouter(deps: RouterDeps): Router {
  const { services, views } = deps;
  const router = Router();
  const read = [requirePermission('read'), requirePasswordChanged];
  const edit = [...read, requirePermission('edit')];

  async function renderQueue(req: Request, res: Response, state: State = {}, query: unknown = req.query) {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const loaded = await services.contests.load(slug);
    const { doc } = loaded;
    const data = await services.review.queue(slug, query);
    const when = whenFormatter(locale);
    const href = contestHref(slug);
    const canEdit = hasPermission(req.user, 'edit');
    const q = data.query;
    const trackName = (key: string) => {
      const track = doc.tracks.find((tr) => tr.key === key);
      return track ? localized(track.name, locale) : key;
    };
    const back = filterQuery(q, q.page);
    const statusCols = PROJECT_STATUSES.map((s) => ({ key: s, label: t(`enum.projectStatus.${s}`) }));
    renderPage(
      views,
      res,
      'admin/review/index',
      {
        title: t('review.title'),
        ...reviewChrome(doc, t, locale, 'review', [{ label: t('review.title') }]),
        base: `${href}/review`,
        canEdit,
        statusCols,
        stats: data.stats.tracks.map((tr) => ({
          name: localized(tr.trackName, locale),
          href: `${href}/review${filterQuery({ track: tr.trackKey })}`,
          counts: PROJECT_STATUSES.map((s) => ({
            n: tr.counts[s],
            href: `${href}/review${filterQuery({ track: tr.trackKey, status: s })}`,
          })),
          total: tr.total,
        })),
        totals: {
          counts: PROJECT_STATUSES.map((s) => ({
            n: data.stats.totals[s],
            href: `${href}/review${filterQuery({ status: s })}`,
          })),
          total: data.stats.totals.total,
        },
        filter: {
          q: q.q ?? '',
          tracks: [
            { value: '', label: t('review.filter.allTracks') },
            ...doc.tracks.map((tr) => ({
              value: tr.key,
              label: localized(tr.name, locale),
              selected: tr.key === q.track,
            })),
          ],
          statuses: [
            { value: '', label: t('review.filter.allStatuses') },
            ...PROJECT_STATUSES.map((s) => ({
              value: s,
              label: t(`enum.projectStatus.${s}`),
              selected: s === q.status,
            })),
          ],
          active: Boolean(q.track || q.status || q.q),
        },
        exportXlsx: `${href}/review/export.xlsx${filterQuery(q)}`,
        exportCsv: `${href}/review/export.csv${filterQuery(q)}`,
        rows: data.rows.map((r) => ({
          ref: r.ref,
          href: `${href}/review/${encodeURIComponent(r.ref)}`,
          title: r.title,
          institution: r.institution,
          track: trackName(r.trackKey),
          leader: r.leader.name,
          phone: r.leader.phone,
          submitted: when(r.submittedAt ?? r.createdAt),
          statusLabel: t(`enum.projectStatus.${r.status}`),
          tone: toneOf(r.status),
          note: r.reviewNote,
          outOfCompetition: r.outOfCompetition,
          source: r.source === 'organizer' ? '' : t(`review.source.${r.source}`),
          canApprove: canEdit && r.allowed.includes('approve'),
          decideAction: `${href}/review/${encodeURIComponent(r.ref)}/decide`,
          selected: many(state.values?.refs).includes(r.ref),
        })),
        count: data.total,
        page: data.page,
        pages: data.pages,
        pager: {
          summary: t('review.pager.summary', { page: data.page, pages: data.pages, total: data.total }),
          prev: data.page > 1 ? `${href}/review${filterQuery(q, data.page - 1)}` : undefined,
          next: data.page < data.pages ? `${href}/review${filterQuery(q, data.page + 1)}` : undefined,
        },
        bulkDecisions: [
          { value: '', label: t('review.bulk.choose') },
          ...REVIEW_DECISIONS.map((d) => ({
            value: d,
            label: t(`review.decision.${d}`),
            selected: d === state.values?.bulkDecision,
          })),
        ],
        back,
        fieldLabels: {
          refs: t('review.bulk.selection'),
          bulkDecision: t('review.bulk.decision'),
          bulkReason: t('review.field.reason'),
        },
        inlineErrors: true,
        alert: state.alert,
        backPath: `${href}/review`,
      },
      { values: state.values ?? {}, fieldErrors: state.fieldErrors, status: state.status },
    );
  }

  async function renderProject(req: Request, res: Response, state: State = {}) {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const ref = String(req.params.ref);
    const { doc } = await services.contests.load(slug);
    const { project: p, history, allowed } = await services.review.project(slug, ref);
    const when = whenFormatter(locale);
    const href = contestHref(slug);
    const track = doc.tracks.find((tr) => tr.key === p.trackKey);
    const canEdit = hasPermission(req.user, 'edit');
    const chosen = one(state.values?.decision);
    renderPage(
      views,
      res,
      'admin/review/project',
      {
        title: `${p.title} · ${t('review.title')}`,
        ...reviewChrome(doc, t, locale, 'review', [
          { label: t('review.title'), href: `${href}/review` },
          { label: p.ref },
        ]),
        project: {
          ref: p.ref,
          title: p.title,
          statusLabel: t(`enum.projectStatus.${p.status}`),
          tone: toneOf(p.status),
          note: p.reviewNote,
          outOfCompetition: p.outOfCompetition,
        },
        details: [
          { label: t('project.field.ref'), value: p.ref, mono: true },
          { label: t('project.field.trackKey'), value: track ? localized(track.name, locale) : p.trackKey },
          { label: t('project.field.institution'), value: p.institution },
          { label: t('project.field.stage'), value: t(`enum.stage.${p.stage}`) },
          { label: t('project.leader'), value: p.leader.name },
          { label: t('project.field.leader.phone'), value: p.leader.phone },
          { label: t('project.field.leader.email'), value: p.leader.email },
          { label: t('review.field.source'), value: t(`review.source.${p.source}`) },
          { label: t('review.field.submittedAt'), value: when(p.submittedAt ?? p.createdAt) },
          { label: t('review.field.updatedAt'), value: when(p.updatedAt) },
        ].map((d) => ({ ...d, value: d.value || '—' })),
        members: p.members,
        summary: p.summary,
        history: history.map((h) => ({
          when: when(h.createdAt),
          decision: t(`review.decision.${h.decision}`),
          tone:
            h.decision === 'approve'
              ? 'ok'
              : h.decision === 'reject'
                ? 'danger'
                : h.decision === 'return'
                  ? 'warn'
                  : '',
          reason: h.reason,
          actor: h.actorName ?? t('review.history.unknownActor'),
        })),
        canEdit,
        decisions: decisionOptions(t, allowed).map((d) => ({ ...d, checked: d.value === chosen })),
        action: `${href}/review/${encodeURIComponent(p.ref)}/decide`,
        queueHref: `${href}/review`,
        fieldLabels: { decision: t('review.field.decision'), reason: t('review.field.reason') },
        inlineErrors: true,
        alert: state.alert,
        backPath: `${href}/review/${encodeURIComponent(p.ref)}`,
      },
      { values: state.values ?? {}, fieldErrors: state.fieldErrors, status: state.status },
    );
  }

  /** Runs a decision; invalid input and refused transitions come back as the page with the message. */
  async function decide(
    req: Request,
    res: Response,
    run: () => Promise<unknown>,
    again: (state: State) => Promise<void>,
    values: Record<string, unknown>,
    aliases: Record<string, string> = {},
  ): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const { t } = res.locals;
      if (err.code === 'validation-failed') {
        const fieldErrors = err.fields.map((f) => ({ ...f, path: aliases[f.path] ?? f.path }));
        await again({ values, fieldErrors, status: err.status });
        return false;
      }
      if (err.code === 'review-not-allowed' || err.code === 'not-found') {
        const params = { ...err.params, decision: t(`review.decision.${String(err.params.decision ?? '')}`) };
        await again({ values, alert: t(`error.${err.code}`, params), status: err.status });
        return false;
      }
      throw err;
    }
  }

  router.get('/:slug/review', ...read, (req, res) => renderQueue(req, res));

  router.get('/:slug/review/export.xlsx', ...read, async (req, res) => {
    const slug = String(req.params.slug);
    const filter = toFilter(QueueQuery.parse(req.query));
    const body = await services.review.exports.xlsx(slug, filter);
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment(`${services.review.exports.fileStem(slug)}.xlsx`)
      .set('Cache-Control', 'no-store')
      .send(body);
  });

  router.get('/:slug/review/export.csv', ...read, async (req, res) => {
    const slug = String(req.params.slug);
    const filter = toFilter(QueueQuery.parse(req.query));
    const body = await services.review.exports.csv(slug, filter);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`${services.review.exports.fileStem(slug)}.csv`)
      .set('Cache-Control', 'no-store')
      .send(body);
  });

  router.post('/:slug/review/bulk', ...edit, async (req, res) => {
    const slug = String(req.params.slug);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const refs = many(body.refs);
    const values = { refs, bulkDecision: one(body.bulkDecision), bulkReason: one(body.bulkReason) };
    const back = safeBack(body.back);
    // The queue re-rendered on error shows the page the organizer was on.
    const query = Object.fromEntries(new URLSearchParams(back));
    const done = await decide(
      req,
      res,
      () =>
        services.review.decide(
          slug,
          refs,
          { decision: values.bulkDecision || undefined, reason: values.bulkReason },
          req.user!.id,
        ),
      (state) => renderQueue(req, res, state, query),
      values,
      { reason: 'bulkReason', decision: 'bulkDecision' },
    );
    if (!done) return;
    req.session.flash = 'review.flash.decided';
    res.redirect(303, `${contestHref(slug)}/review${back}`);
  });

  router.get('/:slug/review/:ref', ...read, (req, res) => renderProject(req, res));

  router.post('/:slug/review/:ref/decide', ...edit, async (req, res) => {
    const slug = String(req.params.slug);
    const ref = String(req.params.ref);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { decision: one(body.decision), reason: one(body.reason) };
    const fromQueue = body.from === 'queue';
    const back = safeBack(body.back);
    const done = await decide(
      req,
      res,
      async () => {
        // Make sure the project exists before validating, so a wrong ref is a 404.
        await services.review.project(slug, ref);
        return services.review.decide(
          slug,
          [ref],
          { decision: values.decision || undefined, reason: values.reason },
          req.user!.id,
        );
      },
      (state) => renderProject(req, res, state),
      values,
    );
    if (!done) return;
    req.session.flash = 'review.flash.decided';
    const base = `${contestHref(slug)}/review`;
    res.redirect(303, fromQueue ? `${base}${back}` : `${base}/${encodeURIComponent(ref)}`);
  });

  router.use(importRouter(deps));

  return router;
}
