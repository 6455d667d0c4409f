// Tiny DOM helpers. Text always goes in as text nodes, never as HTML, so nothing a user, an IdP
// or an error message contains can become markup.

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function field(label, name, type, extra = {}) {
  const id = `f-${name}`;
  return [h('label', { for: id }, label), h('input', { id, name, type, required: true, ...extra })];
}

/** A form whose submit handler gets its values; the button is disabled while it runs. */
export function form(fields, submitLabel, onSubmit) {
  const button = h('button', { type: 'submit' }, submitLabel);
  const el = h('form', { novalidate: false }, ...fields, button);
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      await onSubmit(Object.fromEntries(new FormData(el).entries()));
    } finally {
      button.disabled = false;
    }
  });
  return el;
}
