/**
 * Results pages enhancement (the forms work without it): in a head-judge decision form, ↑/↓
 * buttons move a tied project up or down and renumber the position inputs, so the order can be
 * set without typing numbers.
 */

function renumber(tbody: HTMLTableSectionElement): void {
  tbody.querySelectorAll<HTMLInputElement>('input.position').forEach((input, i) => {
    input.value = String(i + 1);
  });
}

function enhanceDecisionForms(): void {
  for (const tbody of document.querySelectorAll<HTMLTableSectionElement>('.decision-order tbody')) {
    for (const row of tbody.querySelectorAll<HTMLTableRowElement>('tr')) {
      const cell = row.querySelector('td');
      if (!cell) continue;
      for (const [label, delta] of [
        ['↑', -1],
        ['↓', 1],
      ] as const) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'small move';
        button.textContent = label;
        button.setAttribute('aria-label', label === '↑' ? 'up' : 'down');
        button.addEventListener('click', () => {
          const sibling = delta < 0 ? row.previousElementSibling : row.nextElementSibling;
          if (!sibling) return;
          if (delta < 0) tbody.insertBefore(row, sibling);
          else tbody.insertBefore(sibling, row);
          renumber(tbody);
          button.focus();
        });
        cell.append(button);
      }
    }
  }
}

enhanceDecisionForms();
