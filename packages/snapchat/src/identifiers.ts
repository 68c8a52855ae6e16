import type { EnrichedMessage } from '@datafirst/protocol';
import type { IdentifierInfo } from '@datafirst/destination';
import type { SnapV3Event } from './v3-event.js';

/** The identifiers Snapchat matches an event to a person with, as match quality reports them. */
export const SNAP_IDENTIFIERS: readonly IdentifierInfo[] = [
  { key: 'click_id', label: 'Snapchat click id (ScCid)', shortLabel: 'click id' },
  { key: 'scid', label: '_scid cookie', shortLabel: '_scid' },
  { key: 'email', label: 'Email (hashed)', shortLabel: 'email' },
  { key: 'phone', label: 'Phone (hashed)', shortLabel: 'phone' },
  { key: 'ip_user_agent', label: 'IP address + user agent', shortLabel: 'IP + UA' },
];

/** Present means set to something: not missing, null, an empty string or an empty list. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
}

/**
 * Which identifiers a message carries, and its built event when there is one (the event also
 * holds what the person's profile added). v2 payloads are converted from the v3 event, so the
 * v3 event says it for both.
 */
export function snapIdentifiersOf(message: EnrichedMessage, event?: SnapV3Event): string[] {
  const context = message.context;
  const user = event?.user_data;
  const found: string[] = [];
  if (present(context.snapchat?.clickId) || present(user?.sc_click_id)) found.push('click_id');
  if (present(context.snapchat?.cookie1) || present(user?.sc_cookie1)) found.push('scid');
  if (present(message.traits?.email) || present(context.traits?.email) || present(user?.em)) found.push('email');
  if (present(message.traits?.phone) || present(context.traits?.phone) || present(user?.ph)) found.push('phone');
  if (
    (present(context.ip) && present(context.userAgent)) ||
    (present(user?.client_ip_address) && present(user?.client_user_agent))
  ) {
    found.push('ip_user_agent');
  }
  return found;
}
