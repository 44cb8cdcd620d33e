/**
 * Schedule pages (they work without it): the run-of-show's print button, and when an organizer
 * follows a ↑/↓ link the reorder form is brought into view with the reason field focused.
 */

function printButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-print]')) {
    button.addEventListener('click', () => window.print());
  }
}

function focusReorderReason(): void {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('move') || document.querySelector('[aria-invalid="true"]')) return;
  const reason = document.querySelector<HTMLTextAreaElement>('#reorder textarea[name="moveReason"]');
  if (!reason) return;
  reason.focus({ preventScroll: true });
  document.getElementById('reorder')?.scrollIntoView({ block: 'center' });
}

printButtons();
// After the browser's own scroll to #reorder, which moves focus to the body.
if (document.readyState === 'complete') setTimeout(focusReorderReason, 0);
else window.addEventListener('load', () => setTimeout(focusReorderReason, 0), { once: true });
