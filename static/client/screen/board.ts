/**
 * The leaderboard on the big screen: one board (a track or overall) rendered into an <ol> from
 * the page's row <template>, at most MAX_ROWS rows in one or two columns. Rows are kept per
 * project between updates, so a change of ranking animates each row from its old place to its
 * new one (FLIP with the Web Animations API: no style attributes, which the CSP forbids), and a
 * changed score flashes. The row height follows the row count through a CSS custom property.
 */
import type { AudienceRow, AudienceTrack } from '../../../server/domain/release.js';
import type { Translate } from '../live/dom.js';

export const MAX_ROWS = 24;
const TWO_COLUMNS_FROM = 13;
const MOVE_MS = 900;

export interface BoardOptions {
  scoresShown: boolean;
  locale: string;
}

function field(li: HTMLElement, name: string): HTMLElement {
  return li.querySelector<HTMLElement>(`[data-f="${name}"]`)!;
}

const localized = (name: { zh: string; en: string }, locale: string) =>
  locale === 'en' && name.en ? name.en : name.zh;

export class BoardView {
  private rows = new Map<string, HTMLLIElement>();
  private scores = new Map<string, string | null>();
  private boardKey: string | null = null;

  constructor(
    private readonly list: HTMLOListElement,
    private readonly template: HTMLTemplateElement,
    private readonly more: HTMLElement,
    private readonly t: Translate,
  ) {}

  private fill(li: HTMLLIElement, row: AudienceRow, index: number, opts: BoardOptions): void {
    const rank = field(li, 'rank');
    if (!opts.scoresShown) rank.textContent = String(index + 1);
    else if (row.outOfCompetition) rank.textContent = '☆';
    else rank.textContent = row.rank === null ? '–' : String(row.rank);
    field(li, 'title').textContent = row.title;
    field(li, 'title').title = row.title;
    field(li, 'institution').textContent = row.institution;
    const zone = field(li, 'zone');
    zone.className = 'lb-zone';
    if (row.outOfCompetition) {
      zone.textContent = this.t('screen.board.ooc');
      zone.classList.add('is-ooc');
    } else if (row.prizeZone) {
      zone.textContent = this.t('screen.board.zone', { tier: localized(row.prizeZone.name, opts.locale) });
      zone.classList.add(`zone-${Math.min(row.prizeZone.level, 4)}`);
    } else zone.textContent = '';
    zone.hidden = !zone.textContent;
    const delta = field(li, 'delta');
    delta.className = 'lb-delta';
    if (row.delta && opts.scoresShown) {
      const up = row.delta > 0;
      delta.textContent = `${up ? '▲' : '▼'}${Math.abs(row.delta)}`;
      delta.classList.add(up ? 'is-up' : 'is-down');
      delta.setAttribute(
        'aria-label',
        this.t(up ? 'screen.board.up' : 'screen.board.down', { n: Math.abs(row.delta) }),
      );
    } else {
      delta.textContent = '';
      delta.removeAttribute('aria-label');
    }
    delta.hidden = !delta.textContent;
    const score = field(li, 'score');
    score.textContent = opts.scoresShown ? (row.display ?? this.t('screen.board.pending')) : '';
    li.className = 'lb-row';
    if (opts.scoresShown && row.display === null) li.classList.add('is-pending');
    if (row.outOfCompetition) li.classList.add('is-ooc');
    if (opts.scoresShown && row.prizeZone && !row.outOfCompetition)
      li.classList.add('has-zone', `zone-${Math.min(row.prizeZone.level, 4)}`);
    li.dataset.ref = row.ref;
  }

  /** Renders a board; rows of the same board move to their new places, a new board replaces the list. */
  render(board: AudienceTrack, opts: BoardOptions): void {
    const key = `${board.key}|${opts.scoresShown ? 's' : 'h'}`;
    const sameBoard = key === this.boardKey;
    const before = new Map<string, DOMRect>();
    if (sameBoard) for (const [ref, li] of this.rows) before.set(ref, li.getBoundingClientRect());
    else {
      this.rows.clear();
      this.scores.clear();
      this.list.replaceChildren();
    }
    this.boardKey = key;

    const shown = board.rows.slice(0, MAX_ROWS);
    const columns = shown.length >= TWO_COLUMNS_FROM ? 2 : 1;
    const perColumn = Math.max(6, Math.ceil(shown.length / columns));
    this.list.classList.toggle('is-two-col', columns === 2);
    this.list.classList.toggle('is-dense', perColumn > 8);
    this.list.style.setProperty('--rows', String(perColumn));

    const next = new Map<string, HTMLLIElement>();
    const changed: HTMLLIElement[] = [];
    shown.forEach((row, i) => {
      let li = this.rows.get(row.ref);
      if (!li) li = (this.template.content.firstElementChild as HTMLLIElement).cloneNode(true) as HTMLLIElement;
      this.fill(li, row, i, opts);
      if (sameBoard && this.scores.has(row.ref) && this.scores.get(row.ref) !== row.display) changed.push(li);
      this.scores.set(row.ref, row.display);
      next.set(row.ref, li);
      this.list.append(li);
    });
    for (const [ref, li] of this.rows) if (!next.has(ref)) li.remove();
    this.rows = next;

    const extra = board.rows.length - shown.length;
    this.more.hidden = extra <= 0;
    this.more.textContent = extra > 0 ? this.t('screen.board.more', { count: extra }) : '';

    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (reduced || typeof HTMLElement.prototype.animate !== 'function') return;
    for (const [ref, li] of next) {
      const old = before.get(ref);
      if (!old) {
        if (!sameBoard) continue;
        li.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 500, easing: 'ease-out' });
        continue;
      }
      const now = li.getBoundingClientRect();
      const dx = old.left - now.left;
      const dy = old.top - now.top;
      if (Math.abs(dx) < 1 && Math.abs(dy) < 1) continue;
      li.animate([{ transform: `translate(${dx}px, ${dy}px)` }, { transform: 'translate(0, 0)' }], {
        duration: MOVE_MS,
        easing: 'cubic-bezier(0.2, 0.8, 0.2, 1)',
      });
    }
    for (const li of changed)
      li.animate([{ backgroundColor: 'rgba(245, 196, 81, 0.45)' }, { backgroundColor: 'rgba(245, 196, 81, 0)' }], {
        duration: 2400,
        easing: 'ease-out',
      });
    if (!sameBoard) this.list.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 400, easing: 'ease-out' });
  }
}
