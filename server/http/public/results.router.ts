/**
 * Public results pages:
 *   GET  /contests/:slug/results   the 公示 page (404 until published): awards, rankings, appeal form
 *   POST /contests/:slug/appeals   files an appeal (CSRF, rate limited; 409 after the deadline)
 *   GET  /appeals/status?t=…       the appellant's private status page (token in the query: not logged)
 *   GET  /verify/:code             certificate verification (friendly 404 for unknown / revoked)
 * Only shapes what services return; no judge-level marks or contacts ever reach these pages.
 */
import { Router, type Response } from 'express';
import { AppError } from '../../errors.js';
import type { FieldError } from '../../field-errors.js';
import { localized, type Locale, type Translate } from '../../i18n/catalog.js';
import type { PublicResults } from '../../services/publication.service.js';
import { limit } from '../middleware/rate-limit.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';

const CSS = '/static/css/results-public.css';

/** A timestamp in China time, where the contests run. */
export function chinaTime(iso: string | null | undefined, locale: Locale, withTime = true): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
  }).format(date);
}

const TIER_TONES = ['gold', 'silver', 'bronze'];

function resultsModel(view: PublicResults, t: Translate, locale: Locale) {
  const loc = (name: { zh: string; en: string } | null) => (name ? localized(name, locale) : '');
  const tierRank = new Map<string, number>();
  return {
    contest: {
      slug: view.contest.slug,
      name: loc(view.contest.name),
      theme: loc(view.contest.theme),
      organizer: view.contest.organizer,
      venue: view.contest.venue,
    },
    publishedAt: chinaTime(view.publishedAt, locale),
    appealDeadline: chinaTime(view.appealDeadline, locale),
    appealsOpen: view.appealsOpen,
    hasRounds: view.rounds.length > 0,
    rounds: view.rounds.map((r) => ({
      key: r.key,
      name: loc(r.name),
      method:
        r.method === 'trimmed-mean' && r.trim > 0
          ? t('publication.public.method.trimmed', { trim: r.trim, judges: r.judgeCount, decimals: r.decimals })
          : t('publication.public.method.mean', { judges: r.judgeCount, decimals: r.decimals }),
      lockedAt: chinaTime(r.lockedAt, locale),
      hasAwards: r.awardGroups.length > 0,
      awardGroups: r.awardGroups.map((g) => {
        if (!tierRank.has(g.tierKey)) tierRank.set(g.tierKey, tierRank.size);
        return {
          tierName: loc(g.tierName),
          trackName: loc(g.trackName),
          tone: TIER_TONES[tierRank.get(g.tierKey) ?? 9] ?? 'plain',
          count: g.entries.length,
          entries: g.entries,
        };
      }),
      tracks: r.tracks.map((tr) => ({
        name: loc(tr.trackName),
        rows: tr.rows.map((row) => ({
          rank: row.rank === null ? '' : String(row.rank),
          tied: row.tied,
          outOfCompetition: row.outOfCompetition,
          ref: row.ref,
          title: row.title,
          institution: row.institution,
          display: row.display ?? '—',
          decidedBy: row.decidedBy ? t(`publication.public.decidedBy.${row.decidedBy}`) : '',
          award: loc(row.award),
        })),
      })),
    })),
    projectOptions: [
      { value: '', label: t('publication.appeal.projectNone') },
      ...view.projects.map((p) => ({ value: p.ref, label: `${p.ref} · ${p.title}` })),
    ],
  };
}

export function publicResultsRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const appealLimit = limit({ windowMs: 10 * 60 * 1000, limit: 5 });

  async function renderResults(
    res: Response,
    slug: string,
    extra: { values?: unknown; fieldErrors?: FieldError[]; alert?: string; status?: number } = {},
  ) {
    const { t, locale } = res.locals;
    const view = await services.publication.publicView(slug);
    const model = resultsModel(view, t, locale);
    renderPage(
      views,
      res,
      'public/results/index',
      {
        title: `${t('publication.public.title')} · ${model.contest.name}`,
        styles: [CSS],
        ...model,
        appealAlert: extra.alert,
        inlineErrors: true,
        fieldLabels: {
          name: t('publication.appeal.name'),
          contact: t('publication.appeal.contact'),
          projectRef: t('publication.appeal.project'),
          body: t('publication.appeal.body'),
        },
      },
      { layout: 'public', values: extra.values, fieldErrors: extra.fieldErrors, status: extra.status },
    );
  }

  router.get('/contests/:slug/results', async (req, res) => {
    await renderResults(res, String(req.params.slug));
  });

  router.post('/contests/:slug/appeals', appealLimit, async (req, res) => {
    const slug = String(req.params.slug);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = {
      name: String(body.name ?? ''),
      contact: String(body.contact ?? ''),
      projectRef: String(body.projectRef ?? ''),
      body: String(body.body ?? ''),
    };
    try {
      const receipt = await services.appeals.submit(slug, input);
      res.redirect(303, `/appeals/status?t=${encodeURIComponent(receipt.statusToken)}&new=1`);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const { t } = res.locals;
      if (err.code === 'validation-failed') {
        await renderResults(res, slug, { values: input, fieldErrors: err.fields });
        return;
      }
      if (err.code === 'appeal-closed') {
        await renderResults(res, slug, {
          values: input,
          alert: t('error.appeal-closed'),
          status: err.status,
        });
        return;
      }
      throw err;
    }
  });

  router.get('/appeals/status', async (req, res) => {
    const { t, locale } = res.locals;
    const token = typeof req.query.t === 'string' ? req.query.t : '';
    const appeal = await services.appeals.status(token);
    const statusUrl = `${services.publicUrl}/appeals/status?t=${encodeURIComponent(token)}`;
    res.set('Cache-Control', 'no-store');
    res.set('Referrer-Policy', 'no-referrer');
    renderPage(
      views,
      res,
      'public/results/appeal-status',
      {
        title: `${t('publication.appealStatus.title')} ${appeal.reference}`,
        styles: [CSS],
        isNew: req.query.new === '1',
        statusUrl,
        appeal: {
          reference: appeal.reference,
          contestName: localized(appeal.contestName, locale),
          resultsHref: `/contests/${encodeURIComponent(appeal.contestSlug)}/results`,
          project: appeal.projectRef ? `${appeal.projectRef} · ${appeal.projectTitle ?? ''}` : '',
          body: appeal.body,
          status: appeal.status,
          statusLabel: t(`publication.appeal.status.${appeal.status}`),
          answered: appeal.status === 'upheld' || appeal.status === 'rejected',
          answer: appeal.answer,
          createdAt: chinaTime(appeal.createdAt, locale),
          answeredAt: chinaTime(appeal.answeredAt, locale),
        },
      },
      { layout: 'public' },
    );
  });

  router.get('/verify/:code', async (req, res) => {
    const { t, locale } = res.locals;
    const code = String(req.params.code).trim().toUpperCase();
    const found = await services.certificates.verify(code);
    if (!found) {
      renderPage(
        views,
        res,
        'public/results/verify-missing',
        { title: t('publication.verify.missingTitle'), styles: [CSS], code: code.slice(0, 40) },
        { layout: 'public', status: 404 },
      );
      return;
    }
    renderPage(
      views,
      res,
      'public/results/verify',
      {
        title: t('publication.verify.title'),
        styles: [CSS],
        cert: {
          contestName: localized(found.contestName, locale),
          projectTitle: found.projectTitle,
          institution: found.institution,
          awardName: localized(found.awardName, locale),
          trackName: found.trackName ? localized(found.trackName, locale) : '',
          certificateNo: found.certificateNo,
          awardedAt: chinaTime(found.awardedAt, locale, false),
          resultsHref: found.published ? `/contests/${encodeURIComponent(found.contestSlug)}/results` : '',
        },
      },
      { layout: 'public' },
    );
  });

  return router;
}
