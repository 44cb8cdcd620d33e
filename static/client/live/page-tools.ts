/**
 * Buttons on the link, card and ledger pages: `data-copy="#selector"` copies that element's text
 * (with a fallback for plain-http venue networks, where the Clipboard API is unavailable), and
 * `data-print` opens the print dialog.
 */

async function copyText(text: string, source: Element): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection fallback
  }
  const range = document.createRange();
  range.selectNodeContents(source);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

export function initPageTools(): void {
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const copy = target?.closest<HTMLButtonElement>('button[data-copy]');
    if (copy) {
      const source = document.querySelector(copy.dataset.copy ?? '');
      if (!source) return;
      const label = copy.textContent;
      void copyText(source.textContent?.trim() ?? '', source).then((ok) => {
        if (!ok) return;
        copy.textContent = copy.dataset.copied ?? label;
        setTimeout(() => (copy.textContent = label), 2000);
      });
      return;
    }
    if (target?.closest('button[data-print]')) window.print();
  });
}
