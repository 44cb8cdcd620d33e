/**
 * Registration form enhancements (the form works without them): a live character counter for the
 * summary, an early check of the chosen deck (PDF, size limit), one submit at a time, and focus
 * on the first invalid field after the server sent the form back.
 */

function fill(template: string, params: Record<string, number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

function summaryCounter(): void {
  const counter = document.querySelector<HTMLElement>('[data-counter-for]');
  if (!counter) return;
  const field = document.getElementById(counter.dataset.counterFor ?? '');
  if (!(field instanceof HTMLTextAreaElement)) return;
  const max = Number(counter.dataset.max);
  const update = () => {
    const count = field.value.trim().length;
    const over = count - max;
    counter.textContent =
      over > 0
        ? fill(counter.dataset.textOver ?? '', { count, over })
        : fill(counter.dataset.text ?? '', { count, max });
    counter.classList.toggle('is-over', over > 0);
  };
  counter.hidden = false;
  // The counter states the limit too: the static hint would say it twice.
  const hint = document.getElementById(counter.dataset.replaces ?? '');
  if (hint) hint.hidden = true;
  field.setAttribute('aria-describedby', `${field.getAttribute('aria-describedby') ?? ''} ${counter.id}`.trim());
  field.addEventListener('input', update);
  update();
}

/** The deck problem the server would report, found before uploading megabytes over venue Wi-Fi. */
function deckProblem(input: HTMLInputElement): string {
  const file = input.files?.[0];
  if (!file) return '';
  if (file.size > Number(input.dataset.maxBytes)) return input.dataset.tooLarge ?? '';
  const pdf = file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
  return pdf ? '' : (input.dataset.notPdf ?? '');
}

function deckCheck(form: HTMLFormElement): () => boolean {
  const input = form.querySelector<HTMLInputElement>('input[type="file"][name="deck"]');
  const message = form.querySelector<HTMLElement>('[data-client-error]');
  if (!input || !message) return () => true;
  const check = () => {
    const problem = deckProblem(input);
    message.textContent = problem;
    message.hidden = !problem;
    input.setCustomValidity(problem);
    if (problem) input.setAttribute('aria-invalid', 'true');
    else if (!input.closest('.has-error')) input.removeAttribute('aria-invalid');
    return !problem;
  };
  input.addEventListener('change', check);
  return check;
}

function enhanceForm(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-register-form]');
  if (!form) return;
  const deckOk = deckCheck(form);
  let sending = false;
  form.addEventListener('submit', (event) => {
    if (sending || !deckOk()) {
      event.preventDefault();
      if (!sending) form.querySelector<HTMLInputElement>('input[name="deck"]')?.focus();
      return;
    }
    sending = true;
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (button) {
      button.dataset.idleText = button.textContent ?? '';
      button.disabled = true;
      if (button.dataset.busyText) button.textContent = button.dataset.busyText;
    }
  });
  // A page restored from the back/forward cache must be usable again.
  window.addEventListener('pageshow', () => {
    sending = false;
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (!button) return;
    button.disabled = false;
    if (button.dataset.idleText) button.textContent = button.dataset.idleText;
  });
}

function focusFirstError(): void {
  const invalid = document.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (invalid) invalid.focus();
  else document.querySelector<HTMLElement>('.alert, .form-errors[tabindex]')?.scrollIntoView({ block: 'center' });
}

summaryCounter();
enhanceForm();
focusFirstError();
