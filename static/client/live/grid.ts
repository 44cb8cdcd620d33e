/**
 * Renders the judges × projects grid and the judge status list of the progress page from a
 * ProgressGrid push, with the same markup the server renders for the first paint
 * (views/pages/admin/live/progress.hbs).
 */
import type { ProgressGrid } from '../../../server/realtime/contract.js';
import { ago, fill, h, type Translate } from './dom.js';

export interface GridContext {
  t: Translate;
  canUnlock: boolean;
  connected: Set<number>;
  currentProjectId: number | null;
  /** Server clock minus the browser clock, for "last activity". */
  offsetMs: number;
}

function cell(grid: ProgressGrid, p: number, j: number, ctx: GridContext): HTMLTableCellElement {
  const { t } = ctx;
  const judge = grid.judges[j]!;
  const project = grid.projects[p]!;
  const state = grid.cells[p]?.[j] ?? 'not-on-panel';
  const version = grid.versions[p]?.[j] ?? null;
  if (state === 'submitted') {
    const title = `${judge.name}: ${t('live.progress.cell.submitted', { version })}`;
    const mark = ['✓', h('small', {}, `v${version ?? 1}`)];
    return h(
      'td',
      { class: 'cell is-submitted', title },
      ctx.canUnlock
        ? h(
            'button',
            {
              type: 'button',
              class: 'cell-btn',
              'data-unlock': true,
              'data-judge-id': judge.id,
              'data-project-id': project.id,
            },
            mark,
          )
        : mark,
    );
  }
  if (state === 'pending')
    return h('td', { class: 'cell is-pending', title: `${judge.name}: ${t('live.progress.cell.pending')}` }, '·');
  if (state === 'recused') {
    const text = t('live.progress.cell.recused');
    return h('td', { class: 'cell is-recused', title: `${judge.name}: ${text}` }, text);
  }
  return h('td', { class: 'cell is-off', title: `${judge.name}: ${t('live.progress.cell.notOnPanel')}` }, '—');
}

export function renderGrid(table: HTMLTableElement, grid: ProgressGrid, ctx: GridContext): void {
  const { t } = ctx;
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', class: 'project-col' }, t('live.progress.project')),
    grid.judges.map((j) =>
      h(
        'th',
        { scope: 'col', class: `judge-col${ctx.connected.has(j.id) ? ' is-online' : ''}`, 'data-judge-id': j.id },
        h('span', { class: 'dot', 'data-dot': true }),
        h('span', { class: 'judge-name' }, j.name),
      ),
    ),
    h('th', { scope: 'col', class: 'num' }, t('live.progress.submitted')),
    h('th', { scope: 'col', class: 'num' }, t('live.progress.pending')),
  );
  const rows = grid.projects.map((p, pi) => {
    const current = p.id === ctx.currentProjectId;
    return h(
      'tr',
      { 'data-project-id': p.id, class: current ? 'is-current' : null },
      h(
        'th',
        { scope: 'row', class: 'project-col' },
        h('span', { class: 'mono small' }, p.ref),
        ` ${p.title}`,
        current ? [' ', h('span', { class: 'badge info' }, t('live.progress.onStage'))] : null,
      ),
      grid.judges.map((_, ji) => cell(grid, pi, ji, ctx)),
      h('td', { class: 'num' }, p.submitted),
      h('td', { class: `num${p.pending ? ' has-pending' : ''}` }, p.pending),
    );
  });
  const perJudge = grid.judges.map((_, ji) => grid.cells.filter((row) => row[ji] === 'submitted').length);
  const submitted = grid.projects.reduce((n, p) => n + p.submitted, 0);
  const pending = grid.projects.reduce((n, p) => n + p.pending, 0);
  const foot = h(
    'tr',
    {},
    h('th', { scope: 'row' }, t('live.progress.total')),
    perJudge.map((n) => h('td', { class: 'num' }, n)),
    h('td', { class: 'num' }, submitted),
    h('td', { class: `num${pending ? ' has-pending' : ''}` }, pending),
  );
  fill(table.tHead ?? table.createTHead(), head);
  fill(table.tBodies[0] ?? table.createTBody(), rows);
  fill(table.tFoot ?? table.createTFoot(), foot);
}

export function totals(grid: ProgressGrid): { submitted: number; pending: number } {
  return {
    submitted: grid.projects.reduce((n, p) => n + p.submitted, 0),
    pending: grid.projects.reduce((n, p) => n + p.pending, 0),
  };
}

/** Updates the judge status list in place (names, titles and head-judge badges are server-rendered). */
export function renderJudgeStatus(list: HTMLElement, grid: ProgressGrid, ctx: GridContext): void {
  const { t } = ctx;
  grid.judges.forEach((j, ji) => {
    const item = list.querySelector<HTMLElement>(`li[data-judge-id="${j.id}"]`);
    if (!item) return;
    const online = ctx.connected.has(j.id);
    item.classList.toggle('is-online', online);
    const conn = item.querySelector('[data-conn]');
    if (conn) conn.textContent = online ? t('live.progress.isOnline') : t('live.progress.isOffline');
    const seen = item.querySelector<HTMLTimeElement>('[data-seen]');
    if (seen) {
      seen.dateTime = j.lastSeenAt ?? '';
      seen.textContent = ago(j.lastSeenAt, t, ctx.offsetMs);
    }
    const count = item.querySelector('.js-count');
    if (count) {
      const n = grid.cells.filter((row) => row[ji] === 'submitted').length;
      count.textContent = `${n}/${grid.projects.length}`;
    }
  });
}
