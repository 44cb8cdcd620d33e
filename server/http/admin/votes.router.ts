/**
 * The organizers' audience-vote page (人气奖), with absolute paths (mounted at the site root):
 *   GET  /admin/contests/:slug/votes                     rounds, live counts, held votes, bursts ('read')
 *   POST /admin/contests/:slug/votes/:roundKey/:action   open | close | release | hide ('run-stage')
 *   POST /admin/contests/:slug/votes/:roundKey/review    count (accept) or hold a burst group ('run-stage')
 * Plain forms (CSRF, 303 back); static/client/live.ts refreshes the counts every few seconds
 * from GET /api/v1/contests/:slug/votes/tally. Every write goes through the vote service.
 */
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors.js';
import { localized, type Locale, type Translate } from '../../i18n/catalog.js';
import { hasPermission } from '../../services/user.service.js';
import type { OrganizerVoteView } from '../../services/vote.service.js';
import { VOTE_RATE_LIMIT } from '../api/vote.router.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { contestChrome, contestHref } from './contest-parts.router.js';

const ACTIONS = ['open', 'close', 'release', 'hide'] as const;
type Action = (typeof ACTIONS)[number];

function formatTime(iso: string | null, locale: Locale): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** The page model (also what static/client/live-page/votes-admin.ts re-renders from the tally API). */
export function votesModel(view: OrganizerVoteView, t: Translate, locale: Locale) {
  const round = view.round;
  const total = Math.max(view.totals.counted, 1);
  let rank = 0;
  let last = -1;
  const tally = view.tally.map((r, i) => {
    if (r.counted !== last) rank = i + 1;
    last = r.counted;
    return {
      rank: r.counted > 0 ? rank : '–',
      ref: r.ref,
      title: r.title,
      track: localized(r.track.name, locale),
      counted: r.counted,
      held: r.held,
      share: view.totals.counted ? `${Math.round((r.counted * 1000) / total) / 10}%` : '–',
    };
  });
  return {
    round: round
      ? {
          key: round.key,
          name: localized(round.name, locale),
          status: round.status,
          statusLabel: t(`votes.status.${round.status}`),
          tone: round.status === 'open' ? 'ok' : round.status === 'closed' ? 'neutral' : 'muted',
          times: [
            round.openedAt ? t('votes.openedAt', { at: formatTime(round.openedAt, locale) }) : null,
            round.closedAt ? t('votes.closedAt', { at: formatTime(round.closedAt, locale) }) : null,
            round.releasedAt ? t('votes.releasedAt', { at: formatTime(round.releasedAt, locale) }) : null,
          ].filter(Boolean),
          released: round.releasedAt !== null,
          actions: [
            round.status !== 'open'
              ? {
                  action: 'open',
                  label: t(round.status === 'closed' ? 'votes.action.reopen' : 'votes.action.open'),
                  cls: 'primary',
                }
              : { action: 'close', label: t('votes.action.close'), cls: 'danger' },
            ...(round.status === 'closed' && !round.releasedAt
              ? [{ action: 'release', label: t('votes.action.release'), cls: '' }]
              : []),
            ...(round.releasedAt ? [{ action: 'hide', label: t('votes.action.hide'), cls: '' }] : []),
          ],
        }
      : null,
    tally,
    totals: t('votes.tally.totals', view.totals),
    hasVotes: view.totals.all > 0,
    groups: view.groups.map((g) => ({
      key: g.key,
      reason:
        g.reason === 'ip-burst'
          ? t('votes.flags.reason.ip-burst', { address: g.addressTag ?? '' })
          : t('votes.flags.reason.project-spike', { title: g.project?.title ?? '' }),
      count: t('votes.flags.count', { votes: g.votes, held: g.held }),
      window: t('votes.flags.window', { from: formatTime(g.firstAt, locale), to: formatTime(g.lastAt, locale) }),
      canAccept: g.held > 0,
      canHold: g.held < g.votes,
    })),
    rulesText: t('votes.flags.intro', {
      ipLimit: view.rules.ipLimit,
      ipMinutes: Math.round(view.rules.ipWindowMs / 60_000),
      projectLimit: view.rules.projectLimit,
      projectSeconds: Math.round(view.rules.projectWindowMs / 1000),
      share: Math.round(view.rules.projectShare * 100),
    }),
  };
}

export function votesRouter({ services, views, config }: RouterDeps): Router {
  const router = Router();
  const read = [requirePermission('read'), requirePasswordChanged];
  const run = [...read, requirePermission('run-stage')];
  const base = '/admin/contests/:slug/votes';
  const pageHref = (slug: string, roundKey?: string) =>
    `${contestHref(slug)}/votes${roundKey ? `?round=${encodeURIComponent(roundKey)}` : ''}`;

  async function render(req: Request, res: Response, roundKey: string | undefined, status = 200, alert?: string) {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const loaded = await services.contests.load(slug);
    const view = await services.votes.organizerView(slug, roundKey);
    const title = t('votes.title');
    const chrome = contestChrome(loaded.doc, t, locale, '', [{ label: title }]);
    const audienceUrl = `${config.publicUrl}/live/${encodeURIComponent(slug)}`;
    renderPage(
      views,
      res,
      'admin/votes/index',
      {
        ...chrome,
        title: `${title} · ${chrome.contest.name}`,
        pageTitle: title,
        styles: ['/static/css/live-page.css'],
        scripts: ['/static/build/live.js'],
        slug,
        slugParam: encodeURIComponent(slug),
        alert,
        canRun: hasPermission(req.user, 'run-stage'),
        intro: t('votes.intro', { url: audienceUrl, limit: VOTE_RATE_LIMIT.limit }),
        audienceHref: `/live/${encodeURIComponent(slug)}`,
        rounds: view.rounds.map((r) => ({
          label: localized(r.name, locale),
          href: pageHref(slug, r.key),
          current: r.key === view.round?.key,
          open: r.status === 'open',
        })),
        ...votesModel(view, t, locale),
        tallyUrl: `/api/v1/contests/${encodeURIComponent(slug)}/votes/tally${
          view.round ? `?round=${encodeURIComponent(view.round.key)}` : ''
        }`,
      },
      { status },
    );
  }

  router.get(base, ...read, async (req, res) => {
    const round = typeof req.query.round === 'string' ? req.query.round : undefined;
    await render(req, res, round);
  });

  router.post(`${base}/:roundKey/review`, ...run, async (req, res) => {
    const slug = String(req.params.slug);
    const roundKey = String(req.params.roundKey);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await services.votes.review(slug, roundKey, { kind: 'organizer', id: req.user!.id }, body);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404) throw err;
      return render(req, res, roundKey, err.status, res.locals.t(`error.${err.code}`, err.params));
    }
    if (req.session) req.session.flash = body.action === 'hold' ? 'votes.flash.hold' : 'votes.flash.accept';
    res.redirect(303, pageHref(slug, roundKey));
  });

  router.post(`${base}/:roundKey/:action`, ...run, async (req, res) => {
    const slug = String(req.params.slug);
    const roundKey = String(req.params.roundKey);
    const action = String(req.params.action) as Action;
    if (!ACTIONS.includes(action)) throw new AppError('not-found');
    try {
      await services.votes.act(slug, roundKey, { kind: 'organizer', id: req.user!.id }, action);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404) throw err;
      return render(req, res, roundKey, err.status, res.locals.t(`error.${err.code}`, err.params));
    }
    if (req.session) req.session.flash = `votes.flash.${action}`;
    res.redirect(303, pageHref(slug, roundKey));
  });

  return router;
}
