/**
 * The live progress page (and the small tools of the link, card and ledger pages, which load
 * this bundle too): keeps the judges × projects grid, each judge's connection state and last
 * activity current from the /admin socket, ignoring stale revisions and refetching the grid over
 * HTTP after a reconnect or when the push is for another round; unlocks a submitted sheet with
 * a written reason (admins).
 */
import type { ProgressGrid, StageView } from '../../server/realtime/contract.js';
import { api } from './live/api.js';
import { byId, dataJson, translator, type Translate } from './live/dom.js';
import { renderGrid, renderJudgeStatus, totals, type GridContext } from './live/grid.js';
import { initPageTools } from './live/page-tools.js';
import { showConnection, watchContest, type LiveGrid } from './live/socket.js';

function startProgress(app: HTMLElement): void {
  const t: Translate = translator(app);
  const slug = app.dataset.slug ?? '';
  const roundId = Number(app.dataset.roundId);
  const csrf = app.dataset.csrfToken ?? '';
  const canUnlock = app.dataset.canUnlock === '1';
  const base = `/api/v1/contests/${encodeURIComponent(slug)}`;
  let grid = dataJson<ProgressGrid>(app, 'grid');
  let stage = dataJson<StageView>(app, 'stage');
  let offsetMs = stage ? stage.serverNow - Date.now() : 0;
  let connected = new Set<number>();
  const table = byId<HTMLTableElement>('grid');
  const list = byId('judge-status');

  const ctx = (): GridContext => ({
    t,
    canUnlock,
    connected,
    currentProjectId: stage && stage.roundId === roundId ? stage.projectId : null,
    offsetMs,
  });

  function render(): void {
    if (!grid) return;
    if (table) renderGrid(table, grid, ctx());
    if (list) renderJudgeStatus(list, grid, ctx());
    const { submitted, pending } = totals(grid);
    const summary = byId('progress-summary');
    if (summary) {
      summary.replaceChildren();
      const b = document.createElement('b');
      b.textContent = t('live.progress.summary', { submitted, expected: submitted + pending, pending });
      summary.append(b);
    }
    const online = byId('progress-online');
    if (online) {
      const ids = new Set(grid.judges.map((j) => j.id));
      const n = [...connected].filter((id) => ids.has(id)).length;
      online.textContent = t('live.progress.online', { online: n, total: grid.judges.length });
    }
  }

  function accept(next: ProgressGrid): void {
    if (grid && next.revision < grid.revision) return;
    grid = next;
    render();
  }

  let fetching: ReturnType<typeof setTimeout> | null = null;
  function refetch(delay = 300): void {
    if (fetching) return;
    fetching = setTimeout(async () => {
      fetching = null;
      const res = await api<ProgressGrid>('GET', `${base}/progress?roundId=${roundId}`, csrf);
      if (res.ok) accept(res.data);
    }, delay);
  }

  const conn = byId('conn');
  watchContest(slug, {
    stage(view) {
      if (stage && view.revision < stage.revision) return;
      const moved = !stage || stage.projectId !== view.projectId || stage.roundId !== view.roundId;
      stage = view;
      offsetMs = view.serverNow - Date.now();
      if (moved) render();
    },
    progress(pushed: LiveGrid) {
      if (pushed.connectedJudgeIds) connected = new Set(pushed.connectedJudgeIds);
      if (pushed.roundId === roundId) accept(pushed);
      else {
        render();
        refetch();
      }
    },
    resync: () => refetch(0),
    status: (state) => showConnection(conn, state, t(`live.conn.${state}`)),
  });

  // Keep "last activity" fresh between pushes.
  setInterval(() => grid && list && renderJudgeStatus(list, grid, ctx()), 15_000);
  render();
  if (canUnlock) setupUnlock();

  function setupUnlock(): void {
    const dialog = byId<HTMLDialogElement>('unlock-dialog');
    const form = byId<HTMLFormElement>('unlock-form');
    const reason = byId<HTMLTextAreaElement>('unlock-reason');
    const error = byId('unlock-error');
    const body = byId('unlock-body');
    const flash = byId('progress-flash');
    if (!dialog || !form || !reason || !error || !body || !table) return;
    let target: { judgeId: number; projectId: number; judge: string; project: string } | null = null;

    table.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('[data-unlock]') : null;
      if (!button || !grid) return;
      const judgeId = Number(button.dataset.judgeId);
      const projectId = Number(button.dataset.projectId);
      const judge = grid.judges.find((j) => j.id === judgeId)?.name ?? '';
      const p = grid.projects.find((x) => x.id === projectId);
      const project = p ? `${p.ref} ${p.title}` : '';
      target = { judgeId, projectId, judge, project };
      body.textContent = t('live.unlock.body', { judge, project });
      reason.value = '';
      error.hidden = true;
      dialog.showModal();
      reason.focus();
    });
    dialog.querySelector('[data-cancel]')?.addEventListener('click', () => dialog.close());
    reason.addEventListener('input', () => (error.hidden = true));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!target) return;
      const text = reason.value.trim();
      if (text.length < 2) {
        error.textContent = t('live.unlock.reasonRequired');
        error.hidden = false;
        reason.focus();
        return;
      }
      const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
      if (submit) submit.disabled = true;
      const res = await api(
        'POST',
        `${base}/unlocks`,
        csrf,
        {
          roundId,
          projectId: target.projectId,
          judgeId: target.judgeId,
          reason: text,
        },
        t('live.stage.networkError'),
      );
      if (submit) submit.disabled = false;
      if (!res.ok) {
        error.textContent = res.message;
        error.hidden = false;
        return;
      }
      dialog.close();
      if (flash) {
        flash.textContent = t('live.unlock.done', { judge: target.judge, project: target.project });
        flash.hidden = false;
      }
    });
  }
}

initPageTools();
const app = document.getElementById('progress-app');
if (app) startProgress(app);
