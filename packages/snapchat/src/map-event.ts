import type { Message } from '@datafirst/protocol';
import type { SnapchatConfig } from './config.js';
import { DEFAULT_EVENT_MAP, isSnapEventName, type SnapEventName } from './event-names.js';

/** Why a message has no Snapchat event: nothing maps it, or a mapping to `null` turned it off. */
export type EventNameSkip = 'unmapped' | 'disabled';

/** The Snapchat event a message becomes, or why it becomes none. */
export type EventNameMapping = { name: SnapEventName } | { skip: EventNameSkip };

/**
 * The `event_map` key that stands for every `page` call, so that an integration can send page
 * views as another event (`{ "page": "VIEW_CONTENT" }`) or switch them off (`{ "page": null }`).
 * Page *names* are not looked up: they share no namespace with track events, and a page called
 * "Order Completed" must not become a purchase.
 */
export const PAGE_EVENT_KEY = 'page';

/**
 * The `event_map` key for every `screen` call (an app's page view). Unmapped, a screen is a
 * PAGE_VIEW like a page; `{ "screen": null }` switches screens off without touching pages.
 */
export const SCREEN_EVENT_KEY = 'screen';

// "order_completed", "Order completed" and "order-completed" are the same event to a human, and
// senders moving from other tools use all of them; exact names are still tried first.
function looseKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/gu, ' ');
}

/** The target for `name` in `map`: a name, `null` (switched off), or `undefined` when not listed. */
function lookup(map: Readonly<Record<string, string | null>>, name: string): string | null | undefined {
  if (Object.hasOwn(map, name) && map[name] !== undefined) return map[name];
  const wanted = looseKey(name);
  const key = Object.keys(map).find((candidate) => looseKey(candidate) === wanted && map[candidate] !== undefined);
  return key === undefined ? undefined : map[key];
}

function toMapping(target: string | null): EventNameMapping {
  if (target === null) return { skip: 'disabled' };
  const name = target.trim().toUpperCase();
  // Targets are validated when the config is saved; one that slipped through is not sent.
  return isSnapEventName(name) ? { name: name as SnapEventName } : { skip: 'unmapped' };
}

/** The integration's own `event_map` entry for a message: a name, `null` (switched off), or `undefined`. */
function ownEntry(message: Message, eventMap: Readonly<Record<string, string | null>>): string | null | undefined {
  if (message.type === 'page' || message.type === 'screen') {
    const key = message.type === 'page' ? PAGE_EVENT_KEY : SCREEN_EVENT_KEY;
    return Object.hasOwn(eventMap, key) ? eventMap[key] : undefined;
  }
  if (message.type !== 'track' || typeof message.event !== 'string' || message.event.trim() === '') return undefined;
  return lookup(eventMap, message.event);
}

/**
 * The Snapchat event name for a message. An event the admin switched off (`null` in `event_map`)
 * stays off whatever the sender says; else `context.snapchat.eventName`, when present, decides.
 * `page` → the `event_map` entry for "page", else PAGE_VIEW; `screen` → the entry for "screen",
 * else PAGE_VIEW. `track` → the integration's `event_map` (exact name, then ignoring case and
 * separators), then the defaults the same way, then the event's own name when it is a Snapchat
 * event name in any case (`purchase`, `CUSTOM_EVENT_1`). `identify` is never sent itself.
 */
export function mapEventName(message: Message, config: SnapchatConfig): EventNameMapping {
  const own = ownEntry(message, config.event_map ?? {});
  // The sender is anyone with the write key: it must not turn back on what the admin turned off.
  if (own === null) return { skip: 'disabled' };
  // A sender that already decided (a smart link's per-link mapping, an offline upload) names the
  // Snapchat event itself, or turns it off with null.
  const chosen = message.context?.snapchat?.eventName;
  if (chosen !== undefined) return toMapping(chosen);
  if (message.type === 'page' || message.type === 'screen') return own === undefined ? { name: 'PAGE_VIEW' } : toMapping(own);
  if (message.type !== 'track' || typeof message.event !== 'string' || message.event.trim() === '') {
    return { skip: 'unmapped' };
  }
  // Not `??`: an own `null` switches the event off and must not fall through to the defaults.
  const target = own !== undefined ? own : lookup(DEFAULT_EVENT_MAP, message.event);
  if (target !== undefined) return toMapping(target);
  // A sender that already speaks Snapchat's names ("PURCHASE", "save") means that event.
  return isSnapEventName(message.event.trim()) ? toMapping(message.event) : { skip: 'unmapped' };
}
