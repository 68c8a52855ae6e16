// @ts-check
// The identifiers Snapchat matches events to people with, as the debugger and the match-quality
// page name them.
import { h } from '../dom.js';

/** Each identifier's short name (chips) and long name (tables). */
export const IDENTIFIER_LABELS = {
  click_id: { short: 'click id', long: 'Snapchat click id (ScCid)' },
  scid: { short: '_scid', long: '_scid cookie' },
  email: { short: 'email', long: 'Email (hashed)' },
  phone: { short: 'phone', long: 'Phone (hashed)' },
  ip_user_agent: { short: 'IP + UA', long: 'IP address + user agent' },
};

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
    Object.entries(IDENTIFIER_LABELS).map(([id, label]) =>
      h('li', { class: identifiers[id] ? 'yes' : 'no' }, presence(identifiers[id]), ' ', label.long),
    ),
  );
}
