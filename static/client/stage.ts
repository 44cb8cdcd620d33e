/**
 * The host's stage console: renders the stored stage (project on stage, phase, timer, scoring
 * progress with the judges still missing, the pending automatic close), sends host actions to
 * the JSON API, and follows the /admin socket. Pushes older than what the page shows (by contest
 * revision) are ignored; after a reconnect without recovery the stage and grid are refetched.
 * Buttons are enabled by the same pure state machine the server uses (live/rules.ts).
 * Keyboard: N next, P pitch, Q Q&A, Space pause/resume, +/− a minute, O open, C close scoring.
 */
import type { HostAction } from '../../server/services/stage.service.js';
import type { ProgressGrid, StageView } from '../../server/realtime/contract.js';
import { api } from './live/api.js';
import { byId, dataJson, fill, h, translator, type Translate } from './live/dom.js';
import { allows } from './live/rules.js';
import { showConnection, watchContest, type LiveGrid } from './live/socket.js';

type ButtonAction =
  'call' | 'next' | 'start-pitch' | 'start-qa' | 'pause' | 'plus' | 'minus' | 'open-scoring' | 'close-scoring';

const KEYS: Record<string, ButtonAction> = {
  n: 'next',
  p: 'start-pitch',
  q: 'start-qa',
  ' ': 'pause',
  '+': 'plus',
  '=': 'plus',
  '-': 'minus',
  _: 'minus',
  o: 'open-scoring',
  c: 'close-scoring',
};

function formatClock(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

function startStage(app: HTMLElement): void {
  const t: Translate = translator(app);
  const slug = app.dataset.slug ?? '';
  const roundId = Number(app.dataset.roundId);
  const csrf = app.dataset.csrfToken ?? '';
  const canRun = app.dataset.canRun === '1';
  const base = `/api/v1/contests/${encodeURIComponent(slug)}`;

  let view = dataJson<StageView>(app, 'stage')!;
  let receivedAt = performance.now();
  let offsetMs = view.serverNow - Date.now();
  /** Grids by round: the selected round (running order) and the stage's round (who is missing). */
  const grids = new Map<number, ProgressGrid>();
  const initial = dataJson<ProgressGrid>(app, 'grid');
  if (initial) grids.set(initial.roundId, initial);
  let connected = new Set<number>();
  let busy = false;

  const el = {
    error: byId('stage-error'),
    phase: byId('phase'),
    project: byId('now-project'),
    timer: byId('timer'),
    timerKind: byId('timer-kind'),
    count: byId('scoring-count'),
    bar: byId<HTMLProgressElement>('scoring-bar'),
    missing: byId('scoring-missing'),
    autoClose: byId('auto-close'),
    order: byId('order'),
    ledger: byId<HTMLAnchorElement>('ledger-head'),
    conn: byId('conn'),
  };
  const buttons = [...app.querySelectorAll<HTMLButtonElement>('button[data-action]')];
  const rowIds = [...app.querySelectorAll<HTMLElement>('.order-row')].map((r) => Number(r.dataset.projectId));

  // ---------------------------------------------------------------------------------------------
  // Rendering

  const onSelectedRound = () => view.roundId === roundId;

  /** The project "next" would call in the selected round, or null at the end of the order. */
  function nextProjectId(): number | null {
    const at = view.projectId !== null && onSelectedRound() ? rowIds.indexOf(view.projectId) : -1;
    return rowIds[at + 1] ?? null;
  }

  function enabled(action: ButtonAction, projectId?: number): boolean {
    if (!canRun || busy) return false;
    switch (action) {
      case 'call':
        return (
          !(onSelectedRound() && view.projectId === projectId) &&
          allows(view, { kind: 'call', roundId, projectId: projectId ?? 0 })
        );
      case 'next': {
        const next = nextProjectId();
        return next !== null && allows(view, { kind: 'call', roundId, projectId: next });
      }
      case 'start-pitch':
        return allows(view, { kind: 'start-pitch', seconds: 1 });
      case 'start-qa':
        return allows(view, { kind: 'start-qa', seconds: 1 });
      case 'pause':
        return allows(view, { kind: 'pause' }) || allows(view, { kind: 'resume' });
      case 'plus':
      case 'minus':
        return allows(view, { kind: 'extend', seconds: 60 });
      case 'open-scoring':
        return allows(view, { kind: 'open-scoring' });
      case 'close-scoring':
        return allows(view, { kind: 'close-scoring' });
    }
  }

  function renderButtons(): void {
    for (const b of buttons) {
      const action = b.dataset.action as ButtonAction;
      b.disabled = !enabled(action, b.dataset.projectId ? Number(b.dataset.projectId) : undefined);
      if (action === 'pause') {
        const paused = view.timer !== null && !view.timer.running;
        const label = b.firstChild;
        if (label) label.textContent = `${t(paused ? 'live.action.resume' : 'live.action.pause')} `;
      }
    }
  }

  function renderProject(): void {
    if (el.phase) {
      el.phase.textContent = t(`live.phase.${view.phase}`);
      el.phase.className = `phase-badge phase-${view.phase}`;
    }
    const p = view.project;
    fill(
      el.project,
      p
        ? [
            h(
              'p',
              { class: 'now-ref mono' },
              p.ref,
              p.outOfCompetition ? ` · ${t('live.stage.outOfCompetition')}` : '',
            ),
            h('p', { class: 'now-title' }, p.title),
            h('p', { class: 'now-sub' }, `${p.institution} · ${localName(p.track.name)}`),
          ]
        : [
            h('p', { class: 'now-title is-empty' }, t('live.stage.nobody')),
            h('p', { class: 'now-sub' }, t('live.stage.nobodyHint')),
          ],
    );
  }

  function localName(name: { zh: string; en: string }): string {
    return document.documentElement.lang.startsWith('en') && name.en ? name.en : name.zh;
  }

  function renderTimer(): void {
    const timer = view.timer;
    if (!el.timer || !el.timerKind) return;
    if (!timer) {
      el.timer.textContent = '--:--';
      el.timer.className = 'timer is-idle';
      el.timerKind.textContent = t('live.stage.timer.none');
      return;
    }
    const left = timer.running ? Math.max(0, timer.remainingMs - (performance.now() - receivedAt)) : timer.remainingMs;
    el.timer.textContent = formatClock(left);
    el.timer.className = [
      'timer',
      timer.running ? 'is-running' : 'is-paused',
      left <= 0 ? 'is-over' : left <= 60_000 ? 'is-warning' : '',
    ].join(' ');
    const kind = t(`live.stage.timer.${timer.kind}`);
    el.timerKind.textContent =
      left <= 0
        ? `${kind} · ${t('live.stage.timer.over')}`
        : timer.running
          ? kind
          : `${kind} · ${t('live.stage.timer.paused')}`;
  }

  function renderAutoClose(): void {
    if (!el.autoClose) return;
    if (view.phase !== 'scoring' || !view.autoCloseAt) {
      el.autoClose.hidden = true;
      return;
    }
    const seconds = Math.ceil((Date.parse(view.autoCloseAt) - (Date.now() + offsetMs)) / 1000);
    el.autoClose.textContent = seconds > 0 ? t('live.stage.autoClose', { seconds }) : t('live.stage.autoCloseNow');
    el.autoClose.hidden = false;
  }

  function renderScoring(): void {
    const s = view.scoring;
    if (el.count) {
      el.count.textContent = s
        ? t('live.stage.submitted', { submitted: s.submitted, eligible: s.eligible })
        : t('live.stage.scoringNotOpen');
      el.count.classList.toggle('is-complete', !!s && s.eligible > 0 && s.submitted >= s.eligible);
    }
    if (el.bar) {
      el.bar.max = s && s.eligible > 0 ? s.eligible : 1;
      el.bar.value = s ? s.submitted : 0;
    }
    fill(el.missing, missingJudges());
    renderAutoClose();
  }

  /** Who has not submitted for the project on stage (with their connection state). */
  function missingJudges(): (Node | string)[] {
    if (!view.scoring || view.roundId === null || view.projectId === null) return [];
    if (view.scoring.eligible > 0 && view.scoring.submitted >= view.scoring.eligible) {
      // The auto-close notice already says so.
      return view.phase === 'scoring' && view.autoCloseAt
        ? []
        : [h('span', { class: 'all-in' }, `✓ ${t('live.stage.allIn')}`)];
    }
    const grid = grids.get(view.roundId);
    const p = grid?.projects.findIndex((x) => x.id === view.projectId) ?? -1;
    if (!grid || p < 0) return [];
    const names = grid.judges
      .filter((_, j) => grid.cells[p]?.[j] === 'pending')
      .map((j) =>
        h(
          'span',
          {
            class: `who${connected.has(j.id) ? ' is-online' : ''}`,
            title: t(connected.has(j.id) ? 'live.progress.isOnline' : 'live.progress.isOffline'),
          },
          h('span', { class: 'dot' }),
          j.name,
        ),
      );
    return names.length ? [h('span', { class: 'muted' }, t('live.stage.missing')), ...names] : [];
  }

  function renderOrder(): void {
    if (!el.order) return;
    const grid = grids.get(roundId);
    for (const row of el.order.querySelectorAll<HTMLElement>('.order-row')) {
      const id = Number(row.dataset.projectId);
      const current = onSelectedRound() && view.projectId === id;
      const p = grid?.projects.find((x) => x.id === id);
      const eligible = p ? p.submitted + p.pending : 0;
      const done = !current && !!p && p.submitted > 0 && p.pending === 0;
      row.classList.toggle('is-current', current);
      row.classList.toggle('is-done', done);
      const state = row.querySelector('[data-state]');
      if (state) {
        state.textContent = current
          ? `${t('live.stage.row.current')} · ${t(`live.phase.${view.phase}`)}`
          : !p || p.submitted === 0
            ? t('live.stage.row.waiting')
            : p.pending === 0
              ? t('live.stage.row.done', { submitted: p.submitted, eligible })
              : t('live.stage.row.partial', { submitted: p.submitted, eligible });
      }
    }
  }

  function render(): void {
    renderProject();
    renderTimer();
    renderScoring();
    renderOrder();
    renderButtons();
  }

  // ---------------------------------------------------------------------------------------------
  // State updates (revision-checked)

  let lastLedgerRevision = view.revision;
  function acceptStage(next: StageView): void {
    if (next.revision < view.revision) return;
    const changed = next.revision !== view.revision || next.phase !== view.phase;
    view = next;
    receivedAt = performance.now();
    offsetMs = next.serverNow - Date.now();
    render();
    if (changed && next.revision !== lastLedgerRevision) {
      lastLedgerRevision = next.revision;
      refreshLedgerHead();
    }
    // The grid of the stage's round tells who is missing: fetch it when we do not follow it yet.
    if (next.roundId !== null && !grids.has(next.roundId)) fetchGrid(next.roundId);
  }

  function acceptGrid(grid: ProgressGrid): void {
    const known = grids.get(grid.roundId);
    if (known && grid.revision < known.revision) return;
    grids.set(grid.roundId, grid);
    renderScoring();
    renderOrder();
  }

  const pendingFetch = new Set<number>();
  function fetchGrid(id: number, delay = 250): void {
    if (pendingFetch.has(id)) return;
    pendingFetch.add(id);
    setTimeout(async () => {
      pendingFetch.delete(id);
      const res = await api<ProgressGrid>('GET', `${base}/progress?roundId=${id}`, csrf);
      if (res.ok) acceptGrid(res.data);
    }, delay);
  }

  let ledgerTimer: ReturnType<typeof setTimeout> | null = null;
  function refreshLedgerHead(): void {
    if (ledgerTimer || !el.ledger) return;
    ledgerTimer = setTimeout(async () => {
      ledgerTimer = null;
      const res = await api<{ head: { seq: number; hash: string } | null }>('GET', `${base}/ledger/head`, csrf);
      if (!res.ok || !el.ledger) return;
      const head = res.data.head;
      el.ledger.textContent = head
        ? `#${head.seq} ${head.hash.slice(0, 12)}…${head.hash.slice(-6)}`
        : t('live.stage.ledgerEmpty');
      el.ledger.title = head?.hash ?? '';
    }, 300);
  }

  async function resync(): Promise<void> {
    const res = await api<StageView>('GET', `${base}/stage`, csrf);
    if (res.ok) acceptStage(res.data);
    fetchGrid(roundId, 0);
    if (view.roundId !== null && view.roundId !== roundId) fetchGrid(view.roundId, 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Actions

  let errorTimer: ReturnType<typeof setTimeout> | null = null;
  function showError(message: string): void {
    if (!el.error) return;
    el.error.textContent = message;
    el.error.hidden = false;
    if (errorTimer) clearTimeout(errorTimer);
    errorTimer = setTimeout(() => el.error && (el.error.hidden = true), 8000);
  }

  function hostAction(action: ButtonAction, projectId?: number): HostAction {
    switch (action) {
      case 'call':
        return { kind: 'call', roundId, projectId: projectId! };
      case 'next':
        return { kind: 'next', roundId };
      case 'pause':
        return view.timer && !view.timer.running ? { kind: 'resume' } : { kind: 'pause' };
      case 'plus':
        return { kind: 'extend', seconds: 60 };
      case 'minus':
        return { kind: 'extend', seconds: -60 };
      default:
        return { kind: action };
    }
  }

  async function run(action: ButtonAction, projectId?: number): Promise<void> {
    if (!enabled(action, projectId)) return;
    if (action === 'close-scoring' && view.scoring) {
      const missing = view.scoring.eligible - view.scoring.submitted;
      if (missing > 0 && !window.confirm(t('live.stage.confirmClose', { count: missing }))) return;
    }
    busy = true;
    renderButtons();
    const res = await api<StageView>(
      'POST',
      `${base}/stage`,
      csrf,
      hostAction(action, projectId),
      t('live.stage.networkError'),
    );
    busy = false;
    if (res.ok) {
      if (el.error) el.error.hidden = true;
      acceptStage(res.data);
    } else {
      showError(res.message);
      renderButtons();
      if (res.status === 409) void resync();
    }
  }

  app.addEventListener('click', (event) => {
    const button =
      event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-action]') : null;
    if (!button) return;
    void run(
      button.dataset.action as ButtonAction,
      button.dataset.projectId ? Number(button.dataset.projectId) : undefined,
    );
  });

  document.addEventListener('keydown', (event) => {
    if (!canRun || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    // Space always means pause / resume here, even when the last clicked button still has focus
    // (otherwise it would press "start pitch" again and restart the timer). Enter still clicks.
    const action = KEYS[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    if (!event.repeat) void run(action);
  });
  document.addEventListener('keyup', (event) => {
    const target = event.target as HTMLElement | null;
    if (canRun && event.key === ' ' && target?.tagName === 'BUTTON') event.preventDefault();
  });

  // ---------------------------------------------------------------------------------------------
  // Live feed and clock

  watchContest(slug, {
    stage: acceptStage,
    progress(grid: LiveGrid) {
      if (grid.connectedJudgeIds) connected = new Set(grid.connectedJudgeIds);
      acceptGrid(grid);
      // The push carries the stage's round; a different selected round is refetched.
      if (grid.roundId !== roundId) fetchGrid(roundId);
    },
    resync: () => void resync(),
    status: (state) => showConnection(el.conn, state, t(`live.conn.${state}`)),
  });

  setInterval(() => {
    renderTimer();
    renderAutoClose();
  }, 250);
  render();
  if (view.roundId !== null && !grids.has(view.roundId)) fetchGrid(view.roundId, 0);
}

const app = document.getElementById('stage-app');
if (app) startStage(app);
