/**
 * The identifiers Snapchat matches an event to a person with:
 * - `click_id`: the `ScCid` click id (`sc_click_id`);
 * - `scid`: the `_scid` first-party cookie (`sc_cookie1`);
 * - `email`, `phone`: hashed before sending;
 * - `ip_user_agent`: the IP address and the user agent, together.
 *
 * One is present when the message carried it or the payload sent to Snapchat had it (the
 * payload also holds traits that earlier identify calls gave the profile).
 */
export type MatchIdentifier = 'click_id' | 'scid' | 'email' | 'phone' | 'ip_user_agent';

/** Every identifier, in the order the admin UI shows them. */
export const MATCH_IDENTIFIERS: readonly MatchIdentifier[] = ['click_id', 'scid', 'email', 'phone', 'ip_user_agent'];

/**
 * Where each identifier is found: any one group present makes it present, and a group is present
 * when all of its paths are. Message paths read the stored message; payload paths read a
 * delivery's payload as the worker records it (`{ url, event }`, the event in v3 or v2 shape).
 */
export const MATCH_RULES: Readonly<Record<MatchIdentifier, { message: readonly string[][]; payload: readonly string[][] }>> = {
  click_id: {
    message: [['context.snapchat.clickId']],
    payload: [['event.user_data.sc_click_id'], ['event.click_id']],
  },
  scid: {
    message: [['context.snapchat.cookie1']],
    payload: [['event.user_data.sc_cookie1'], ['event.uuid_c1']],
  },
  email: {
    message: [['traits.email'], ['context.traits.email']],
    payload: [['event.user_data.em'], ['event.hashed_email']],
  },
  phone: {
    message: [['traits.phone'], ['context.traits.phone']],
    payload: [['event.user_data.ph'], ['event.hashed_phone_number']],
  },
  ip_user_agent: {
    message: [['context.ip', 'context.userAgent']],
    payload: [
      ['event.user_data.client_ip_address', 'event.user_data.client_user_agent'],
      ['event.hashed_ip_address', 'event.user_agent'],
    ],
  },
};

function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Present means set to something: not missing, null, an empty string or an empty list. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
}

const anyGroup = (groups: readonly string[][], value: unknown) =>
  groups.some((group) => group.every((path) => present(valueAt(value, path))));

/** Which identifiers a stored message and the payloads sent for it carry. */
export function identifiersOf(message: unknown, payloads: readonly unknown[] = []): Record<MatchIdentifier, boolean> {
  const found = {} as Record<MatchIdentifier, boolean>;
  for (const identifier of MATCH_IDENTIFIERS) {
    const rule = MATCH_RULES[identifier];
    found[identifier] = anyGroup(rule.message, message) || payloads.some((payload) => anyGroup(rule.payload, payload));
  }
  return found;
}

/**
 * The identifiers a message (and the payloads sent for it) carries, as the list the store keeps
 * with each delivery for match quality.
 */
export function carriedIdentifiers(message: unknown, payloads: readonly unknown[] = []): string[] {
  const found = identifiersOf(message, payloads);
  return MATCH_IDENTIFIERS.filter((identifier) => found[identifier]);
}
