/**
 * Organizer console enhancements (the pages work without it): confirmation before destructive
 * submits, focus on the first invalid field, and the tie-break rows of the round form.
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

/** A tie-break row's criterion select only matters for "named criterion": dim it otherwise. */
function linkTieBreakCriteria(): void {
  const kinds = document.querySelectorAll<HTMLSelectElement>('select[name^="scoring.tieBreaks."][name$=".kind"]');
  for (const kind of kinds) {
    const name = kind.name.replace(/kind$/, 'criterionKey');
    const criterion = document.querySelector<HTMLSelectElement>(`select[name="${name}"]`);
    if (!criterion) continue;
    const sync = () => {
      const used = kind.value === 'criterion';
      criterion.disabled = !used;
      criterion.closest('.field')?.classList.toggle('is-off', !used);
    };
    kind.addEventListener('change', sync);
    sync();
  }
}

confirmDestructiveForms();
linkTieBreakCriteria();
focusFirstError();
