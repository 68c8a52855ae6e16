// @ts-check
// Small DOM helpers: build elements without innerHTML (no string ever becomes markup), format
// times and numbers, and a few shared widgets.

const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'open', 'selected', 'required', 'readOnly', 'indeterminate']);

/** Builds an element: h('button', { class: 'primary', onclick: fn }, 'Save'). */
export function h(tag, attrs = {}, ...children) {
  const node = tag.includes(':')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.split(':')[1])
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (PROPS.has(key)) node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces a node's children, skipping null/undefined/false (so `cond ? x : null` can be passed). */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** An SVG element (attributes as given). */
export function svg(tag, attrs = {}, ...children) {
  return h(`svg:${tag}`, attrs, ...children);
}

let ids = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'f') {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled form field: label, control, optional hint (wired with aria-describedby). */
export function field(label, control, hint) {
  control.id ||= uid();
  const hintNode = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  const isCheck = control.type === 'checkbox';
  return h(
    'div',
    { class: isCheck ? 'field check' : 'field' },
    isCheck ? [control, h('label', { for: control.id }, label)] : [h('label', { for: control.id }, label), control],
    hintNode,
  );
}

/**
 * A <select> from [value, label] pairs (or { group, options } for an optgroup).
 * @param {Record<string, unknown>} attrs
 * @param {(string[] | { group: string, options: string[][] })[]} options
 * @param {string} [selected]
 */
export function select(attrs, options, selected) {
  const node = h('select', attrs);
  const add = (/** @type {Element} */ parent, /** @type {string[]} */ [value, label]) =>
    parent.append(h('option', { value, selected: value === selected }, label));
  for (const option of options) {
    if (Array.isArray(option)) add(node, option);
    else {
      const group = h('optgroup', { label: option.group });
      option.options.forEach((o) => add(group, o));
      node.append(group);
    }
  }
  if (selected !== undefined) node.value = selected;
  return node;
}

/** Pretty JSON in a <pre>, for payloads and answers. */
export function jsonBlock(value, label) {
  return h('pre', { class: 'json', tabindex: 0, 'aria-label': label }, JSON.stringify(value, null, 2));
}

/** A status badge whose colour repeats what the text says. */
export function badge(text, tone = text) {
  return h('span', { class: `badge ${tone}` }, text);
}

/** A list of error messages from the API (role=alert, so screen readers hear them at once). */
export function errorList(errors) {
  if (!errors || errors.length === 0) return h('div', { class: 'errors', role: 'alert', hidden: true });
  return h(
    'div',
    { class: 'errors', role: 'alert' },
    h('p', {}, errors.length === 1 ? 'Please fix this:' : `Please fix these ${errors.length} problems:`),
    h(
      'ul',
      {},
      errors.map((error) => h('li', {}, error)),
    ),
  );
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** 14:03:27 */
export function clock(iso) {
  return iso ? timeFormat.format(new Date(iso)) : '';
}

/** 24 Nov 2025, 14:03 */
export function date(iso) {
  return iso ? dateFormat.format(new Date(iso)) : '';
}

/** "in 12 s", "3 min ago": how far a time is from now. */
export function relative(iso, now = Date.now()) {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  const text =
    abs < 60
      ? `${abs} s`
      : abs < 3600
        ? `${Math.round(abs / 60)} min`
        : abs < 86_400
          ? `${Math.round(abs / 3600)} h`
          : plural(Math.round(abs / 86_400), 'day');
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

/** "1 day", "3 days". */
function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A <time> element showing a time of day, with the full date in its title. */
export function timeEl(iso, format = clock) {
  return h('time', { datetime: iso, title: date(iso) }, format(iso));
}

/** 42%, or an en dash when there is nothing to divide. */
export function percent(share) {
  return share === null || share === undefined ? '–' : `${Math.round(share * 100)}%`;
}

/** Copies text to the clipboard, with a fallback for plain-HTTP pages where the API is missing. */
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!input) return false;
    input.select();
    return document.execCommand('copy');
  }
}

/** A button that copies a value and says so. */
export function copyButton(getText, input, label = 'Copy') {
  const button = h('button', { type: 'button', class: 'secondary small' }, label);
  button.addEventListener('click', async () => {
    const ok = await copyText(getText(), input);
    button.textContent = ok ? 'Copied' : 'Select and copy';
    setTimeout(() => (button.textContent = label), 2000);
  });
  return button;
}

/**
 * A modal dialog (native <dialog>: focus is trapped, Esc closes, focus returns). `build` gets a
 * close function and returns the dialog's content; the dialog is removed when closed.
 */
export function openDialog(title, build) {
  const heading = h('h2', { id: uid('dialog') }, title);
  const dialog = h('dialog', { 'aria-labelledby': heading.id });
  const close = () => dialog.close();
  dialog.append(heading, ...[build(close)].flat());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;

/**
 * The page's polite announcer: a short message that fades after a while.
 * @param {string} message
 * @param {'info' | 'error'} [tone]
 */
export function toast(message, tone = 'info') {
  const region = /** @type {HTMLElement} */ (document.getElementById('toast')); // index.html has it
  region.replaceChildren(h('p', { class: `toast ${tone}` }, message));
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => region.replaceChildren(), 5000);
}

/**
 * Shows an API's errors beside the fields they concern: an error `name: reason` goes under the
 * control named `name` (marked invalid, read with it by screen readers), in words; errors naming
 * no field of the form go in the returned list, for a banner. Clears the previous errors first.
 * @param {HTMLElement} form
 * @param {string[]} errors
 * @returns {string[]} the errors no field took
 */
export function showFieldErrors(form, errors) {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', (input.getAttribute('aria-describedby') ?? '').replace(/\s*\S+-error$/, '').trim());
  }
  const unplaced = [];
  for (const error of errors) {
    const match = /^([a-z_]+)(?:\.[\w.[\]-]+)?: (.*)$/s.exec(error);
    const control = match && form.querySelector(`[name="${match[1]}"]`);
    const wrapper = control?.closest('.field, fieldset');
    if (!control || !wrapper || !match) {
      unplaced.push(error);
      continue;
    }
    control.id ||= uid();
    const label = wrapper.querySelector('label, legend')?.textContent ?? match[1];
    const note = h('p', { class: 'field-error', id: `${control.id}-error` }, `${label}: ${match[2]}`);
    wrapper.append(note);
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${note.id}`.trim());
  }
  return unplaced;
}

/**
 * A page's refresh (its timer, or a changed selection) that says so when it fails, on the page's
 * "Updated at …" line, and dims what is shown: a silent failure would pass the old figures off as
 * current, or as those of the selection just made.
 * @param {() => Promise<void>} load fills `content` and writes `updated`
 * @param {HTMLElement} updated
 * @param {HTMLElement} content
 * @returns {() => void}
 */
export function refresher(load, updated, content) {
  return () => {
    load().then(
      () => {
        content.classList.remove('stale');
        updated.classList.remove('error-text');
      },
      (error) => {
        if (error instanceof Error && error.name === 'AbortError') return;
        content.classList.add('stale');
        updated.classList.add('error-text');
        const reason = error instanceof Error ? error.message : String(error);
        updated.textContent = `Not updated (${reason}): what is shown may be out of date, or for the selection before.`;
      },
    );
  };
}
