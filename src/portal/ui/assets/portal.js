// The portal's optional enhancements. Every page works without this file; it only makes typing
// and choosing easier. No framework, no build step.
(() => {
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  // Card number in groups of four (American Express: 4-6-5) as it is typed.
  const groupCardNumber = (digits) => {
    const groups = /^3[47]/.test(digits) ? [4, 6, 5] : [4, 4, 4, 4, 3];
    const out = [];
    let at = 0;
    for (const size of groups) {
      if (at >= digits.length) break;
      out.push(digits.slice(at, at + size));
      at += size;
    }
    return out.join(' ');
  };

  // Keeps the caret after the same number of digits once the value is reformatted.
  const reformat = (input, format) => {
    const caret = input.selectionStart ?? input.value.length;
    const digitsBefore = input.value.slice(0, caret).replace(/\D/g, '').length;
    const next = format(input.value.replace(/\D/g, ''));
    if (next === input.value) return;
    input.value = next;
    let seen = 0;
    let position = next.length;
    for (let i = 0; i < next.length; i++) {
      if (seen === digitsBefore) {
        position = i;
        break;
      }
      if (/\d/.test(next[i])) seen++;
    }
    input.setSelectionRange(position, position);
  };

  for (const input of $$('[data-card-number]')) {
    input.addEventListener('input', () => reformat(input, (d) => groupCardNumber(d.slice(0, 19))));
  }

  // Expiry as "MM / YY".
  for (const input of $$('[data-card-expiry]')) {
    input.addEventListener('input', (event) => {
      if (event.inputType?.startsWith('delete')) return;
      reformat(input, (d) => {
        let digits = d.slice(0, 4);
        if (digits.length === 1 && digits > '1') digits = `0${digits}`;
        return digits.length > 2 ? `${digits.slice(0, 2)} / ${digits.slice(2)}` : digits;
      });
    });
  }

  // Address labels follow the chosen country (the server sends each scheme's labels).
  for (const block of $$('[data-address-labels]')) {
    let schemes;
    try {
      schemes = JSON.parse(block.getAttribute('data-address-labels') || '{}');
    } catch {
      continue;
    }
    const optional = block.getAttribute('data-optional-label') || '';
    const country = block.querySelector('[data-address-country]');
    if (!country) continue;
    const relabel = () => {
      const code = country.value;
      const scheme = schemes[code === 'US' || code === 'CA' || code === 'GB' ? code : 'other'];
      if (!scheme) return;
      for (const part of ['city', 'state', 'postal']) {
        const input = block.querySelector(`[data-address-part="${part}"]`);
        const label = input && block.querySelector(`label[for="${input.id}"]`);
        if (!label) continue;
        const text = part === 'postal' ? scheme.postal : part === 'city' ? scheme.city : scheme.state;
        const mark = part === 'state' && scheme.stateOptional ? ` ${optional}` : '';
        label.textContent = text;
        if (mark) {
          const span = document.createElement('span');
          span.className = 'field__optional';
          span.textContent = mark;
          label.append(span);
        }
      }
    };
    country.addEventListener('change', relabel);
  }

  // A radio's extra fields show only while it is chosen (they are all visible without script).
  for (const panel of $$('[data-reveal-for]')) {
    const radio = document.getElementById(panel.getAttribute('data-reveal-for'));
    if (!radio) continue;
    const group = $$(`input[type="radio"][name="${radio.name}"]`);
    const update = () => {
      panel.hidden = !radio.checked;
    };
    for (const r of group) r.addEventListener('change', update);
    update();
  }

  // One submission per press: a second press while the first is on its way does nothing. Coming
  // back to the page from the history arms the forms again.
  let sending = false;
  for (const form of $$('form[method="post"]')) {
    form.addEventListener('submit', (event) => {
      if (sending) event.preventDefault();
      sending = true;
    });
  }
  window.addEventListener('pageshow', () => {
    sending = false;
  });
})();
