/** Every event name Snapchat's Conversions API accepts (v2 `event_type` = v3 `event_name`). */
export const SNAP_EVENT_NAMES = [
  'PAGE_VIEW',
  'VIEW_CONTENT',
  'ADD_CART', // not ADD_TO_CART, although ADD_TO_WISHLIST keeps the "TO"
  'START_CHECKOUT',
  'ADD_BILLING',
  'PURCHASE',
  'SIGN_UP',
  'SEARCH',
  'SAVE',
  'LOGIN',
  'LIST_VIEW',
  'SUBSCRIBE',
  'ADD_TO_WISHLIST',
  'ACHIEVEMENT_UNLOCKED',
  'START_TRIAL',
  'RATE',
  'INVITE',
  'COMPLETE_TUTORIAL',
  'AD_CLICK',
  'AD_VIEW',
  'SHARE',
  'RESERVE',
  'LEVEL_COMPLETE',
  'SPENT_CREDITS', // not SPEND_CREDITS
  'APP_INSTALL',
  'APP_OPEN',
  'CUSTOM_EVENT_1',
  'CUSTOM_EVENT_2',
  'CUSTOM_EVENT_3',
  'CUSTOM_EVENT_4',
  'CUSTOM_EVENT_5',
] as const;

export type SnapEventName = (typeof SNAP_EVENT_NAMES)[number];

const known = new Set<string>(SNAP_EVENT_NAMES);

/** True when `name` (any case) is one of Snapchat's 31 event names. */
export function isSnapEventName(name: string): boolean {
  return known.has(name.toUpperCase());
}

/**
 * Datafirst's default mapping from Segment-spec event names to Snapchat events.
 * `page` calls map to PAGE_VIEW separately; a track named like a Snapchat event (`PURCHASE`,
 * `save`) is that event; anything else not listed is not sent unless an integration's
 * `event_map` maps it.
 */
export const DEFAULT_EVENT_MAP: Readonly<Record<string, SnapEventName>> = {
  'Order Completed': 'PURCHASE',
  'Product Purchased': 'PURCHASE',
  'Product Added': 'ADD_CART',
  'Checkout Started': 'START_CHECKOUT',
  'Product Viewed': 'VIEW_CONTENT',
  'Signed Up': 'SIGN_UP',
  'Products Searched': 'SEARCH',
  'Product Added to Wishlist': 'ADD_TO_WISHLIST',
  'Lead Generated': 'SAVE',
  'Payment Info Entered': 'ADD_BILLING',
  'Signed In': 'LOGIN',
  'Product List Viewed': 'LIST_VIEW',
  'Subscription Started': 'SUBSCRIBE',
  'Trial Started': 'START_TRIAL',
  'Application Installed': 'APP_INSTALL',
  'Application Opened': 'APP_OPEN',
  'Product Shared': 'SHARE',
  'Promotion Viewed': 'AD_VIEW',
  'Promotion Clicked': 'AD_CLICK',
};
