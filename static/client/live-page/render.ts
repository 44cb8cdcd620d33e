/**
 * Renders the audience phone page's sections from their state, with the same markup the server
 * renders for the first paint (views/pages/live/show.hbs, http/public/live.router.ts). Text is
 * always set as text; state is classes and `hidden` (the CSP allows no inline styles). Nothing is
 * computed here that the server did not send: the board is the server's projection.
 */
import type { LeaderboardSnapshot, StageView } from '../../../server/realtime/contract.js';
import type { PublicVoteState } from '../../../server/services/vote.service.js';
import { byId, fill, h, type Translate } from '../live/dom.js';

export interface Ctx {
  t: Translate;
  locale: string;
  slug: string;
  csrf: string;
}

type Name = { zh: string; en: string };
export const loc = (ctx: Ctx, name: Name) => (ctx.locale === 'en' && name.en ? name.en : name.zh);

/** mm:ss, rounding up (a clock showing 00:00 has run out). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Now presenting

export function renderStage(view: StageView, ctx: Ctx): void {
  const { t } = ctx;
  const phase = byId('lp-phase');
  if (phase) {
    phase.className = `lp-phase phase-${view.phase}`;
    phase.textContent = t(`audience.phase.${view.phase}`);
  }
  const p = view.project;
  fill(
    byId('lp-project'),
    p
      ? [
          h(
            'p',
            { class: 'lp-project-track' },
            loc(ctx, p.track.name),
            p.outOfCompetition ? ` · ${t('audience.outOfCompetition')}` : null,
          ),
          h('p', { class: 'lp-project-title' }, p.title),
          h('p', { class: 'lp-project-sub' }, p.institution),
        ]
      : [
          h('p', { class: 'lp-project-title is-empty' }, t('audience.now.nobody')),
          h('p', { class: 'lp-project-sub' }, t('audience.now.nobodyHint')),
        ],
  );
  const box = byId('lp-timer-box');
  if (box) box.hidden = !view.timer;
  const label = byId('lp-timer-label');
  if (label && view.timer)
    label.textContent = view.timer.running ? t(`audience.timer.${view.timer.kind}`) : t('audience.timer.paused');
  const scoring = byId('lp-scoring');
  if (scoring) {
    scoring.hidden = !view.scoring;
    scoring.textContent = view.scoring ? t('audience.scoring.count', view.scoring) : '';
  }
}

/** Updates the timer digits: `remaining` already corrected for the time since the push. */
export function renderTimer(remainingMs: number | null): void {
  const el = byId('lp-timer');
  if (!el) return;
  if (remainingMs === null) {
    el.textContent = '--:--';
    el.className = 'lp-timer';
    return;
  }
  el.textContent = formatClock(remainingMs);
  el.className = `lp-timer${remainingMs <= 0 ? ' is-over' : remainingMs < 60_000 ? ' is-low' : ''}`;
}

/** Marks the project on stage in the running order. */
export function markOnStage(ref: string | null): void {
  for (const row of document.querySelectorAll<HTMLElement>('#lp-order .lp-order-row')) {
    const current = ref !== null && row.dataset.ref === ref;
    row.classList.toggle('is-current', current);
    const badge = row.querySelector<HTMLElement>('[data-on-stage]');
    if (badge) badge.hidden = !current;
  }
}

// ---------------------------------------------------------------------------------------------
// Leaderboard

/** Renders the board; returns the scope shown (the wanted one when it exists). */
export function renderBoard(board: LeaderboardSnapshot | null, wanted: string, ctx: Ctx): string {
  const { t } = ctx;
  const body = byId('lp-board-body');
  if (!board) {
    fill(body, h('p', { class: 'lp-muted lp-board-message' }, t('audience.board.unavailable')));
    return wanted;
  }
  const scopes = [...board.tracks, board.overall];
  const selected = scopes.find((s) => s.key === wanted) ?? scopes[0]!;
  const round = byId('lp-board-round');
  if (round) round.textContent = board.round ? loc(ctx, board.round.name) : '';
  fill(
    byId('lp-board-tabs'),
    scopes.map((s) =>
      h(
        'a',
        {
          href: `?track=${encodeURIComponent(s.key)}#board`,
          'data-track': s.key,
          'aria-current': s.key === selected.key ? 'true' : null,
        },
        s.key === 'overall' ? t('audience.board.overall') : loc(ctx, s.name),
      ),
    ),
  );
  const note = byId('lp-board-note');
  if (note) {
    note.hidden = !(board.frozen && board.scoresShown);
    note.textContent = t('audience.board.frozen');
  }
  const rows = board.scoresShown ? selected.rows : [];
  const message = !board.scoresShown
    ? t(board.frozen ? 'audience.board.frozen' : 'audience.board.hidden')
    : rows.every((r) => r.display === null)
      ? t('audience.board.empty')
      : null;
  fill(
    body,
    message ? h('p', { class: 'lp-muted lp-board-message' }, message) : null,
    rows.length
      ? h(
          'ol',
          { class: 'lp-rows' },
          rows.map((r) => {
            const zone = r.prizeZone ? Math.min(r.prizeZone.level, 4) : null;
            const delta = r.delta ?? 0;
            return h(
              'li',
              { class: `lp-row${zone ? ` zone-${zone}` : ''}` },
              h('span', { class: 'lp-rank' }, r.rank ?? (r.outOfCompetition ? '☆' : '–')),
              h(
                'span',
                { class: 'lp-row-main' },
                h('span', { class: 'lp-row-title' }, r.title),
                h(
                  'span',
                  { class: 'lp-row-sub' },
                  r.institution,
                  r.prizeZone ? [' · ', h('span', { class: 'lp-zone' }, loc(ctx, r.prizeZone.name))] : null,
                ),
              ),
              h(
                'span',
                { class: 'lp-score' },
                r.display ?? '—',
                delta > 0
                  ? h(
                      'span',
                      { class: 'lp-move is-up' },
                      h('span', { 'aria-hidden': 'true' }, `▲${delta}`),
                      h('span', { class: 'visually-hidden' }, t('audience.board.up', { n: delta })),
                    )
                  : null,
                delta < 0
                  ? h(
                      'span',
                      { class: 'lp-move is-down' },
                      h('span', { 'aria-hidden': 'true' }, `▼${-delta}`),
                      h('span', { class: 'visually-hidden' }, t('audience.board.down', { n: -delta })),
                    )
                  : null,
              ),
            );
          }),
        )
      : null,
  );
  return selected.key;
}

// ---------------------------------------------------------------------------------------------
// Vote

/** What decides the vote card's markup: re-rendering only when it changes keeps a selection. */
export function voteShape(state: PublicVoteState): string {
  return JSON.stringify([
    state.status,
    state.round?.key ?? null,
    state.voted?.projectId ?? null,
    state.released,
    state.results ?? null,
    state.ballot.map((b) => b.projectId),
  ]);
}

export function renderVote(state: PublicVoteState, ctx: Ctx): void {
  const { t } = ctx;
  const visible = state.status !== 'none';
  const section = byId('vote');
  if (section) section.hidden = !visible;
  const nav = byId('lp-nav-vote');
  if (nav) nav.hidden = !visible;
  const round = byId('lp-vote-round');
  if (round) round.textContent = state.round ? loc(ctx, state.round.name) : '';
  const byProject = new Map(state.ballot.map((b) => [b.projectId, b]));
  const body = byId('lp-vote-body');
  if (state.results) {
    const total = Math.max(
      1,
      state.results.reduce((s, r) => s + r.votes, 0),
    );
    fill(
      body,
      h('h3', { class: 'lp-subhead' }, t('audience.vote.results')),
      h(
        'ol',
        { class: 'lp-results' },
        state.results.map((r) => {
          const title = byProject.get(r.projectId)?.title ?? r.ref;
          const votes = r.votes === 1 ? t('audience.vote.voteOne') : t('audience.vote.votes', { n: r.votes });
          return h(
            'li',
            { class: 'lp-result' },
            h('span', { class: 'lp-result-title' }, title),
            h('span', { class: 'lp-result-votes' }, votes),
            h('progress', { class: 'lp-result-bar', max: total, value: r.votes, 'aria-label': `${title}: ${votes}` }),
          );
        }),
      ),
    );
    return;
  }
  if (state.status === 'open' && !state.voted) {
    // By track (in the order tracks first appear), running order within a track.
    const byTrack = new Map<string, { name: string; entries: typeof state.ballot }>();
    for (const b of state.ballot) {
      const group = byTrack.get(b.track.key) ?? { name: loc(ctx, b.track.name), entries: [] };
      group.entries.push(b);
      byTrack.set(b.track.key, group);
    }
    const groups = [...byTrack.values()];
    fill(
      body,
      h('p', { class: 'lp-muted' }, t('audience.vote.intro')),
      h(
        'form',
        {
          id: 'lp-vote-form',
          class: 'lp-vote-form',
          method: 'post',
          action: `/live/${encodeURIComponent(ctx.slug)}/vote`,
        },
        h('input', { type: 'hidden', name: '_csrf', value: ctx.csrf }),
        h(
          'fieldset',
          { class: 'lp-ballot' },
          h('legend', { class: 'visually-hidden' }, t('audience.vote.choose')),
          groups.flatMap((g) => [
            h('p', { class: 'lp-ballot-track' }, g.name),
            ...g.entries.map((b) =>
              h(
                'label',
                { class: 'lp-choice' },
                h('input', { type: 'radio', name: 'projectId', value: b.projectId, required: true }),
                h(
                  'span',
                  { class: 'lp-choice-text' },
                  h('span', { class: 'lp-choice-title' }, b.title),
                  h('span', { class: 'lp-choice-sub' }, b.institution),
                ),
              ),
            ),
          ]),
        ),
        h(
          'div',
          { class: 'lp-vote-bar' },
          h(
            'button',
            { type: 'submit', id: 'lp-vote-submit', class: 'primary lp-vote-button' },
            t('audience.vote.submit'),
          ),
        ),
      ),
    );
    return;
  }
  if (state.voted) {
    const title = byProject.get(state.voted.projectId)?.title;
    fill(
      body,
      h(
        'p',
        { class: 'lp-voted', role: 'status' },
        h('span', { class: 'lp-check', 'aria-hidden': 'true' }, '✓'),
        ' ',
        title ? t('audience.vote.votedFor', { title }) : t('audience.vote.voted'),
      ),
      h('p', { class: 'lp-muted' }, state.status === 'open' ? t('audience.vote.votedHint') : t('audience.vote.closed')),
      h(
        'button',
        { type: 'button', class: 'lp-vote-button is-voted', disabled: true },
        `${t('audience.vote.voted')} ✓`,
      ),
    );
    return;
  }
  fill(body, h('p', { class: 'lp-muted' }, t('audience.vote.closed')));
}

/** Shows (or clears) the vote card's error line. */
export function voteError(message: string | null): void {
  const el = byId('lp-vote-error');
  if (!el) return;
  el.hidden = !message;
  el.textContent = message ?? '';
}
