// A few DOM helpers: h() builds elements, field() a labelled input with its hint and error.
let uid = 0;

/** h('button', { class: 'x', onclick }, 'text', child…) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = Boolean(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const nextId = (p = 'f') => `${p}-${(uid += 1)}`;

/**
 * A labelled field: `{ wrap, input, error, setError(text), value() }`.
 * @param {string} label
 * @param {object} opts `{ type, value, placeholder, hint, options: [{value,label}], name, required, inputmode, autocomplete }`
 */
export function field(label, opts = {}) {
  const id = opts.id ?? nextId(opts.name ?? 'f');
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  let input;
  if (opts.options) {
    input = h('select', { id, name: opts.name });
    for (const o of opts.options) input.append(h('option', { value: o.value, selected: String(o.value) === String(opts.value) }, o.label));
  } else if (opts.type === 'textarea') {
    input = h('textarea', { id, name: opts.name, rows: opts.rows ?? 3, placeholder: opts.placeholder, value: opts.value });
  } else {
    input = h('input', {
      id,
      name: opts.name,
      type: opts.type ?? 'text',
      value: opts.value,
      placeholder: opts.placeholder,
      inputmode: opts.inputmode,
      autocomplete: opts.autocomplete ?? 'off',
      spellcheck: 'false',
      checked: opts.checked,
      required: opts.required,
    });
  }
  const described = [opts.hint ? hintId : null, errId].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', described);
  const error = h('p', { id: errId, class: 'field-error', role: 'alert', 'aria-live': 'polite', hidden: true });
  const wrap = h(
    'div',
    { class: `field${opts.type === 'checkbox' ? ' field-check' : ''}` },
    h('label', { for: id }, label),
    input,
    opts.hint ? h('p', { id: hintId, class: 'hint' }, opts.hint) : null,
    error,
  );
  return {
    wrap,
    input,
    error,
    setError(text) {
      error.textContent = text ?? '';
      error.hidden = !text;
      if (text) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
    value: () => (opts.type === 'checkbox' ? input.checked : input.value),
  };
}

/** A definition list from `[[term, value], …]`. */
export function dl(rows, attrs = {}) {
  return h('dl', { class: 'facts', ...attrs }, rows.filter(Boolean).map(([t, v, a]) => [h('dt', {}, t), h('dd', a ?? {}, v)]));
}

export function shortAddress(a) {
  const s = String(a ?? '');
  return s.length > 16 ? `${s.slice(0, 6)}…${s.slice(-6)}` : s;
}

export function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
