// @ts-check
// The identifiers destinations match events to people with, as the debugger and the match-quality
// page name them; the names come from the API (see vocabulary.js).
import { h } from '../dom.js';
import { labels } from '../vocabulary.js';

/** Each identifier's short name (chips) and long name (tables); the key itself until loaded. */
export function identifierLabel(key) {
  return labels.identifiers[key] ?? { short: key, long: key };
}

/** A mark for one identifier: a symbol to see, and words for screen readers. */
export function presence(present) {
  return h(
    'span',
    { class: present ? 'yes' : 'no' },
    h('span', { 'aria-hidden': 'true' }, present ? '✓' : '–'),
    h('span', { class: 'visually-hidden' }, present ? 'present' : 'missing'),
  );
}

/** Chips saying which identifiers an event carried. */
export function identifierList(identifiers) {
  return h(
    'ul',
    { class: 'ids', 'aria-label': 'Identifiers' },
    Object.keys(identifiers).map((id) =>
      h('li', { class: identifiers[id] ? 'yes' : 'no' }, presence(identifiers[id]), ' ', identifierLabel(id).long),
    ),
  );
}
