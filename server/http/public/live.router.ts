/**
 * The audience phone page `/live/:slug` (390×844 first): the project on stage with its timer,
 * the leaderboard per track (the leaderboard service's snapshot, release policy already applied),
 * the running order, and the audience vote (人气奖) when one is open, plus the vote's plain-form
 * fallback `POST /live/:slug/vote`. The page is a complete first paint; static/client/live.ts
 * keeps it live over the public /screen socket and resyncs over HTTP. Drafts and unknown slugs
 * are a 404. Only public facts reach the page: never contacts, judges or vote counts before the
 * organizer releases them.
 *
 * Viewing the page issues the signed device cookie (one vote per device per round) and a
 * session CSRF token (the form's `_csrf`, and `x-csrf-token` for the JSON vote).
 */
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors.js';
import { allMessageKeys, localized, type Locale, type Translate } from '../../i18n/catalog.js';
import type { LeaderboardSnapshot } from '../../services/leaderboard.service.js';
import type { StageView } from '../../services/stage.service.js';
import type { PublicVoteState } from '../../services/vote.service.js';
import { checkVoteRate, deviceHashOf, ensureDevice, identityOf, voteLimiter, voterOf } from '../api/vote.router.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';

const LIVE_PAGE_CSS = '/static/css/live-page.css';
const LIVE_PAGE_JS = '/static/build/live.js';

type Name = { zh: string; en: string };

/** Every `audience.*` message in the page's locale, for the browser code. */
function clientMessages(t: Translate): string {
  return JSON.stringify(
    Object.fromEntries(allMessageKeys().flatMap((k) => (k.startsWith('audience.') ? [[k, t(k)]] : []))),
  );
}

/** mm:ss, rounding up (a clock showing 00:00 has run out). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** The "now presenting" card, the same facts static/client/live-page/render.ts shows. */
export function stageModel(view: StageView, t: Translate, locale: Locale) {
  const timer = view.timer;
  return {
    phase: view.phase,
    phaseLabel: t(`audience.phase.${view.phase}`),
    project: view.project
      ? {
          ref: view.project.ref,
          title: view.project.title,
          institution: view.project.institution,
          track: localized(view.project.track.name, locale),
          outOfCompetition: view.project.outOfCompetition,
        }
      : null,
    timer: timer
      ? {
          label: timer.running ? t(`audience.timer.${timer.kind}`) : t('audience.timer.paused'),
          text: formatClock(timer.remainingMs),
          state: timer.remainingMs <= 0 ? 'is-over' : timer.remainingMs < 60_000 ? 'is-low' : '',
        }
      : null,
    scoring: view.scoring ? t('audience.scoring.count', view.scoring) : null,
  };
}

/** The board tabs (each track, then overall) and the rows of the selected one. */
export function boardModel(
  board: LeaderboardSnapshot | null,
  wanted: string | undefined,
  locale: Locale,
  t: Translate,
) {
  if (!board) return { available: false, tabs: [], rows: [], message: t('audience.board.unavailable') };
  const scopes = [...board.tracks, board.overall];
  const selected = scopes.find((s) => s.key === wanted) ?? scopes[0]!;
  const rows = board.scoresShown
    ? selected.rows.map((r) => ({
        rank: r.rank ?? (r.outOfCompetition ? '☆' : '–'),
        title: r.title,
        institution: r.institution,
        score: r.display ?? '—',
        outOfCompetition: r.outOfCompetition,
        zone: r.prizeZone ? { level: Math.min(r.prizeZone.level, 4), name: localized(r.prizeZone.name, locale) } : null,
        up: r.delta && r.delta > 0 ? r.delta : null,
        down: r.delta && r.delta < 0 ? -r.delta : null,
      }))
    : [];
  const message = !board.scoresShown
    ? t(board.frozen ? 'audience.board.frozen' : 'audience.board.hidden')
    : rows.every((r) => r.score === '—')
      ? t('audience.board.empty')
      : null;
  return {
    available: true,
    round: board.round ? localized(board.round.name, locale) : null,
    frozen: board.frozen && board.scoresShown ? t('audience.board.frozen') : null,
    tabs: scopes.map((s) => ({
      key: s.key,
      label: s.key === 'overall' ? t('audience.board.overall') : localized(s.name, locale),
      current: s.key === selected.key,
    })),
    selected: selected.key,
    rows: message && !rows.length ? [] : rows,
    message,
  };
}

/** The vote card: hidden when no vote was ever opened; counts only once released. */
export function voteModel(state: PublicVoteState, locale: Locale, t: Translate) {
  const byId = new Map(state.ballot.map((b) => [b.projectId, b]));
  const votedFor = state.voted ? byId.get(state.voted.projectId) : undefined;
  // By track (in the order tracks first appear), running order within a track.
  const groups = new Map<
    string,
    { name: string; entries: { projectId: number; title: string; institution: string }[] }
  >();
  for (const b of state.ballot) {
    const group = groups.get(b.track.key) ?? { name: localized(b.track.name, locale), entries: [] };
    group.entries.push({ projectId: b.projectId, title: b.title, institution: b.institution });
    groups.set(b.track.key, group);
  }
  const total = (state.results ?? []).reduce((s, r) => s + r.votes, 0);
  return {
    visible: state.status !== 'none',
    status: state.status,
    round: state.round ? localized(state.round.name, locale) : '',
    canVote: state.status === 'open' && !state.voted,
    voted: Boolean(state.voted),
    votedText: votedFor ? t('audience.vote.votedFor', { title: votedFor.title }) : t('audience.vote.voted'),
    groups: [...groups.values()],
    results: state.results
      ? state.results.map((r) => ({
          title: byId.get(r.projectId)?.title ?? r.ref,
          votes: r.votes,
          votesText: r.votes === 1 ? t('audience.vote.voteOne') : t('audience.vote.votes', { n: r.votes }),
          max: Math.max(total, 1),
        }))
      : null,
  };
}

/** The running order of the round on stage (else the first drawn roadshow round). */
async function scheduleModel(deps: RouterDeps, slug: string, stage: StageView, locale: Locale) {
  const { rounds } = await deps.services.schedule.publicView(slug);
  const round =
    rounds.find((r) => r.round.id === stage.roundId && r.drawn) ?? rounds.find((r) => r.drawn) ?? rounds[0] ?? null;
  if (!round || !round.drawn) return { round: round ? localized(round.round.name, locale) : null, rows: [] };
  return {
    round: localized(round.round.name, locale),
    date: round.date,
    rows: round.groups.flatMap((g) =>
      g.entries.map((e) => ({
        no: e.overall,
        ref: e.project.ref,
        time: e.slot?.start.time ?? '',
        title: e.project.title,
        institution: e.project.institution,
        track: localized(e.project.trackName, locale),
        current: stage.project?.ref === e.project.ref,
      })),
    ),
  };
}

export function livePageRouter(deps: RouterDeps): Router {
  const { services, views, config } = deps;
  const router = Router();

  async function contestOf(slug: string) {
    const contest = (await services.contests.list()).find((c) => c.slug === slug);
    if (!contest || contest.status === 'draft') throw new AppError('contest-not-found', { slug });
    return contest;
  }

  async function render(req: Request, res: Response, extra: { status?: number; voteError?: string } = {}) {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const contest = await contestOf(slug);
    ensureDevice(config, req, res);
    const [stage, board, vote] = await Promise.all([
      services.stage.view(slug),
      services.leaderboard.snapshot(slug).catch(() => null),
      services.votes.publicState(slug, deviceHashOf(config, req)),
    ]);
    const schedule = await scheduleModel(deps, slug, stage, locale);
    const wantedTrack = typeof req.query.track === 'string' ? req.query.track : stage.project?.track.key;
    const name = localized(contest.name as Name, locale);
    renderPage(
      views,
      res,
      'live/show',
      {
        title: `${t('audience.title')} · ${name}`,
        styles: [LIVE_PAGE_CSS],
        scripts: [LIVE_PAGE_JS],
        contestName: name,
        slug,
        slugParam: encodeURIComponent(slug),
        stage: stageModel(stage, t, locale),
        board: boardModel(board, wantedTrack, locale, t),
        vote: voteModel(vote, locale, t),
        voteError: extra.voteError,
        schedule,
        scheduleHref: `/contests/${encodeURIComponent(slug)}/schedule`,
        stageJson: JSON.stringify(stage),
        boardJson: board ? JSON.stringify(board) : '',
        voteJson: JSON.stringify(vote),
        i18nJson: clientMessages(t),
        audienceUrl: config.audience?.url,
      },
      { layout: 'public', status: extra.status ?? 200 },
    );
  }

  router.get('/live/:slug', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    await render(req, res);
  });

  /** The form fallback of the vote (no JavaScript): the same rules as the JSON API. */
  router.post('/live/:slug/vote', async (req, res) => {
    const slug = String(req.params.slug);
    await contestOf(slug);
    try {
      await checkVoteRate(services, req, res);
      const voter = voterOf(config, req);
      await services.votes.cast(slug, voter, {
        projectId: (req.body as Record<string, unknown> | undefined)?.projectId,
      });
      if (req.session) req.session.flash = 'audience.vote.thanks';
      res.redirect(303, `/live/${encodeURIComponent(slug)}#vote`);
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'contest-not-found') throw err;
      const message =
        err.code === 'validation-failed'
          ? res.locals.t('audience.vote.choose')
          : res.locals.t(`error.${err.code}`, err.params);
      await render(req, res, { status: err.status, voteError: message });
    }
  });

  // Built now, not inside a request: the device keys (fails fast on a bad secret) and the
  // vote rate limiter shared with the JSON route.
  identityOf(config);
  voteLimiter(services);
  return router;
}
