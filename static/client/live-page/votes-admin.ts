/**
 * The organizers' audience-vote page: refreshes the live counts every few seconds (while the tab
 * is visible) from the tally API. Opening, closing, releasing and reviewing stay plain forms.
 */
import type { OrganizerVoteView } from '../../../server/services/vote.service.js';
import { api } from '../live/api.js';
import { byId, fill, h } from '../live/dom.js';

const REFRESH_MS = 4000;

export function startVotesAdmin(root: HTMLElement): void {
  const url = root.dataset.tallyUrl ?? '';
  const locale = root.dataset.locale ?? 'zh-CN';
  const totalsTemplate = root.dataset.totals ?? '';
  const loc = (name: { zh: string; en: string }) => (locale === 'en' && name.en ? name.en : name.zh);

  function render(view: OrganizerVoteView): void {
    const totals = byId('va-totals');
    if (totals)
      totals.textContent = totalsTemplate.replace(/\{(\w+)\}/g, (whole, key: string) =>
        key in view.totals ? String(view.totals[key as keyof typeof view.totals]) : whole,
      );
    const denominator = Math.max(view.totals.counted, 1);
    let rank = 0;
    let last = -1;
    fill(
      byId('va-rows'),
      view.tally.map((r, i) => {
        if (r.counted !== last) rank = i + 1;
        last = r.counted;
        return h(
          'tr',
          { 'data-ref': r.ref },
          h('td', { class: 'num' }, r.counted > 0 ? rank : '–'),
          h(
            'td',
            {},
            h('span', { class: 'cell-main' }, r.title),
            h('span', { class: 'cell-sub' }, h('span', { class: 'mono' }, r.ref), ` · ${loc(r.track.name)}`),
          ),
          h('td', { class: 'num', 'data-counted': true }, r.counted),
          h('td', { class: 'num', 'data-held': true }, r.held),
          h(
            'td',
            { class: 'num', 'data-share': true },
            view.totals.counted ? `${Math.round((r.counted * 1000) / denominator) / 10}%` : '–',
          ),
        );
      }),
    );
  }

  async function refresh(): Promise<void> {
    if (document.visibilityState !== 'visible') return;
    const res = await api<OrganizerVoteView>('GET', url, '');
    if (res.ok) render(res.data);
  }

  setInterval(() => void refresh(), REFRESH_MS);
}
