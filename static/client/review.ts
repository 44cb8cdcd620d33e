/**
 * Review-area enhancements (the pages work without them, except the CSV upload, see below):
 * "select all" and a selection count on the review queue's bulk form; the CSV upload sent with
 * fetch so its CSRF token can travel in the x-csrf-token header (the app checks CSRF before a
 * multipart body is read), the answer shown in place (a preview) or followed (a kept batch).
 */

function bulkSelection(): void {
  const all = document.querySelector<HTMLInputElement>('input[data-select-all]');
  const boxes = Array.from(document.querySelectorAll<HTMLInputElement>('input[name="refs"]'));
  const counter = document.querySelector<HTMLElement>('[data-selected-count]');
  if (!boxes.length) return;
  const update = () => {
    const n = boxes.filter((b) => b.checked).length;
    if (all) {
      all.checked = n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    }
    if (counter) counter.textContent = n ? (counter.dataset.template ?? '{n}').replace('{n}', String(n)) : '';
  };
  if (all) {
    all.hidden = false;
    all.addEventListener('change', () => {
      for (const b of boxes) b.checked = all.checked;
      update();
    });
  }
  for (const b of boxes) b.addEventListener('change', update);
  update();
}

async function sendUpload(form: HTMLFormElement): Promise<void> {
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const errorBox = form.querySelector<HTMLElement>('[data-upload-error]');
  const token = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  const label = button?.textContent ?? '';
  if (button) {
    button.disabled = true;
    button.textContent = form.dataset.busy ?? label;
  }
  try {
    const res = await fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      headers: { 'x-csrf-token': token, accept: 'text/html' },
      credentials: 'same-origin',
    });
    if (res.redirected) {
      window.location.assign(res.url);
      return;
    }
    const page = new DOMParser().parseFromString(await res.text(), 'text/html');
    const main = page.querySelector('main');
    const here = document.querySelector('main');
    if (!main || !here) throw new Error('unexpected answer');
    here.replaceChildren(...Array.from(main.childNodes).map((n) => document.importNode(n, true)));
    document.title = page.title;
    window.scrollTo(0, 0);
  } catch {
    if (errorBox) {
      errorBox.textContent = form.dataset.failed ?? 'Upload failed';
      errorBox.hidden = false;
    }
    if (button) {
      button.disabled = false;
      button.textContent = label;
    }
  }
}

function uploads(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload')) return;
    if (!form.reportValidity()) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    void sendUpload(form);
  });
}

bulkSelection();
uploads();
