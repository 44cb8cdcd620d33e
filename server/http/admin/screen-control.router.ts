/**
 * The host's audience controls, mounted under /admin/contests:
 *   GET  /:slug/screen     big-screen control: mode, score reveal, leaderboard track, release
 *                          policy per round (freeze / unfreeze / reveal); 'read' watches, 'run-stage' acts
 *   POST /:slug/screen     a screen command ({ action: 'mode' | 'track' | 'reveal-…', … })
 *   POST /:slug/release    a round's release policy ({ roundKey, policy })
 *   GET  /:slug/ceremony   the ceremony presenter console: every step, the current one marked
 *   POST /:slug/ceremony   { action: 'next' | 'back' | 'reset' | 'goto', step? }
 * The writes answer JSON to JSON callers (static/client/screen-control.ts) and redirect back to
 * plain forms, so the pages work without script. They sit here rather than in the API route
 * table because, like the stage actions, they need the run-stage role. Only shapes pages.
 */
import { Router, type Request, type Response } from 'express';
import { localized, type Locale, type Translate } from '../../i18n/catalog.js';
import type { LeaderboardSnapshot } from '../../services/leaderboard.service.js';
import { hasPermission } from '../../services/user.service.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import { wantsJson } from '../middleware/errors.js';
import type { RouterDeps } from '../routes.js';
import { screenMessages } from '../public/screen.router.js';
import { contestChrome, contestHref } from './contest-parts.router.js';

const CSS = ['/static/css/live.css', '/static/css/screen.css'];
const MODES = ['auto', 'presenting', 'scoring', 'reveal', 'leaderboard', 'ceremony', 'idle'] as const;
const POLICIES = ['hidden', 'live', 'frozen', 'revealed'] as const;

function formatTime(iso: string | null, locale: Locale): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

const wantsJsonBody = (req: Request) => Boolean(req.is('application/json')) || wantsJson(req);

/** The organizer acting (the ledger actor). */
const actor = (req: Request) => ({ kind: 'organizer' as const, id: req.user!.id });

export function screenControlRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const read = [requirePermission('read'), requirePasswordChanged];
  const run = [...read, requirePermission('run-stage')];

  function links(slug: string) {
    const base = contestHref(slug);
    return {
      screenUrl: `/screen/${encodeURIComponent(slug)}`,
      liveUrl: `/live/${encodeURIComponent(slug)}`,
      controlHref: `${base}/screen`,
      releaseHref: `${base}/release`,
      ceremonyHref: `${base}/ceremony`,
      stageHref: `${base}/stage`,
      awardsHref: `${base}/results`,
    };
  }

  /** Answers a write: JSON for script callers, a redirect back to the page for plain forms. */
  function done(req: Request, res: Response, back: string, body: unknown) {
    if (wantsJsonBody(req)) res.json(body);
    else {
      if (req.session) req.session.flash = 'screen.control.saved';
      res.redirect(303, back);
    }
  }

  function boardChoices(board: LeaderboardSnapshot, current: string | null, t: Translate, locale: Locale) {
    return [
      { value: '', label: t('screen.control.track.rotate'), selected: current === null },
      { value: 'overall', label: t('screen.board.overall'), selected: current === 'overall' },
      ...board.tracks.map((tr) => ({ value: tr.key, label: localized(tr.name, locale), selected: current === tr.key })),
    ];
  }

  router.get('/:slug/screen', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const loaded = await services.contests.load(slug);
    const { doc } = loaded;
    const [stage, board, screen, ceremony, releases] = await Promise.all([
      services.stage.view(slug),
      services.leaderboard.snapshot(slug),
      services.screen.view(slug),
      services.ceremony.view(slug),
      services.leaderboard.releases(slug),
    ]);
    const title = t('screen.control.title');
    const base = contestChrome(doc, t, locale, '', [{ label: title }]);
    const onStage = stage.project;
    const lineup = board.overall.rows;
    renderPage(views, res, 'admin/screen/control', {
      ...base,
      title: `${title} · ${base.contest.name}`,
      pageTitle: title,
      styles: CSS,
      scripts: ['/static/build/screen-control.js'],
      ...links(slug),
      slug,
      canRun: hasPermission(req.user, 'run-stage'),
      modes: MODES.map((m) => ({
        value: m,
        label: t(`screen.mode.${m}`),
        hint: t(`screen.mode.${m}.hint`),
        current: screen.mode === m,
      })),
      shows: t(`screen.mode.${screen.shows}`),
      tracks: boardChoices(board, screen.leaderboardTrack, t, locale),
      projectOptions: (board.round ? loaded.doc.projects : [])
        .filter((p) => lineup.some((r) => r.ref === p.ref))
        .map((p) => ({
          id: loaded.ids.projects.get(p.ref)!,
          label: `${p.ref} · ${p.title}`,
          selected: screen.reveal ? screen.reveal.ref === p.ref : onStage?.ref === p.ref,
        })),
      releases: releases.map((r) => ({
        ...r,
        name: localized(r.name, locale),
        policyLabel: t(`screen.policy.${r.policy}`),
        frozenAtText: formatTime(r.frozenAt, locale),
        actions: POLICIES.map((p) => ({
          policy: p,
          label: t(`screen.control.policy.${p}`),
          current: r.policy === p,
          confirm:
            p === 'frozen'
              ? t('screen.control.confirmFreeze')
              : p === 'revealed'
                ? t('screen.control.confirmReveal')
                : '',
        })),
      })),
      roundName: board.round ? localized(board.round.name, locale) : '',
      stageJson: JSON.stringify(stage),
      boardJson: JSON.stringify(board),
      screenJson: JSON.stringify(screen),
      ceremonyJson: JSON.stringify(ceremony),
      i18nJson: screenMessages(t),
    });
  });

  router.post('/:slug/screen', ...run, async (req, res) => {
    const slug = String(req.params.slug);
    const view = await services.screen.act(slug, actor(req), formBody(req.body));
    done(req, res, links(slug).controlHref, view);
  });

  router.post('/:slug/release', ...run, async (req, res) => {
    const slug = String(req.params.slug);
    const out = await services.leaderboard.setPolicy(slug, actor(req), formBody(req.body));
    done(req, res, links(slug).controlHref, out);
  });

  router.get('/:slug/ceremony', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const loaded = await services.contests.load(slug);
    const c = await services.ceremony.console(slug);
    const title = t('screen.ceremony.consoleTitle');
    const base = contestChrome(loaded.doc, t, locale, '', [{ label: title }]);
    renderPage(views, res, 'admin/screen/ceremony', {
      ...base,
      title: `${title} · ${base.contest.name}`,
      pageTitle: title,
      styles: CSS,
      scripts: ['/static/build/screen-control.js'],
      ...links(slug),
      slug,
      canRun: hasPermission(req.user, 'run-stage'),
      locked: c.lockId !== null,
      lockedAt: formatTime(c.lockedAt, locale),
      step: c.step,
      total: c.total,
      steps: c.steps.map((s) => ({
        index: s.index,
        heading: stepHeading(s, t, locale),
        winners: s.winners,
        done: s.index < c.step,
        current: s.index === c.step,
      })),
      titleCurrent: c.step === 0,
      consoleJson: JSON.stringify(c),
      i18nJson: screenMessages(t),
    });
  });

  router.post('/:slug/ceremony', ...run, async (req, res) => {
    const slug = String(req.params.slug);
    const c = await services.ceremony.act(slug, actor(req), formBody(req.body));
    done(req, res, links(slug).ceremonyHref, c);
  });

  return router;
}

/** "三等奖 · AI+医疗健康 (1/2)" */
export function stepHeading(
  s: {
    tier: { name: { zh: string; en: string } };
    track: { name: { zh: string; en: string } } | null;
    page: number;
    pages: number;
  },
  t: Translate,
  locale: Locale,
): string {
  const parts = [localized(s.tier.name, locale)];
  if (s.track) parts.push(localized(s.track.name, locale));
  const text = parts.join(' · ');
  return s.pages > 1 ? `${text} ${t('screen.ceremony.page', { page: s.page, pages: s.pages })}` : text;
}

/** A form body without its CSRF field; empty strings of optional numbers dropped. */
function formBody(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const { _csrf: _drop, ...rest } = body as Record<string, unknown>;
  for (const key of ['projectId', 'step', 'roundKey']) if (rest[key] === '') delete rest[key];
  return rest;
}
