/**
 * The score sheet for one project: per criterion its name, range, step, weight and level
 * descriptors, a large stepper (− value +) and segmented quick picks; then the optional comment
 * and follow-up interest toggles. Marks change in place (no re-render, so focus and an IME
 * composition in the comment survive pushes); "not scored" is drawn unlike any mark.
 * Read-only sheets (submitted, pending, locked) show the same layout without controls.
 */
import type { Criterion } from './api.js';
import { h, replaceChildren } from './dom.js';
import { loc, t } from './i18n.js';
import { formatPoints, inPick, quickPicks, stepMark, type Marks } from './marks.js';

export const INTERESTS = ['investment', 'clinical-pilot', 'cooperation'] as const;
export type Interest = (typeof INTERESTS)[number];

export interface Draft {
  marks: Marks;
  comment: string;
  interest: Interest[];
}

export interface SheetOptions {
  criteria: Criterion[];
  draft: Draft;
  editable: boolean;
  /** Field errors from a refused submission, by criterion key. */
  problems?: Record<string, string>;
  /** Called after any change the judge makes (the draft was mutated in place). */
  onChange(): void;
}

export function emptyDraft(criteria: Criterion[]): Draft {
  return { marks: Object.fromEntries(criteria.map((c) => [c.key, null])), comment: '', interest: [] };
}

function criterionCard(c: Criterion, options: SheetOptions): HTMLElement {
  const { draft, editable } = options;
  const name = loc(c.name);
  const step = formatPoints(c.step);
  const valueId = `mark-${c.key}`;
  const nameId = `crit-${c.key}`;

  const value = h('output', { class: 'mark', id: valueId, 'aria-live': 'polite' });
  const minus = h(
    'button',
    {
      type: 'button',
      class: 'step minus',
      'aria-label': t('decrease', { name, step }),
      'data-focus': `minus-${c.key}`,
      onclick: () => change(stepMark(c, draft.marks[c.key] ?? null, -1)),
    },
    h('span', { 'aria-hidden': 'true' }, '−'),
  );
  const plus = h(
    'button',
    {
      type: 'button',
      class: 'step plus',
      'aria-label': t('increase', { name, step }),
      'data-focus': `plus-${c.key}`,
      onclick: () => change(stepMark(c, draft.marks[c.key] ?? null, 1)),
    },
    h('span', { 'aria-hidden': 'true' }, '+'),
  );

  const picks = quickPicks(c);
  const pickButtons = picks.map((pick, i) => {
    const range =
      pick.min === pick.max ? formatPoints(pick.min) : `${formatPoints(pick.min)}–${formatPoints(pick.max)}`;
    const label = pick.label ? loc(pick.label) : '';
    return h(
      'button',
      {
        type: 'button',
        class: pick.label ? 'level' : 'level plain',
        'aria-pressed': 'false',
        'data-focus': `pick-${c.key}-${i}`,
        disabled: !editable,
        onclick: () => change(pick.value),
      },
      h('span', { class: 'level-range' }, range),
      label ? h('span', { class: 'level-label' }, label) : null,
    );
  });

  const problem = h('p', { class: 'crit-problem', role: 'alert', hidden: true });
  const card = h(
    'article',
    { class: 'crit', 'data-key': c.key, 'aria-labelledby': nameId },
    h(
      'div',
      { class: 'crit-head' },
      h(
        'div',
        { class: 'crit-info' },
        h('h3', { class: 'crit-name', id: nameId }, name),
        h(
          'p',
          { class: 'crit-meta' },
          h('span', {}, t('criterion.range', { min: formatPoints(c.min), max: formatPoints(c.max) })),
          h('span', {}, t('criterion.step', { step })),
          c.weight !== 1 ? h('span', {}, t('criterion.weight', { weight: formatPoints(c.weight) })) : null,
        ),
        c.description ? h('p', { class: 'crit-desc' }, c.description) : null,
      ),
      h('div', { class: 'stepper' }, editable ? minus : null, value, editable ? plus : null),
    ),
    h(
      'div',
      {
        class: `levels count-${pickButtons.length}`,
        role: 'group',
        'aria-label': t('criterion.levels', { name }),
      },
      pickButtons,
    ),
    problem,
  );

  function paint(): void {
    const mark = draft.marks[c.key] ?? null;
    card.dataset.scored = mark === null ? 'false' : 'true';
    if (mark === null) {
      replaceChildren(
        value,
        h('span', { class: 'mark-value', 'aria-hidden': 'true' }, '—'),
        h('span', { class: 'mark-unit' }, t('notScored')),
      );
    } else {
      replaceChildren(
        value,
        h('span', { class: 'mark-value' }, formatPoints(mark)),
        h('span', { class: 'mark-unit' }, `/ ${formatPoints(c.max)}`),
      );
    }
    minus.disabled = !editable || (mark !== null && mark <= c.min);
    plus.disabled = !editable || (mark !== null && mark >= c.max);
    picks.forEach((pick, i) => pickButtons[i]!.setAttribute('aria-pressed', String(inPick(pick, mark))));
    const message = options.problems?.[c.key];
    problem.hidden = !message;
    problem.textContent = message ?? '';
    card.classList.toggle('has-problem', !!message);
  }

  function change(mark: number): void {
    if (!editable) return;
    draft.marks[c.key] = mark;
    if (options.problems) delete options.problems[c.key];
    paint();
    options.onChange();
  }

  paint();
  return card;
}

function extras(options: SheetOptions): HTMLElement | null {
  const { draft, editable } = options;
  if (!editable) {
    if (!draft.comment && !draft.interest.length) return null;
    return h(
      'section',
      { class: 'extras readonly' },
      draft.comment
        ? h(
            'div',
            { class: 'extra-block' },
            h('h3', {}, t('comment.label')),
            h('p', { class: 'comment-text' }, draft.comment),
          )
        : null,
      draft.interest.length
        ? h(
            'div',
            { class: 'extra-block' },
            h('h3', {}, t('interest.legend')),
            h(
              'ul',
              { class: 'chips' },
              draft.interest.map((i) => h('li', { class: 'chip' }, t(`interest.${i}`))),
            ),
          )
        : null,
    );
  }

  const comment = h('textarea', {
    id: 'comment',
    name: 'comment',
    rows: 3,
    maxlength: 2000,
    placeholder: t('comment.placeholder'),
    'data-focus': 'comment',
  });
  comment.value = draft.comment;
  comment.addEventListener('input', () => {
    draft.comment = comment.value;
    options.onChange();
  });

  const toggles = INTERESTS.map((kind) => {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'toggle',
        'aria-pressed': String(draft.interest.includes(kind)),
        'data-focus': `interest-${kind}`,
      },
      h('span', { class: 'toggle-box', 'aria-hidden': 'true' }),
      h('span', {}, t(`interest.${kind}`)),
    );
    button.addEventListener('click', () => {
      const on = !draft.interest.includes(kind);
      draft.interest = on ? [...draft.interest, kind] : draft.interest.filter((k) => k !== kind);
      button.setAttribute('aria-pressed', String(on));
      options.onChange();
    });
    return button;
  });

  return h(
    'section',
    { class: 'extras' },
    h(
      'div',
      { class: 'extra-block' },
      h('label', { for: 'comment' }, t('comment.label'), ' ', h('span', { class: 'optional' }, t('comment.optional'))),
      comment,
    ),
    h(
      'div',
      { class: 'extra-block', role: 'group', 'aria-labelledby': 'interest-legend' },
      h(
        'p',
        { class: 'legend', id: 'interest-legend' },
        t('interest.legend'),
        ' ',
        h('span', { class: 'optional' }, t('comment.optional')),
      ),
      h('div', { class: 'toggles' }, toggles),
      h('p', { class: 'hint' }, t('interest.hint')),
    ),
  );
}

/** Builds the sheet; marks update in place from then on. */
export function buildSheet(options: SheetOptions): HTMLElement {
  return h(
    'section',
    { class: options.editable ? 'sheet' : 'sheet readonly', 'aria-labelledby': 'sheet-title' },
    h('h2', { class: 'visually-hidden', id: 'sheet-title' }, t('sheet.title')),
    h(
      'div',
      { class: 'criteria' },
      options.criteria.map((c) => criterionCard(c, options)),
    ),
    extras(options),
  );
}
