/**
 * The organizers' screen control and ceremony console. The pages are plain forms that work
 * without script; here their submits become JSON calls (with the CSRF header) so the host stays
 * on the page, buttons can ask for confirmation (freeze, reveal), and keys step the reveal and
 * the ceremony (→ ← F). The pages follow the public /screen socket — exactly what every big
 * screen receives — so two operators see each other's changes at once.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  CeremonyView,
  LeaderboardSnapshot,
  ScreenClientEvents,
  ScreenServerEvents,
  ScreenView,
} from '../../server/realtime/contract.js';
import type { CeremonyConsole } from '../../server/services/ceremony.service.js';
import { api } from './live/api.js';
import { byId, dataJson, fill, h, translator, type Translate } from './live/dom.js';

function start(app: HTMLElement): void {
  const t: Translate = translator(app);
  const slug = app.dataset.slug ?? '';
  const csrf = app.dataset.csrfToken ?? '';
  const canRun = app.dataset.canRun === '1';
  const page = app.dataset.page;
  const errorEl = byId('control-error');
  let screenRev = dataJson<ScreenView>(app, 'screen')?.revision ?? 0;
  let boardRev = dataJson<LeaderboardSnapshot>(app, 'board')?.revision ?? 0;
  let ceremonyRev = dataJson<CeremonyConsole>(app, 'console')?.revision ?? 0;
  let busy = false;

  function showError(message: string | null): void {
    if (!errorEl) return;
    errorEl.hidden = !message;
    errorEl.textContent = message ?? '';
  }

  // ---------------------------------------------------------------------------------------------
  // Screen control

  function renderScreen(v: ScreenView): void {
    if (v.revision < screenRev) return;
    screenRev = v.revision;
    fill(byId('now-shows'), t(`screen.mode.${v.shows}`) + (v.mode === 'auto' ? ` (${t('screen.mode.auto')})` : ''));
    fill(byId('now-policy'), t(`screen.policy.${v.policy}`));
    for (const b of app.querySelectorAll<HTMLButtonElement>('.mode-form button[name="mode"]'))
      b.setAttribute('aria-pressed', String(b.value === v.mode));
    const blocked = v.policy === 'hidden' || v.policy === 'frozen';
    byId('reveal-blocked')!.hidden = !blocked;
    for (const b of app.querySelectorAll<HTMLButtonElement>('[data-reveal-control]')) b.disabled = !canRun || blocked;
    const r = v.reveal;
    const status = byId('reveal-status');
    byId('reveal-named')!.hidden = !r?.named;
    byId('reveal-anonymous')!.hidden = !r || r.named;
    if (!r) fill(status, t('screen.control.reveal.none'));
    else if (r.final) fill(status, t('screen.control.reveal.finalShown', { title: r.title, display: r.final.display }));
    else fill(status, t('screen.control.reveal.status', { title: r.title, shown: r.judges.length, count: r.count }));
    fill(
      byId('reveal-preview'),
      (r?.judges ?? []).map((j) =>
        h(
          'li',
          { class: j.dropped ? 'is-dropped' : '' },
          `${j.name ?? t('screen.reveal.judge', { label: j.label })} ${j.total}`,
        ),
      ),
    );
    const track = byId<HTMLSelectElement>('track-select');
    if (track && document.activeElement !== track) track.value = v.leaderboardTrack ?? '';
  }

  function renderPolicy(roundKey: string, b: LeaderboardSnapshot): void {
    if (b.revision < boardRev) return;
    boardRev = b.revision;
    const row = app.querySelector<HTMLElement>(`tr[data-round-key="${CSS.escape(roundKey)}"]`);
    if (!row) return;
    const badge = row.querySelector<HTMLElement>('[data-policy-badge]');
    if (badge) {
      badge.textContent = t(`screen.policy.${b.policy}`);
      badge.className = `policy-badge policy-${b.policy}`;
    }
    row.querySelector('[data-frozen-at]')?.remove();
    if (b.frozen && b.frozenAt && badge) {
      const at = new Date(b.frozenAt).toLocaleTimeString([], {
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hour12: false,
      });
      badge.after(
        ' ',
        h('span', { class: 'muted small', 'data-frozen-at': true }, t('screen.control.frozenAt', { at })),
      );
    }
    for (const btn of row.querySelectorAll<HTMLButtonElement>('button[name="policy"]'))
      btn.setAttribute('aria-pressed', String(btn.value === b.policy));
  }

  // ---------------------------------------------------------------------------------------------
  // Ceremony console

  function renderCeremony(c: Pick<CeremonyView, 'revision' | 'step' | 'total'>): void {
    if (c.revision < ceremonyRev) return;
    ceremonyRev = c.revision;
    for (const li of app.querySelectorAll<HTMLElement>('.cm-item')) {
      const n = Number(li.dataset.step);
      li.classList.toggle('is-current', n === c.step);
      li.classList.toggle('is-done', n < c.step && n > 0);
    }
    fill(byId('cm-status'), t('screen.ceremony.status', { step: c.step, total: c.total }));
    app.querySelector<HTMLElement>('.cm-item.is-current')?.scrollIntoView({ block: 'nearest' });
  }

  // ---------------------------------------------------------------------------------------------
  // Forms → JSON

  function bodyOf(form: HTMLFormElement, submitter: HTMLElement | null): Record<string, unknown> {
    const data = new FormData(form, submitter instanceof HTMLButtonElement ? submitter : null);
    const body: Record<string, unknown> = {};
    for (const [key, value] of data) {
      if (key === '_csrf') continue;
      body[key] = key === 'projectId' || key === 'step' ? Number(value) : String(value);
    }
    if (body.track === '') body.track = null;
    return body;
  }

  async function submit(form: HTMLFormElement, submitter: HTMLElement | null): Promise<void> {
    const confirmText = submitter?.dataset.confirm;
    if (confirmText && !window.confirm(confirmText)) return;
    if (busy) return;
    busy = true;
    const body = bodyOf(form, submitter);
    // `form.action` would be the input named "action": read the attribute.
    const url = form.getAttribute('action') || window.location.pathname;
    const res = await api<unknown>('POST', url, csrf, body, t('screen.control.network'));
    busy = false;
    if (!res.ok) return showError(res.message);
    showError(null);
    const kind = form.dataset.api;
    if (kind === 'release')
      renderPolicy(String(body.roundKey), (res.data as { snapshot: LeaderboardSnapshot }).snapshot);
    else if (kind === 'ceremony') renderCeremony(res.data as CeremonyConsole);
    else if (page === 'screen') renderScreen(res.data as ScreenView);
  }

  app.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-api')) return;
    event.preventDefault();
    void submit(form, (event as SubmitEvent).submitter);
  });

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const button = app.querySelector<HTMLButtonElement>(`button[data-key="${CSS.escape(key)}"]`);
    if (!button || button.disabled) return;
    event.preventDefault();
    const form = button.closest('form');
    if (form) void submit(form, button);
  });

  // ---------------------------------------------------------------------------------------------
  // Live

  const conn = byId('conn');
  const status = (ok: boolean) => {
    if (!conn) return;
    conn.textContent = t(ok ? 'screen.conn.online' : 'screen.conn.offline');
    conn.classList.toggle('is-online', ok);
    conn.classList.toggle('is-offline', !ok);
    conn.classList.remove('is-connecting');
  };
  const socket: Socket<ScreenServerEvents, ScreenClientEvents> = io('/screen', {
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  });
  socket.on('connect', () => {
    status(true);
    socket.emit('contest:watch', slug, () => undefined);
  });
  socket.on('disconnect', () => status(false));
  socket.on('screen:updated', (v) => {
    if (page === 'screen') renderScreen(v);
  });
  socket.on('leaderboard:updated', (b) => {
    if (page === 'screen' && b.round) renderPolicy(b.round.key, b);
  });
  socket.on('ceremony:updated', (c) => {
    if (page === 'ceremony') renderCeremony(c);
  });

  if (page === 'screen') {
    const v = dataJson<ScreenView>(app, 'screen');
    if (v) renderScreen({ ...v, revision: Math.max(v.revision, screenRev) });
  }
}

const app = document.getElementById('control-app');
if (app) start(app);
