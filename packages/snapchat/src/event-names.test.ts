import { describe, expect, test } from 'vitest';
import type { SnapchatConfig } from './config.js';
import { validateSnapchatConfig } from './config-validation.js';
import { isSnapEventName, SNAP_EVENT_NAMES } from './event-names.js';
import { mapEventName } from './map-event.js';
import { validateV2Event, validateV3Event } from './mock-validation.js';

// The 31 names of docs/snapchat-capi.md §2, copied from it, so a typo in either shows.
const SPEC_NAMES = `PAGE_VIEW VIEW_CONTENT ADD_CART START_CHECKOUT ADD_BILLING PURCHASE SIGN_UP SEARCH SAVE LOGIN LIST_VIEW
SUBSCRIBE ADD_TO_WISHLIST ACHIEVEMENT_UNLOCKED START_TRIAL RATE INVITE COMPLETE_TUTORIAL AD_CLICK AD_VIEW
SHARE RESERVE LEVEL_COMPLETE SPENT_CREDITS APP_INSTALL APP_OPEN
CUSTOM_EVENT_1 CUSTOM_EVENT_2 CUSTOM_EVENT_3 CUSTOM_EVENT_4 CUSTOM_EVENT_5`.split(/\s+/u);

const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const NOW = Date.parse('2025-06-02T12:00:00Z');
const HASH = 'a'.repeat(64);

describe('Snapchat event names', () => {
  test('are exactly the 31 of the reference', () => {
    expect(SPEC_NAMES).toHaveLength(31);
    expect([...SNAP_EVENT_NAMES]).toEqual(SPEC_NAMES);
  });

  test.each(SPEC_NAMES)('%s can be an event_map target in any case, and Snapchat accepts it', (name) => {
    const checked = validateSnapchatConfig({ pixel_id: PIXEL, access_token: 't', event_map: { 'My Event': name.toLowerCase() } });
    expect(checked).toEqual({ ok: true, config: expect.objectContaining({ event_map: { 'My Event': name } }) });
    const config = (checked as { config: SnapchatConfig }).config;
    expect(mapEventName({ type: 'track', event: 'My Event' }, config)).toEqual({ name });
    expect(mapEventName({ type: 'track', event: 'Anything', context: { snapchat: { eventName: name } } }, config)).toEqual({
      name,
    });

    // A purchase needs its value and currency; every other name is fine with identifiers alone.
    const purchase = name === 'PURCHASE';
    const v3 = {
      event_name: name,
      action_source: 'OFFLINE',
      event_time: NOW / 1000, // seconds: Snap refuses ms on OFFLINE events
      user_data: { em: [HASH] },
      ...(purchase ? { custom_data: { value: 1, currency: 'USD' } } : {}),
    };
    expect(validateV3Event(v3, NOW)).toEqual([]);
    const v2 = {
      pixel_id: PIXEL,
      event_type: name,
      event_conversion_type: 'OFFLINE',
      timestamp: String(NOW),
      hashed_email: HASH,
      ...(purchase ? { price: '1', currency: 'USD' } : {}),
    };
    expect(validateV2Event(v2, NOW)).toEqual([]);
  });

  test.each([
    ['ADD_TO_CART', 'ADD_CART'],
    ['SPEND_CREDITS', 'SPENT_CREDITS'],
  ])('%s, the spelling generated schemas use, is refused and %s suggested', (wrong, right) => {
    expect(isSnapEventName(wrong)).toBe(false);
    expect(validateSnapchatConfig({ pixel_id: PIXEL, access_token: 't', event_map: { X: wrong } })).toEqual({
      ok: false,
      errors: [`event_map.X: "${wrong}" is not a Snapchat event; use ${right}`],
    });
    expect(
      validateV3Event({ event_name: wrong, action_source: 'OFFLINE', event_time: NOW / 1000, user_data: { em: [HASH] } }, NOW),
    ).toEqual([{ code: 'UNRECOGNIZED_EVENT_TYPE', reason: 'Unrecognized event type' }]);
  });
});
