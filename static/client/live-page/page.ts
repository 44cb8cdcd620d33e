/**
 * The audience phone page: keeps the first paint live. The stage and the leaderboard come from
 * the /screen socket; on (re)connect and when the phone wakes up the page refetches the
 * leaderboard (ETag = revision, usually a 304) and the vote state. The vote state has no push of
 * its own: a push with a newer contest revision schedules a refetch, spread over a few seconds so
 * a hall of phones does not ask at once. Voting posts JSON with the session's CSRF token; without
 * JavaScript the same form posts to /live/:slug/vote.
 */
import type { LeaderboardSnapshot, StageView } from '../../../server/realtime/contract.js';
import type { PublicVoteState } from '../../../server/services/vote.service.js';
import { api } from '../live/api.js';
import { byId, dataJson, screenNamespaceUrl, translator } from '../live/dom.js';
import { watchAudience } from './feed.js';
import {
  markOnStage,
  renderBoard,
  renderStage,
  renderTimer,
  renderVote,
  voteError,
  voteShape,
  type Ctx,
} from './render.js';

const VOTE_REFRESH_MIN_MS = 5000;
const VOTE_REFRESH_SPREAD_MS = 2000;

export function startLivePage(app: HTMLElement): void {
  const ctx: Ctx = {
    t: translator(app),
    locale: app.dataset.locale ?? 'zh-CN',
    slug: app.dataset.slug ?? '',
    csrf: app.dataset.csrfToken ?? '',
  };
  const { t } = ctx;
  const base = `/api/v1/contests/${encodeURIComponent(ctx.slug)}`;

  let stage = dataJson<StageView>(app, 'stage');
  let stageAt = performance.now();
  let board = dataJson<LeaderboardSnapshot>(app, 'board');
  let vote = dataJson<PublicVoteState>(app, 'vote');
  let shape = vote ? voteShape(vote) : '';
  const fromQuery = new URLSearchParams(location.search).get('track');
  let track = fromQuery ?? stage?.project?.track.key ?? board?.tracks[0]?.key ?? 'overall';
  let trackPicked = fromQuery !== null;
  let busy = false;

  // -------------------------------------------------------------------------------------------
  // Stage and timer

  function remaining(): number | null {
    const timer = stage?.timer;
    if (!timer) return null;
    return timer.running ? timer.remainingMs - (performance.now() - stageAt) : timer.remainingMs;
  }

  function onStage(view: StageView): void {
    if (stage && view.revision < stage.revision) return;
    const trackBefore = stage?.project?.track.key;
    stage = view;
    stageAt = performance.now();
    renderStage(view, ctx);
    renderTimer(remaining());
    markOnStage(view.project?.ref ?? null);
    const trackNow = view.project?.track.key;
    if (!trackPicked && trackNow && trackNow !== trackBefore) {
      track = trackNow;
      if (board) track = renderBoard(board, track, ctx);
    }
    if (!vote || view.revision > vote.revision) scheduleVoteRefresh();
  }

  setInterval(() => renderTimer(remaining()), 250);

  // -------------------------------------------------------------------------------------------
  // Leaderboard

  function onBoard(next: LeaderboardSnapshot): void {
    if (board && next.revision < board.revision) return;
    board = next;
    track = renderBoard(board, track, ctx);
  }

  async function fetchBoard(): Promise<void> {
    try {
      const res = await fetch(`${base}/leaderboard`, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { accept: 'application/json', ...(board ? { 'if-none-match': `"${board.revision}"` } : {}) },
      });
      if (res.status === 200) onBoard((await res.json()) as LeaderboardSnapshot);
    } catch {
      // Offline: the socket's reconnect brings the next resync.
    }
  }

  byId('lp-board-tabs')?.addEventListener('click', (event) => {
    const link = (event.target as Element).closest<HTMLAnchorElement>('a[data-track]');
    if (!link) return;
    event.preventDefault();
    trackPicked = true;
    track = link.dataset.track ?? track;
    if (board) track = renderBoard(board, track, ctx);
    const url = new URL(location.href);
    url.searchParams.set('track', track);
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  });

  // -------------------------------------------------------------------------------------------
  // Vote

  function onVote(next: PublicVoteState): void {
    if (vote && next.revision < vote.revision) return;
    vote = next;
    const nextShape = voteShape(next);
    if (nextShape === shape) return;
    shape = nextShape;
    renderVote(next, ctx);
  }

  let lastVoteFetch = 0;
  let voteTimer: number | null = null;

  async function fetchVote(): Promise<void> {
    lastVoteFetch = Date.now();
    const res = await api<PublicVoteState>('GET', `${base}/votes`, ctx.csrf);
    if (res.ok) onVote(res.data);
  }

  function scheduleVoteRefresh(): void {
    if (voteTimer !== null) return;
    const wait = Math.max(0, lastVoteFetch + VOTE_REFRESH_MIN_MS - Date.now()) + Math.random() * VOTE_REFRESH_SPREAD_MS;
    voteTimer = window.setTimeout(() => {
      voteTimer = null;
      void fetchVote();
    }, wait);
  }

  const voteBody = byId('lp-vote-body');
  voteBody?.addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement;
    if (input.name !== 'projectId') return;
    const title = input.closest('label')?.querySelector('.lp-choice-title')?.textContent ?? '';
    const button = byId<HTMLButtonElement>('lp-vote-submit');
    if (button) button.textContent = t('audience.vote.submitFor', { title });
    voteError(null);
  });

  voteBody?.addEventListener('submit', (event) => {
    const form = event.target as HTMLFormElement;
    if (form.id !== 'lp-vote-form') return;
    event.preventDefault();
    if (busy) return;
    const checked = form.querySelector<HTMLInputElement>('input[name="projectId"]:checked');
    if (!checked) {
      voteError(t('audience.vote.choose'));
      return;
    }
    void cast(Number(checked.value));
  });

  async function cast(projectId: number): Promise<void> {
    const button = byId<HTMLButtonElement>('lp-vote-submit');
    const label = button?.textContent ?? '';
    busy = true;
    if (button) {
      button.disabled = true;
      button.textContent = t('audience.vote.sending');
    }
    const res = await api<{ state: PublicVoteState }>(
      'POST',
      `${base}/votes`,
      ctx.csrf,
      { projectId },
      t('audience.vote.network'),
    );
    busy = false;
    if (res.ok) {
      voteError(null);
      onVote(res.data.state);
      byId('vote')?.scrollIntoView({ block: 'nearest' });
      return;
    }
    voteError(res.message);
    if (res.code === 'already-voted' || res.code === 'vote-closed' || res.code === 'not-on-ballot') {
      await fetchVote();
      return;
    }
    if (button) {
      button.disabled = false;
      button.textContent = label;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Feed and resync

  const conn = byId('lp-conn');
  function status(state: 'online' | 'offline'): void {
    if (!conn) return;
    conn.textContent = t(`audience.conn.${state}`);
    conn.classList.toggle('is-online', state === 'online');
    conn.classList.toggle('is-offline', state === 'offline');
    conn.classList.remove('is-connecting');
  }

  function resync(): void {
    void fetchBoard();
    void fetchVote();
  }

  const feed = watchAudience(screenNamespaceUrl(app), ctx.slug, {
    stage: onStage,
    leaderboard: onBoard,
    resync,
    status,
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    feed.rewatch();
    resync();
  });
}
