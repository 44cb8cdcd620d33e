/**
 * Modal layers for the judge page (the confirmation before submitting, the projects drawer):
 * real dialogs with aria-modal, focus moved in and trapped, Escape and the backdrop close them,
 * focus returns to the opener, and the page behind is made inert.
 */
import { h } from './dom.js';

const FOCUSABLE = 'button:not([disabled]), [href], textarea, input, select, [tabindex]:not([tabindex="-1"])';

export interface Layer {
  close(): void;
}

/** Opens `panel` (which holds its own heading, labelled by `labelledBy`) over the page. */
export function openLayer(
  panel: HTMLElement,
  options: { labelledBy: string; kind: 'modal' | 'drawer'; onClose?: () => void; initialFocus?: HTMLElement },
): Layer {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const behind = [...document.body.children].filter((el): el is HTMLElement => el instanceof HTMLElement);
  const layer = h(
    'div',
    {
      class: `layer layer-${options.kind}`,
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': options.labelledBy,
    },
    panel,
  );
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    document.removeEventListener('keydown', onKey, true);
    for (const el of behind) el.removeAttribute('inert');
    layer.remove();
    document.body.classList.remove('has-layer');
    options.onClose?.();
    opener?.focus();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Tab') {
      const items = [...panel.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  layer.addEventListener('click', (event) => {
    if (event.target === layer) close();
  });
  document.addEventListener('keydown', onKey, true);
  for (const el of behind) el.setAttribute('inert', '');
  document.body.appendChild(layer);
  document.body.classList.add('has-layer');
  (options.initialFocus ?? panel.querySelector<HTMLElement>(FOCUSABLE))?.focus();
  return { close };
}
