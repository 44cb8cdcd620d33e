/**
 * The judge's tablet scoring page (/judge). Follows the stage over Socket.IO (/judge namespace,
 * authenticated by the session cookie) and refetches /api/v1/judge/state on reconnect and when
 * the page becomes visible; shows the project on stage, its timer and whether scoring is open;
 * edits the score sheet; submits through the IndexedDB outbox (judge/outbox.ts) after an in-page
 * confirmation; shows the receipt, pending items and the connection. Writes go over HTTP only.
 */
import { io, type Socket } from 'socket.io-client';
import type { JudgeClientEvents, JudgeServerEvents } from '../../server/realtime/contract.js';
import {
  csrfToken,
  fetchState,
  refreshCsrf,
  SessionEnded,
  type Criterion,
  type JudgeState,
  type ProjectRow,
  type StageView,
} from './judge/api.js';
import { openLayer, type Layer } from './judge/dialog.js';
import { byId, h, replaceChildren } from './judge/dom.js';
import { DraftStore } from './judge/drafts.js';
import { clockTime, initI18n, loc, t } from './judge/i18n.js';
import { formatPoints, totalOf, type Marks } from './judge/marks.js';
import { Outbox, type OutboxEntry, type Receipt, type Refusal } from './judge/outbox.js';
import { buildSheet, emptyDraft, INTERESTS, type Draft, type Interest } from './judge/sheet.js';

type Mode = 'loading' | 'idle' | 'recused' | 'edit' | 'submitted' | 'pending' | 'locked';
type Conn = 'online' | 'reconnecting' | 'offline';

const root = byId('judge-app');

const app = {
  judgeId: 0,
  state: null as JudgeState | null,
  stage: null as StageView | null,
  /** Best estimate of server clock − local clock (ms). */
  offset: null as number | null,
  drafts: new Map<string, Draft>(),
  revising: new Set<string>(),
  receipts: new Map<string, Receipt>(),
  refusals: new Map<string, Refusal>(),
  /** Refusals for projects no longer on stage (e.g. sent late after an outage). */
  elsewhere: [] as { project: string; message: string }[],
  pending: [] as OutboxEntry[],
  socketUp: false,
  sessionEnded: false,
  storageProblem: false,
  loadFailed: false,
  sheetKey: '',
  statusKey: '',
};

const keyOf = (roundId: number, projectId: number) => `${roundId}:${projectId}`;

let outbox: Outbox;
let draftStore: DraftStore;
let socket: Socket<JudgeServerEvents, JudgeClientEvents>;
let drawer: { layer: Layer; refresh(): void } | null = null;

// ---- what is on stage and how the sheet behaves --------------------------------------------

interface Current {
  key: string;
  roundId: number;
  projectId: number;
  criteria: Criterion[];
  row: ProjectRow | undefined;
  pending: OutboxEntry | undefined;
}

function current(): Current | null {
  const s = app.stage;
  const round = app.state?.round;
  if (!s?.projectId || !round || s.roundId !== round.id) return null;
  const key = keyOf(round.id, s.projectId);
  const mine = app.pending.filter((e) => keyOf(e.body.roundId, e.body.projectId) === key);
  const pending = mine[mine.length - 1];
  return {
    key,
    roundId: round.id,
    projectId: s.projectId,
    criteria: round.criteria,
    row: app.state?.projects.find((p) => p.id === s.projectId),
    pending,
  };
}

function modeOf(cur: Current | null): Mode {
  if (!app.state || !app.stage) return 'loading';
  if (!cur || !cur.criteria.length) return 'idle';
  if (cur.row?.status === 'recused') return 'recused';
  if (cur.pending) return 'pending';
  if (app.stage.phase === 'closed') return 'locked';
  if (cur.row?.status === 'scored' && !app.revising.has(cur.key)) return 'submitted';
  return 'edit';
}

function marksOf(row: ProjectRow | undefined, criteria: Criterion[]): Marks {
  return Object.fromEntries(criteria.map((c) => [c.key, row?.marks?.[c.key] ?? null]));
}

function draftFor(cur: Current): Draft {
  let draft = app.drafts.get(cur.key);
  if (!draft) {
    draft =
      cur.row?.status === 'scored'
        ? {
            marks: marksOf(cur.row, cur.criteria),
            comment: cur.row.comment,
            interest: cur.row.interest.filter((i): i is Interest => (INTERESTS as readonly string[]).includes(i)),
          }
        : emptyDraft(cur.criteria);
    app.drafts.set(cur.key, draft);
  }
  for (const c of cur.criteria) if (!(c.key in draft.marks)) draft.marks[c.key] = null;
  return draft;
}

/** The marks a read-only sheet shows: what is waiting in the outbox, else what the server holds. */
function shownDraft(cur: Current): Draft {
  if (cur.pending) {
    const b = cur.pending.body;
    return {
      marks: Object.fromEntries(cur.criteria.map((c) => [c.key, b.marks[c.key] ?? null])),
      comment: b.comment,
      interest: b.interest as Interest[],
    };
  }
  return {
    marks: marksOf(cur.row, cur.criteria),
    comment: cur.row?.comment ?? '',
    interest: (cur.row?.interest ?? []) as Interest[],
  };
}

// ---- rendering --------------------------------------------------------------------------------

function connState(): Conn {
  if (!navigator.onLine) return 'offline';
  return app.socketUp ? 'online' : 'reconnecting';
}

function renderChrome(): void {
  const conn = byId('conn');
  if (conn) {
    const state = connState();
    if (conn.dataset.state !== state || !conn.textContent) {
      conn.dataset.state = state;
      replaceChildren(
        conn,
        h('span', { class: 'conn-dot', 'aria-hidden': 'true' }),
        h('span', { class: 'visually-hidden' }, `${t('conn.label')}: `),
        h('span', { class: 'conn-text' }, t(`conn.${state}`)),
      );
    }
  }
  const pending = byId('pending');
  if (pending) {
    const n = app.pending.length;
    pending.hidden = n === 0;
    pending.textContent = t('pending', { count: n });
    pending.title = t('pendingTitle');
  }
  const projects = byId('open-projects');
  if (projects) projects.hidden = !app.state;
}

function renderStage(): void {
  const el = byId('stage');
  if (!el) return;
  const s = app.stage;
  // Rebuilt only when what it shows changes; the countdown itself is updated by tick().
  const key = JSON.stringify([
    !!app.state,
    app.loadFailed,
    s?.phase,
    s?.round?.id,
    s?.project,
    s?.timer ? [s.timer.kind, s.timer.running] : null,
    s && !s.project ? app.state?.projects.map((p) => p.status) : null,
  ]);
  if (el.dataset.key === key) return tick();
  el.dataset.key = key;
  el.dataset.phase = s?.phase ?? 'loading';
  if (!app.state || !s) {
    replaceChildren(el, h('p', { class: 'stage-loading' }, t(app.loadFailed ? 'loadFailed' : 'loading')));
    return;
  }
  if (!s.project) {
    const rows = app.state.projects;
    const count = (status: ProjectRow['status']) => rows.filter((r) => r.status === status).length;
    replaceChildren(
      el,
      h(
        'div',
        { class: 'stage-main' },
        h(
          'p',
          { class: 'stage-kicker' },
          h('span', { class: 'phase-pill' }, t(`phase.${s.phase}`)),
          app.state.round ? h('span', { class: 'stage-round' }, loc(app.state.round.name)) : null,
        ),
        h('h1', { class: 'stage-title', id: 'stage-title' }, t('idle.title')),
        h('p', { class: 'stage-meta' }, t('idle.body')),
        rows.length
          ? h(
              'div',
              { class: 'stage-idle' },
              h(
                'span',
                {},
                t('projects.summary', {
                  scored: count('scored'),
                  open: count('not-scored'),
                  recused: count('recused'),
                }),
              ),
              h('button', { type: 'button', class: 'secondary', onclick: openDrawer }, t('projects.button')),
            )
          : null,
      ),
    );
    return;
  }
  replaceChildren(
    el,
    h(
      'div',
      { class: 'stage-main' },
      h(
        'p',
        { class: 'stage-kicker' },
        h('span', { class: 'phase-pill' }, t(`phase.${s.phase}`)),
        s.round ? h('span', { class: 'stage-round' }, loc(s.round.name)) : null,
        h('span', { class: 'stage-ref' }, s.project.ref),
        s.project.outOfCompetition ? h('span', { class: 'stage-star' }, t('outOfCompetition')) : null,
      ),
      h('h1', { class: 'stage-title', id: 'stage-title' }, s.project.title),
      h(
        'p',
        { class: 'stage-meta' },
        h('span', { class: 'stage-track' }, loc(s.project.track.name)),
        s.project.institution ? h('span', { class: 'stage-inst' }, s.project.institution) : null,
      ),
    ),
    s.timer
      ? h(
          'div',
          { class: 'stage-timer', id: 'timer', role: 'timer', 'aria-live': 'off' },
          h('span', { class: 'timer-label', id: 'timer-label' }, t(`timer.${s.timer.kind}`)),
          h('span', { class: 'timer-value', id: 'timer-value' }, ''),
        )
      : null,
  );
  tick();
}

function renderBanner(): void {
  const el = byId('banner');
  if (!el) return;
  const s = app.stage;
  const cur = current();
  if (!s || !s.project || !app.state || cur?.row?.status === 'recused') {
    el.hidden = true;
    return;
  }
  const state = s.phase === 'scoring' ? 'open' : s.phase === 'closed' ? 'closed' : 'waiting';
  el.hidden = false;
  el.dataset.state = state;
  const hint = state === 'open' ? t('scoring.openHint') : state === 'waiting' ? t('scoring.waitingHint') : '';
  const text = `${t(`scoring.${state}`)}${hint ? ` ${hint}` : ''}`;
  if (el.dataset.text !== text) {
    el.dataset.text = text;
    replaceChildren(
      el,
      h('span', { class: 'banner-icon', 'aria-hidden': 'true' }),
      h('span', { class: 'banner-text' }, h('b', {}, t(`scoring.${state}`)), hint ? h('span', {}, hint) : null),
      // Not announced: it changes with every judge's submission.
      h('span', { class: 'banner-progress', 'aria-hidden': 'true' }),
    );
  }
  const progress = el.querySelector<HTMLElement>('.banner-progress');
  if (progress) {
    const value = s.scoring
      ? t('scoring.progress', { submitted: s.scoring.submitted, eligible: s.scoring.eligible })
      : '';
    if (progress.textContent !== value) progress.textContent = value;
  }
}

function renderNotice(): void {
  const el = byId('notice');
  if (!el) return;
  const messages: string[] = [];
  if (app.sessionEnded) messages.push(t('error.session'));
  if (app.storageProblem) messages.push(t('error.storage'));
  for (const r of app.elsewhere) messages.push(t('error.rejectedOther', { project: r.project, message: r.message }));
  const text = messages.join('\n');
  if (el.dataset.text === text) return;
  el.dataset.text = text;
  el.hidden = !text;
  replaceChildren(
    el,
    messages.map((m) => h('p', {}, m)),
    app.elsewhere.length
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary notice-dismiss',
            onclick: () => {
              app.elsewhere = [];
              render();
            },
          },
          t('dismiss'),
        )
      : null,
  );
}

/** The receipt / pending / refusal card above the sheet (a live region: changes are announced). */
function renderStatus(cur: Current | null, mode: Mode): void {
  const el = byId('status');
  if (!el) return;
  const receipt = cur ? app.receipts.get(cur.key) : undefined;
  const refusal = cur ? app.refusals.get(cur.key) : undefined;
  const version = cur?.row?.version ?? receipt?.version ?? null;
  const key = JSON.stringify([
    cur?.key,
    mode,
    version,
    receipt?.scoreId,
    refusal?.code,
    cur?.pending?.body.submissionId,
  ]);
  if (key === app.statusKey) return;
  app.statusKey = key;

  let card: HTMLElement | null = null;
  if ((mode === 'edit' || mode === 'locked') && refusal) {
    card = h(
      'div',
      { class: 'status-card refused', role: 'alert' },
      h('span', { class: 'status-icon', 'aria-hidden': 'true' }, '!'),
      h(
        'div',
        {},
        h('p', { class: 'status-title' }, t('error.rejected', { message: refusal.message })),
        refusal.fields.length
          ? h(
              'ul',
              { class: 'status-detail' },
              refusal.fields.map((f) => h('li', {}, f.message)),
            )
          : null,
        mode === 'locked' ? h('p', { class: 'status-detail' }, t('locked')) : null,
      ),
    );
  } else if (mode === 'pending' && cur?.pending) {
    card = h(
      'div',
      { class: 'status-card pending', 'data-submission-id': cur.pending.body.submissionId },
      h('span', { class: 'status-icon', 'aria-hidden': 'true' }),
      h(
        'div',
        {},
        h('p', { class: 'status-title' }, t('receipt.pending')),
        h('p', { class: 'status-detail' }, t('receipt.pendingHint')),
      ),
    );
  } else if ((mode === 'submitted' || mode === 'locked') && cur?.row?.status === 'scored') {
    const detail = [t('receipt.version', { version: version ?? 1 })];
    if (receipt && receipt.version === version) detail.push(t('receipt.at', { time: clockTime(receipt.recordedAt) }));
    card = h(
      'div',
      { class: `status-card done${mode === 'locked' ? ' locked' : ''}`, 'data-version': version ?? '' },
      h('span', { class: 'status-icon', 'aria-hidden': 'true' }, '✓'),
      h(
        'div',
        {},
        h('p', { class: 'status-title' }, t('receipt.done')),
        h('p', { class: 'status-detail' }, detail.join(' · ')),
        mode === 'locked' ? h('p', { class: 'status-detail' }, t('locked')) : null,
      ),
    );
  } else if (mode === 'locked') {
    card = h(
      'div',
      { class: 'status-card locked' },
      h('span', { class: 'status-icon', 'aria-hidden': 'true' }),
      h('div', {}, h('p', { class: 'status-title' }, t('lockedNone'))),
    );
  }
  replaceChildren(el, card);
}

function problemsOf(cur: Current): Record<string, string> {
  const refusal = app.refusals.get(cur.key);
  const out: Record<string, string> = {};
  for (const f of refusal?.fields ?? []) {
    const m = /^marks\.(.+)$/.exec(f.path);
    if (m?.[1]) out[m[1]] = f.message;
  }
  return out;
}

function renderSheet(cur: Current | null, mode: Mode): void {
  const el = byId('sheet');
  if (!el) return;
  const key = JSON.stringify([
    mode,
    cur?.key,
    cur?.row?.version,
    cur?.pending?.body.submissionId,
    app.refusals.get(cur?.key ?? '')?.code,
  ]);
  if (key === app.sheetKey) return;
  app.sheetKey = key;
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focus : undefined;

  if (!cur || mode === 'loading' || mode === 'idle') {
    replaceChildren(el);
  } else if (mode === 'recused') {
    replaceChildren(
      el,
      h(
        'section',
        { class: 'recused' },
        h('p', { class: 'recused-mark', 'aria-hidden': 'true' }, '⊘'),
        h('h2', {}, t('recused.title')),
        h('p', {}, t('recused.body')),
      ),
    );
  } else {
    const editable = mode === 'edit';
    const draft = editable ? draftFor(cur) : shownDraft(cur);
    replaceChildren(
      el,
      buildSheet({
        criteria: cur.criteria,
        draft,
        editable,
        problems: editable ? problemsOf(cur) : {},
        onChange: () => {
          draftStore.save(cur.key, draft);
          renderBar();
        },
      }),
    );
  }
  if (focused) el.querySelector<HTMLElement>(`[data-focus="${focused}"]`)?.focus();
}

/** The sticky bar: live total, what is missing, and the one main action. */
function renderBar(): void {
  const el = byId('bar');
  if (!el) return;
  const cur = current();
  const mode = modeOf(cur);
  if (!cur || mode === 'loading' || mode === 'idle' || mode === 'recused') {
    el.hidden = true;
    document.body.classList.remove('has-bar');
    return;
  }
  el.hidden = false;
  document.body.classList.add('has-bar');
  const draft = mode === 'edit' ? draftFor(cur) : shownDraft(cur);
  const total = totalOf(cur.criteria, draft.marks);
  const open = app.stage?.phase === 'scoring';
  // Rebuilt only when something on it changes, so a push never swaps a button under a finger.
  const key = JSON.stringify([mode, cur.key, cur.row?.status, total, open]);
  if (el.dataset.key === key) return;
  el.dataset.key = key;

  let hint = '';
  let action: HTMLElement | null = null;
  if (mode === 'edit') {
    hint = !total.complete
      ? t('hint.missing', { count: total.all - total.done })
      : open
        ? t('hint.ready')
        : t('hint.waiting');
    const revising = cur.row?.status === 'scored';
    action = h(
      'div',
      { class: 'bar-actions' },
      revising
        ? h(
            'button',
            { type: 'button', class: 'secondary', 'data-focus': 'discard', onclick: discardRevision },
            t('discard'),
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          class: 'primary submit',
          id: 'submit',
          'data-focus': 'submit',
          disabled: !total.complete || !open,
          'aria-describedby': 'bar-hint',
          onclick: () => void submit(),
        },
        t(revising ? 'submitRevision' : 'submit'),
      ),
    );
  } else if (mode === 'submitted') {
    hint = open ? t('scoring.openHint') : '';
    action = h(
      'button',
      { type: 'button', class: 'secondary revise', 'data-focus': 'revise', onclick: startRevision },
      t('revise'),
    );
  } else if (mode === 'pending') {
    hint = t('receipt.pending');
  } else if (mode === 'locked') {
    hint = cur.row?.status === 'scored' ? t('locked') : t('lockedNone');
  }

  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focus : undefined;
  replaceChildren(
    el,
    h(
      'div',
      { class: 'bar-inner' },
      h(
        'div',
        { class: 'total', 'data-complete': String(total.complete) },
        h('span', { class: 'total-label' }, t('total')),
        h(
          'span',
          { class: 'total-figure' },
          h('span', { class: 'total-value', id: 'total-value' }, total.done ? formatPoints(total.total) : '—'),
          h('span', { class: 'total-max' }, `/ ${formatPoints(total.max)}`),
        ),
        h('span', { class: 'total-count' }, t('scoredCount', { done: total.done, all: total.all })),
      ),
      h('p', { class: 'bar-hint', id: 'bar-hint' }, hint),
      action,
    ),
  );
  if (focused) el.querySelector<HTMLElement>(`[data-focus="${focused}"]`)?.focus();
}

function render(): void {
  const cur = current();
  const mode = modeOf(cur);
  if (root) root.dataset.mode = mode;
  renderChrome();
  renderStage();
  renderBanner();
  renderNotice();
  renderStatus(cur, mode);
  renderSheet(cur, mode);
  renderBar();
  drawer?.refresh();
}

// ---- the timer --------------------------------------------------------------------------------

function tick(): void {
  const s = app.stage;
  const box = byId('timer');
  const value = byId('timer-value');
  const label = byId('timer-label');
  if (!s?.timer || !box || !value || !label) return;
  let ms = s.timer.remainingMs;
  if (s.timer.running) ms -= Date.now() + (app.offset ?? 0) - s.serverNow;
  ms = Math.max(0, ms);
  const seconds = Math.ceil(ms / 1000);
  const text = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
  if (value.textContent !== text) value.textContent = text;
  const state = !s.timer.running ? 'paused' : ms === 0 ? 'over' : ms <= 60_000 ? 'low' : 'running';
  box.dataset.state = state;
  const labelText =
    state === 'paused'
      ? `${t(`timer.${s.timer.kind}`)} · ${t('timer.paused')}`
      : state === 'over'
        ? t('timer.over')
        : t(`timer.${s.timer.kind}`);
  if (label.textContent !== labelText) label.textContent = labelText;
}

// ---- the judge's actions ----------------------------------------------------------------------

function startRevision(): void {
  const cur = current();
  if (!cur) return;
  app.drafts.delete(cur.key);
  app.revising.add(cur.key);
  app.refusals.delete(cur.key);
  render();
  document.querySelector<HTMLElement>('#sheet .crit button:not([disabled])')?.focus();
}

function discardRevision(): void {
  const cur = current();
  if (!cur) return;
  app.revising.delete(cur.key);
  app.drafts.delete(cur.key);
  draftStore.remove(cur.key);
  render();
  byId('bar')?.querySelector<HTMLElement>('button')?.focus();
}

function confirmScore(cur: Current, draft: Draft): Promise<boolean> {
  return new Promise((resolve) => {
    const total = totalOf(cur.criteria, draft.marks);
    let answer = false;
    const ok = h('button', { type: 'button', class: 'primary', id: 'confirm-ok' }, t('confirm.ok'));
    const back = h('button', { type: 'button', class: 'secondary', id: 'confirm-back' }, t('confirm.back'));
    const panel = h(
      'div',
      { class: 'confirm-panel' },
      h('h2', { id: 'confirm-title' }, t('confirm.title')),
      h('p', { class: 'confirm-project' }, `${app.stage?.project?.ref ?? ''} ${app.stage?.project?.title ?? ''}`),
      h('p', { class: 'muted' }, t('confirm.body')),
      h(
        'table',
        { class: 'confirm-marks' },
        h(
          'tbody',
          {},
          cur.criteria.map((c) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, loc(c.name)),
              h(
                'td',
                {},
                h('b', {}, formatPoints(draft.marks[c.key] ?? 0)),
                h('span', { class: 'muted' }, ` / ${formatPoints(c.max)}`),
              ),
            ),
          ),
        ),
        h(
          'tfoot',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, t('total')),
            h(
              'td',
              {},
              h('b', { id: 'confirm-total' }, formatPoints(total.total)),
              h('span', { class: 'muted' }, ` / ${formatPoints(total.max)}`),
            ),
          ),
        ),
      ),
      h(
        'dl',
        { class: 'confirm-extras' },
        h('dt', {}, t('interest.legend')),
        h(
          'dd',
          {},
          draft.interest.length ? draft.interest.map((i) => t(`interest.${i}`)).join('、') : t('confirm.none'),
        ),
        h('dt', {}, t('comment.label')),
        h('dd', {}, draft.comment.trim() || t('confirm.none')),
      ),
      h('div', { class: 'confirm-actions' }, back, ok),
    );
    const layer = openLayer(panel, {
      kind: 'modal',
      labelledBy: 'confirm-title',
      initialFocus: ok,
      onClose: () => resolve(answer),
    });
    ok.addEventListener('click', () => {
      answer = true;
      layer.close();
    });
    back.addEventListener('click', () => layer.close());
  });
}

async function submit(): Promise<void> {
  const cur = current();
  if (!cur || modeOf(cur) !== 'edit' || app.stage?.phase !== 'scoring') return;
  const draft = draftFor(cur);
  if (!totalOf(cur.criteria, draft.marks).complete) return;
  if (!(await confirmScore(cur, draft))) return;
  const now = current();
  if (!now || now.key !== cur.key || modeOf(now) !== 'edit') return;
  const marks: Record<string, number> = {};
  for (const c of cur.criteria) marks[c.key] = draft.marks[c.key]!;
  app.refusals.delete(cur.key);
  await outbox.add({
    roundId: cur.roundId,
    projectId: cur.projectId,
    marks,
    comment: draft.comment.trim(),
    interest: INTERESTS.filter((i) => draft.interest.includes(i)),
  });
  app.revising.delete(cur.key);
  app.drafts.delete(cur.key);
  draftStore.remove(cur.key);
  render();
  byId('status')?.scrollIntoView({ behavior: 'smooth', block: 'center' });
}

// ---- the projects drawer ----------------------------------------------------------------------

function ownTotal(row: ProjectRow): string | null {
  const criteria = app.state?.round?.criteria ?? [];
  if (!row.marks || !criteria.length) return null;
  return formatPoints(totalOf(criteria, row.marks).total);
}

function projectList(): HTMLElement[] {
  const state = app.state;
  if (!state) return [];
  const rows = state.projects;
  const count = (s: ProjectRow['status']) => rows.filter((r) => r.status === s).length;
  const pendingIds = new Set(app.pending.map((e) => e.body.projectId));
  return [
    h(
      'p',
      { class: 'plist-summary' },
      t('projects.summary', { scored: count('scored'), open: count('not-scored'), recused: count('recused') }),
    ),
    rows.length
      ? h(
          'ol',
          { class: 'plist' },
          rows.map((r) => {
            const onStage = app.stage?.projectId === r.id;
            const total = ownTotal(r);
            const status = pendingIds.has(r.id) ? 'pending' : r.status;
            return h(
              'li',
              { class: 'plist-item', 'data-status': status, 'aria-current': onStage ? 'true' : null },
              h(
                'div',
                { class: 'plist-main' },
                h(
                  'span',
                  { class: 'plist-ref' },
                  r.ref,
                  onStage ? h('span', { class: 'plist-now' }, t('status.onStage')) : null,
                ),
                h('span', { class: 'plist-title' }, r.title),
                h('span', { class: 'plist-meta' }, [loc(r.track), r.institution].filter(Boolean).join(' · ')),
              ),
              h(
                'div',
                { class: 'plist-side' },
                h('span', { class: `plist-status s-${status}` }, t(`status.${status}`)),
                r.status === 'scored' && total !== null
                  ? h(
                      'span',
                      { class: 'plist-total' },
                      h('b', {}, total),
                      r.version ? h('span', {}, ` · ${t('receipt.version', { version: r.version })}`) : null,
                    )
                  : null,
              ),
            );
          }),
        )
      : h('p', { class: 'muted' }, t('projects.empty')),
  ];
}

function openDrawer(): void {
  if (drawer) return;
  const button = byId('open-projects');
  const list = h('div', { class: 'drawer-body' }, projectList());
  const close = h('button', { type: 'button', class: 'secondary drawer-close' }, t('close'));
  const logout = h(
    'form',
    { method: 'post', action: '/judge/logout', class: 'drawer-logout' },
    h('input', { type: 'hidden', name: '_csrf', value: csrfToken() }),
    h('button', { type: 'submit', class: 'link' }, t('logout')),
    h('p', { class: 'hint' }, t('logoutHint')),
  );
  const panel = h(
    'div',
    { class: 'drawer-panel' },
    h('header', { class: 'drawer-head' }, h('h2', { id: 'projects-title' }, t('projects.title')), close),
    list,
    h('footer', { class: 'drawer-foot' }, logout),
  );
  const layer = openLayer(panel, {
    kind: 'drawer',
    labelledBy: 'projects-title',
    initialFocus: close,
    onClose: () => {
      drawer = null;
      button?.setAttribute('aria-expanded', 'false');
    },
  });
  close.addEventListener('click', () => layer.close());
  button?.setAttribute('aria-expanded', 'true');
  drawer = { layer, refresh: () => replaceChildren(list, projectList()) };
}

// ---- data: state snapshot, stage pushes ------------------------------------------------------

function applyStage(view: StageView, fromPush: boolean): void {
  const before = app.stage;
  if (
    before &&
    (view.revision < before.revision || (view.revision === before.revision && view.serverNow < before.serverNow))
  )
    return;
  const sample = view.serverNow - Date.now();
  // Latency only makes a sample smaller than the true offset: keep the largest, unless the clock jumped.
  app.offset = app.offset === null || Math.abs(sample - app.offset) > 5000 ? sample : Math.max(app.offset, sample);
  app.stage = view;
  if (
    fromPush &&
    (!before ||
      before.projectId !== view.projectId ||
      before.roundId !== view.roundId ||
      before.phase !== view.phase ||
      view.roundId !== (app.state?.round?.id ?? null))
  )
    scheduleRefresh();
}

let refreshing: Promise<void> | null = null;
let refreshAgain = false;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;

function scheduleRefresh(delay = 120): void {
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    void refreshState();
  }, delay);
}

function refreshState(): Promise<void> {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      try {
        const state = await fetchState();
        app.state = state;
        app.loadFailed = false;
        applyStage(state.stage, false);
        for (const row of state.projects) {
          // A newer version from the server than our receipt: that receipt is history.
          const key = keyOf(state.round?.id ?? 0, row.id);
          const receipt = app.receipts.get(key);
          if (receipt && row.version !== null && row.version > receipt.version) app.receipts.delete(key);
        }
      } catch (err) {
        if (err instanceof SessionEnded) {
          endSession();
        } else {
          app.loadFailed = true;
          scheduleRefresh(3000);
        }
      }
      render();
    } while (refreshAgain);
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function endSession(): void {
  app.sessionEnded = true;
  render();
}

// ---- outbox callbacks ------------------------------------------------------------------------

function onAccepted(entry: OutboxEntry, receipt: Receipt): void {
  const key = keyOf(receipt.roundId, receipt.projectId);
  app.receipts.set(key, receipt);
  app.refusals.delete(key);
  app.sessionEnded = false;
  const row = app.state?.projects.find((p) => p.id === receipt.projectId);
  if (row && app.state?.round?.id === receipt.roundId && (row.version ?? 0) <= receipt.version) {
    row.status = 'scored';
    row.version = receipt.version;
    row.marks = { ...entry.body.marks };
    row.comment = entry.body.comment;
    row.interest = [...entry.body.interest];
  }
  render();
  scheduleRefresh(300);
}

function onRefused(entry: OutboxEntry, refusal: Refusal): void {
  const key = keyOf(entry.body.roundId, entry.body.projectId);
  app.refusals.set(key, refusal);
  // Give the marks back so the judge can fix and resend while the window is open.
  const criteria = app.state?.round?.criteria ?? [];
  app.drafts.set(key, {
    marks: Object.fromEntries(criteria.map((c) => [c.key, entry.body.marks[c.key] ?? null])),
    comment: entry.body.comment,
    interest: entry.body.interest as Interest[],
  });
  app.revising.add(key);
  if (current()?.key !== key) {
    const row = app.state?.projects.find((p) => p.id === entry.body.projectId);
    app.elsewhere.push({
      project: row ? `${row.ref} ${row.title}` : `#${entry.body.projectId}`,
      message: refusal.message,
    });
  }
  render();
  scheduleRefresh(300);
}

// ---- boot ------------------------------------------------------------------------------------

function connectSocket(): void {
  let connectedBefore = false;
  socket = io('/judge', { reconnectionDelayMax: 5000 });
  socket.on('connect', () => {
    app.socketUp = true;
    renderChrome();
    if (connectedBefore) void refreshState();
    connectedBefore = true;
    void outbox.flush();
  });
  socket.on('disconnect', () => {
    app.socketUp = false;
    renderChrome();
  });
  socket.on('connect_error', (err) => {
    app.socketUp = false;
    if (err.message === 'not-judge' || err.message === 'judge-link-invalid') {
      endSession();
      return;
    }
    renderChrome();
    // Refused by the namespace for another reason (e.g. the server restarting): try again later.
    if (!socket.active) setTimeout(() => socket.connect(), 3000);
  });
  socket.on('stage:updated', (view) => {
    applyStage(view, true);
    render();
  });
  socket.on('sheets:changed', () => scheduleRefresh(0));
}

function wakeUp(): void {
  renderChrome();
  void outbox.flush();
  void refreshState();
  if (!socket.connected) socket.connect();
}

async function boot(): Promise<void> {
  if (!root) return;
  initI18n(root);
  app.judgeId = Number(root.dataset.judgeId);
  draftStore = new DraftStore(app.judgeId);
  outbox = new Outbox({
    judgeId: app.judgeId,
    csrfToken,
    refreshCsrf,
    onChange: (entries) => {
      app.pending = entries;
      render();
    },
    onAccepted,
    onRefused,
    onSessionEnded: endSession,
    onStorageProblem: () => {
      app.storageProblem = true;
      render();
    },
  });
  byId('open-projects')?.addEventListener('click', openDrawer);
  window.addEventListener('online', wakeUp);
  window.addEventListener('offline', renderChrome);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') wakeUp();
  });
  setInterval(tick, 250);

  app.drafts = await draftStore.loadAll();
  render();
  await outbox.load();
  connectSocket();
  await refreshState();
}

void boot();
