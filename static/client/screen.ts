/**
 * The big screen `/screen/:slug`: renders the state the server decided (ScreenView.shows) —
 * idle, now presenting with the countdown, scoring progress, the score reveal, the leaderboard
 * (per track and overall, rotating when the host picked no track; frozen and hidden boards say
 * so), the ceremony — from the JSON of the first paint, then follows the public /screen socket.
 * Every payload carries the contest revision: stale pushes are ignored; a missed push or a
 * reconnect without recovery refetches the snapshots over HTTP (sync.ts). No inline styles:
 * classes, `hidden`, CSS custom properties and the Web Animations API only.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  CeremonyView,
  LeaderboardSnapshot,
  Pushed,
  ScreenClientEvents,
  ScreenServerEvents,
  ScreenView,
  StageView,
} from '../../server/realtime/contract.js';
import { judgeLabel, type AudienceTrack } from '../../server/domain/release.js';
import { byId, dataJson, fill, h, screenNamespaceUrl, translator, type Translate } from './live/dom.js';
import { BoardView } from './screen/board.js';
import { fetchIfChanged, Held } from './screen/sync.js';

const ROTATE_MS = 12_000;
const OFFLINE_BANNER_MS = 2_500;
const STATES = ['idle', 'presenting', 'scoring', 'reveal', 'leaderboard', 'ceremony'] as const;

type Shows = (typeof STATES)[number];

function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

function start(app: HTMLElement): void {
  const t: Translate = translator(app);
  const slug = app.dataset.slug ?? '';
  const locale = app.dataset.locale ?? 'zh-CN';
  const loc = (name: { zh: string; en: string } | null | undefined) =>
    name ? (locale === 'en' && name.en ? name.en : name.zh) : '';
  const api = `/api/v1/contests/${encodeURIComponent(slug)}`;

  const stage = new Held<StageView>(dataJson<StageView>(app, 'stage')!);
  const board = new Held<LeaderboardSnapshot>(dataJson<LeaderboardSnapshot>(app, 'board')!);
  const screen = new Held<ScreenView>(dataJson<ScreenView>(app, 'screen')!);
  const ceremony = new Held<CeremonyView>(dataJson<CeremonyView>(app, 'ceremony')!);
  let stageReceivedAt = performance.now();

  const sections = Object.fromEntries(STATES.map((s) => [s, byId(`sc-${s}`)!])) as Record<Shows, HTMLElement>;
  const boardView = new BoardView(
    byId<HTMLOListElement>('lb-rows')!,
    byId<HTMLTemplateElement>('lb-row-template')!,
    byId('lb-more')!,
    t,
  );
  let rotateIndex = 0;
  let rotateTimer: number | null = null;
  let shown: Shows | null = null;

  // ---------------------------------------------------------------------------------------------
  // Header

  function renderHead(): void {
    const b = board.value;
    fill(byId('sc-round'), b.round ? loc(b.round.name) : '');
    const policy = byId('sc-policy')!;
    policy.hidden = !b.round;
    policy.textContent = t(`screen.policy.${b.policy}`);
    policy.className = `sc-policy policy-${b.policy}`;
  }

  // ---------------------------------------------------------------------------------------------
  // Now presenting

  function fitTitle(el: HTMLElement | null, text: string): void {
    if (!el) return;
    el.textContent = text;
    el.classList.toggle('is-long', text.length > 22);
    el.classList.toggle('is-very-long', text.length > 40);
  }

  function renderPresenting(): void {
    const v = stage.value;
    const p = v.project;
    fitTitle(byId('pr-title'), p ? p.title : t('screen.presenting.nobody'));
    fill(byId('pr-inst'), p?.institution ?? '');
    const track = byId('pr-track')!;
    track.textContent = p ? loc(p.track.name) : '';
    track.hidden = !p;
    byId('pr-ooc')!.hidden = !p?.outOfCompetition;
    const team = screen.value.team && p && screen.value.team.projectId === p.id ? screen.value.team : null;
    const teamEl = byId('pr-team')!;
    fill(
      teamEl,
      team
        ? [
            h('span', { class: 'team-label' }, t('screen.presenting.leader')),
            h('span', { class: 'team-name' }, team.leaderName),
            team.members.length ? h('span', { class: 'team-label' }, t('screen.presenting.team')) : null,
            team.members.length
              ? h('span', { class: 'team-members' }, team.members.slice(0, 6).join(locale === 'en' ? ', ' : '、'))
              : null,
          ]
        : [],
    );
    teamEl.hidden = !team;
    const next = screen.value.next;
    const nextEl = byId('pr-next')!;
    nextEl.hidden = !next || !p;
    fill(nextEl, next ? [h('span', { class: 'next-label' }, t('screen.presenting.next')), ` ${next.title}`] : []);
    tick();
  }

  /** The countdown: remaining time from the stage's server time, corrected for time since receipt. */
  function tick(): void {
    const v = stage.value;
    const timerEl = byId('pr-timer');
    const kindEl = byId('pr-timer-kind');
    const box = byId('pr-timer-box');
    if (!timerEl || !kindEl || !box) return;
    box.classList.remove('is-warning', 'is-over', 'is-paused', 'is-idle');
    if (!v.timer) {
      timerEl.textContent = v.round ? clock((v.round.pitchSeconds ?? 0) * 1000) : '--:--';
      kindEl.textContent = t('screen.timer.waiting');
      box.classList.add('is-idle');
      return;
    }
    const elapsed = v.timer.running ? performance.now() - stageReceivedAt : 0;
    const remaining = Math.max(0, v.timer.remainingMs - elapsed);
    timerEl.textContent = clock(remaining);
    const kind = t(v.timer.kind === 'pitch' ? 'screen.timer.pitch' : 'screen.timer.qa');
    if (remaining <= 0) {
      kindEl.textContent = `${kind} · ${t('screen.timer.over')}`;
      box.classList.add('is-over');
    } else if (!v.timer.running) {
      kindEl.textContent = `${kind} · ${t('screen.timer.paused')}`;
      box.classList.add('is-paused');
    } else {
      kindEl.textContent = kind;
      if (remaining <= 60_000) box.classList.add('is-warning');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Scoring

  function renderScoring(): void {
    const v = stage.value;
    fitTitle(byId('sg-title'), v.project?.title ?? '');
    fill(byId('sg-inst'), v.project?.institution ?? '');
    const s = v.scoring;
    fill(
      byId('sg-label'),
      v.phase === 'closed' ? t('screen.scoring.closed') : s ? t('screen.scoring.label') : t('screen.scoring.waiting'),
    );
    fill(byId('sg-submitted'), s ? s.submitted : 0);
    fill(byId('sg-eligible'), s ? s.eligible : 0);
    const dots = byId('sg-dots')!;
    const n = s?.eligible ?? 0;
    if (dots.childElementCount !== n)
      fill(
        dots,
        Array.from({ length: n }, () => h('li', { class: 'sg-dot' })),
      );
    [...dots.children].forEach((d, i) => d.classList.toggle('is-in', i < (s?.submitted ?? 0)));
    sections.scoring.classList.toggle('is-closed', v.phase === 'closed');
    sections.scoring.classList.toggle('is-complete', !!s && s.eligible > 0 && s.submitted >= s.eligible);
  }

  // ---------------------------------------------------------------------------------------------
  // Score reveal

  function renderReveal(): void {
    const r = screen.value.reveal;
    const empty = byId('rv-empty')!;
    const list = byId('rv-judges')!;
    const final = byId('rv-final')!;
    const trackName = (key: string) => loc(board.value.tracks.find((x) => x.key === key)?.name) || '';
    if (!r) {
      fitTitle(byId('rv-title'), stage.value.project?.title ?? '');
      fill(byId('rv-inst'), stage.value.project?.institution ?? '');
      byId('rv-track')!.hidden = true;
      list.replaceChildren();
      final.hidden = true;
      empty.hidden = false;
      empty.textContent =
        screen.value.policy === 'hidden' || screen.value.policy === 'frozen'
          ? t('screen.reveal.hidden')
          : t('screen.reveal.waiting');
      return;
    }
    empty.hidden = true;
    fitTitle(byId('rv-title'), r.title);
    fill(byId('rv-inst'), r.institution);
    const track = byId('rv-track')!;
    track.textContent = trackName(r.trackKey);
    track.hidden = !track.textContent;
    const cols = r.count <= 6 ? Math.max(r.count, 3) : r.count <= 14 ? Math.ceil(r.count / 2) : 8;
    list.style.setProperty('--cols', String(cols));
    list.classList.toggle('is-many', cols > 6);
    const cards: HTMLElement[] = [];
    for (let i = 0; i < r.count; i++) {
      const j = r.judges[i];
      if (!j) {
        cards.push(
          h(
            'li',
            { class: 'rv-judge is-waiting' },
            h('span', { class: 'rv-who' }, r.named ? '·' : t('screen.reveal.judge', { label: judgeLabel(i) })),
            h('span', { class: 'rv-total' }, '?'),
          ),
        );
        continue;
      }
      const cls = ['rv-judge', 'is-shown', j.dropped ? `is-dropped is-${j.dropped}` : ''].join(' ');
      cards.push(
        h(
          'li',
          { class: cls, 'data-label': j.label },
          h('span', { class: 'rv-who' }, j.name ?? t('screen.reveal.judge', { label: j.label })),
          h('span', { class: 'rv-total' }, j.total),
          j.dropped
            ? h(
                'span',
                { class: 'rv-drop' },
                t(j.dropped === 'high' ? 'screen.reveal.dropped.high' : 'screen.reveal.dropped.low'),
              )
            : null,
        ),
      );
    }
    const previous = list.querySelectorAll('.rv-judge.is-shown').length;
    list.replaceChildren(...cards);
    const newest = list.querySelectorAll<HTMLElement>('.rv-judge.is-shown')[r.judges.length - 1];
    if (newest && r.judges.length > previous && typeof newest.animate === 'function')
      newest.animate(
        [
          { transform: 'scale(1.25)', opacity: 0 },
          { transform: 'scale(1)', opacity: 1 },
        ],
        {
          duration: 600,
          easing: 'cubic-bezier(0.2, 0.8, 0.2, 1)',
        },
      );
    const wasHidden = final.hidden;
    final.hidden = !r.final;
    if (r.final) {
      fill(byId('rv-final-score'), r.final.display);
      fill(byId('rv-final-method'), t(r.final.trimmed ? 'screen.reveal.method.trimmed' : 'screen.reveal.method.mean'));
      if (wasHidden && typeof final.animate === 'function')
        final.animate(
          [
            { transform: 'scale(0.6)', opacity: 0 },
            { transform: 'scale(1)', opacity: 1 },
          ],
          {
            duration: 800,
            easing: 'cubic-bezier(0.2, 0.8, 0.2, 1)',
          },
        );
    }
    sections.reveal.classList.toggle('has-final', !!r.final);
  }

  // ---------------------------------------------------------------------------------------------
  // Leaderboard

  /** The boards the screen shows in turn: the chosen one, or every non-empty track and overall. */
  function boards(): AudienceTrack[] {
    const b = board.value;
    const chosen = screen.value.leaderboardTrack;
    if (chosen === 'overall') return [b.overall];
    const track = b.tracks.find((x) => x.key === chosen);
    if (track) return [track];
    const tracks = b.tracks.filter((x) => x.rows.length > 0);
    return tracks.length > 1 ? [...tracks, b.overall] : tracks.length ? tracks : [b.overall];
  }

  function renderLeaderboard(): void {
    const b = board.value;
    const list = boards();
    const current = list[rotateIndex % list.length] ?? b.overall;
    fill(byId('lb-title'), current.key === 'overall' ? t('screen.board.overall') : loc(current.name));
    const note = byId('lb-note')!;
    note.className = `lb-note policy-${b.policy}`;
    if (b.policy === 'hidden') note.textContent = t('screen.board.hiddenNote');
    else if (b.frozen)
      note.textContent = b.frozenAt
        ? t('screen.board.frozenNote', {
            time: new Date(b.frozenAt).toLocaleTimeString(locale, {
              hour: '2-digit',
              minute: '2-digit',
              hour12: false,
            }),
          })
        : t('screen.board.frozenNoteNoTime');
    else if (b.policy === 'revealed') note.textContent = t('screen.board.revealedNote');
    else note.textContent = '';
    note.hidden = !note.textContent;
    sections.leaderboard.classList.toggle('is-frozen', b.frozen);
    sections.leaderboard.classList.toggle('is-hidden-policy', !b.scoresShown);
    boardView.render(current, { scoresShown: b.scoresShown, locale });
    scheduleRotation(list.length);
  }

  function scheduleRotation(count: number): void {
    if (rotateTimer !== null) window.clearTimeout(rotateTimer);
    rotateTimer = null;
    if (count <= 1 || shown !== 'leaderboard') return;
    rotateTimer = window.setTimeout(() => {
      rotateIndex = (rotateIndex + 1) % count;
      renderLeaderboard();
    }, ROTATE_MS);
  }

  // ---------------------------------------------------------------------------------------------
  // Ceremony

  function renderCeremony(): void {
    const c = ceremony.value;
    const step = c.current;
    byId('cm-title-card')!.hidden = !!step;
    byId('cm-step')!.hidden = !step;
    fill(byId('cm-progress'), c.total ? t('screen.ceremony.progress', { step: c.step, total: c.total }) : '');
    if (!step) return;
    const tier = byId('cm-tier')!;
    tier.textContent = loc(step.tier.name);
    tier.className = `cm-tier level-${step.audience ? 'audience' : Math.min(step.level, 4)}`;
    const trackText = [
      step.track ? loc(step.track.name) : step.audience ? t('screen.ceremony.audience') : '',
      step.pages > 1 ? t('screen.ceremony.page', { page: step.page, pages: step.pages }) : '',
    ]
      .filter(Boolean)
      .join(' ');
    fill(byId('cm-track'), trackText);
    const winners = byId('cm-winners')!;
    winners.className = `cm-winners count-${Math.min(step.winners.length, 9)}`;
    fill(
      winners,
      step.winners.map((w) =>
        h(
          'li',
          { class: 'cm-winner' },
          h('span', { class: 'cm-title' }, w.title),
          h('span', { class: 'cm-inst' }, w.institution),
          w.leaderName ? h('span', { class: 'cm-leader' }, w.leaderName) : null,
        ),
      ),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Which state

  function render(): void {
    const next = (STATES as readonly string[]).includes(screen.value.shows) ? (screen.value.shows as Shows) : 'idle';
    if (next !== shown) {
      for (const s of STATES) sections[s].hidden = s !== next;
      app.className = `screen shows-${next}`;
      if (next === 'leaderboard') rotateIndex = 0;
      shown = next;
      const section = sections[next];
      if (typeof section.animate === 'function')
        section.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 450, easing: 'ease-out' });
    }
    renderHead();
    if (next === 'presenting') renderPresenting();
    if (next === 'scoring') renderScoring();
    if (next === 'reveal') renderReveal();
    if (next === 'leaderboard') renderLeaderboard();
    else scheduleRotation(0);
    if (next === 'ceremony') renderCeremony();
    app.dataset.revision = String(Math.max(stage.revision, board.revision, screen.revision, ceremony.revision));
    app.dataset.boardRevision = String(board.revision);
  }

  window.setInterval(() => {
    if (shown === 'presenting') tick();
  }, 250);

  // ---------------------------------------------------------------------------------------------
  // Live updates and resync

  let resyncing: Promise<void> | null = null;
  function resync(): Promise<void> {
    resyncing ??= (async () => {
      const [b, s] = await Promise.all([
        fetchIfChanged<LeaderboardSnapshot>(`${api}/leaderboard`, board.revision),
        fetchIfChanged<{ revision: number; screen: ScreenView; ceremony: CeremonyView }>(
          `${api}/screen`,
          screen.revision,
        ),
      ]);
      if (b) board.offer(b);
      if (s) {
        screen.offer(s.screen);
        ceremony.offer(s.ceremony);
      }
      render();
    })().finally(() => {
      resyncing = null;
    });
    return resyncing;
  }

  const conn = byId('sc-conn')!;
  let offlineTimer: number | null = null;
  function online(ok: boolean): void {
    if (ok) {
      if (offlineTimer !== null) window.clearTimeout(offlineTimer);
      offlineTimer = null;
      conn.hidden = true;
    } else if (offlineTimer === null) offlineTimer = window.setTimeout(() => (conn.hidden = false), OFFLINE_BANNER_MS);
  }

  const socket: Socket<ScreenServerEvents, ScreenClientEvents> = io(screenNamespaceUrl(app), {
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: 250,
    reconnectionDelayMax: 2000,
  });
  let first = true;
  socket.on('connect', () => {
    online(true);
    if (socket.recovered) return;
    const wasFirst = first;
    first = false;
    socket.timeout(8000).emit('contest:watch', slug, (err, ack) => {
      if (err || !ack?.ok) return online(false);
      const known = Math.max(board.revision, screen.revision, ceremony.revision);
      if (!wasFirst || (ack.revision ?? 0) > known) void resync();
    });
  });
  socket.on('disconnect', () => online(false));
  socket.on('connect_error', () => online(false));

  const take = <T extends { revision: number }>(held: Held<T>, payload: Pushed<T>) => {
    const verdict = held.offer(payload);
    if (verdict === 'stale') return;
    render();
    if (verdict === 'gap') void resync();
  };
  socket.on('stage:updated', (v) => {
    if (v.revision < stage.revision) return;
    stage.value = v;
    stageReceivedAt = performance.now();
    render();
  });
  socket.on('leaderboard:updated', (b) => take(board, b));
  socket.on('screen:updated', (s) => take(screen, s));
  socket.on('ceremony:updated', (c) => take(ceremony, c));

  render();
}

const app = document.getElementById('screen-app');
if (app) start(app);
