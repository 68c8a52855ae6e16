import type { Message } from '@datafirst/protocol';
import { describe, expect, test } from 'vitest';
import type { SnapchatConfig } from './config.js';
import { mapEventName } from './map-event.js';

const CONFIG: SnapchatConfig = { pixel_id: '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a', access_token: 't' };

function track(event: string): Message {
  return { type: 'track', event };
}

describe('mapEventName: defaults', () => {
  test.each([
    ['Order Completed', 'PURCHASE'],
    ['Product Purchased', 'PURCHASE'],
    ['Product Added', 'ADD_CART'],
    ['Checkout Started', 'START_CHECKOUT'],
    ['Product Viewed', 'VIEW_CONTENT'],
    ['Signed Up', 'SIGN_UP'],
    ['Products Searched', 'SEARCH'],
    ['Product Added to Wishlist', 'ADD_TO_WISHLIST'],
    ['Lead Generated', 'SAVE'],
    ['Payment Info Entered', 'ADD_BILLING'],
    ['Signed In', 'LOGIN'],
    ['Product List Viewed', 'LIST_VIEW'],
    ['Subscription Started', 'SUBSCRIBE'],
    ['Trial Started', 'START_TRIAL'],
    ['Application Installed', 'APP_INSTALL'],
    ['Application Opened', 'APP_OPEN'],
    ['Product Shared', 'SHARE'],
    ['Promotion Viewed', 'AD_VIEW'],
    ['Promotion Clicked', 'AD_CLICK'],
    ['application_opened', 'APP_OPEN'],
  ])('maps track %j to %s', (event, name) => {
    expect(mapEventName(track(event), CONFIG)).toEqual({ name });
  });

  test.each([['order_completed'], ['ORDER COMPLETED'], ['order-completed'], ['  Order  Completed ']])(
    'maps %j to PURCHASE, ignoring case and separators',
    (event) => {
      expect(mapEventName(track(event), CONFIG)).toEqual({ name: 'PURCHASE' });
    },
  );

  test.each([
    ['PURCHASE', 'PURCHASE'],
    ['save', 'SAVE'],
    ['custom_event_1', 'CUSTOM_EVENT_1'],
    ['Add_To_Wishlist', 'ADD_TO_WISHLIST'],
    [' spent_credits ', 'SPENT_CREDITS'],
  ])('maps a track already named like a Snapchat event, %j, to %s', (event, name) => {
    expect(mapEventName(track(event), CONFIG)).toEqual({ name });
  });

  test.each([['ADD_TO_CART'], ['custom_event_6'], ['Purchase Made'], ['add cart']])(
    'does not send %j, which is no Snapchat event name',
    (event) => {
      expect(mapEventName(track(event), CONFIG)).toEqual({ skip: 'unmapped' });
    },
  );

  test('lets event_map switch off a track named like a Snapchat event, or send it as another', () => {
    expect(mapEventName(track('purchase'), { ...CONFIG, event_map: { PURCHASE: null } })).toEqual({ skip: 'disabled' });
    expect(mapEventName(track('SAVE'), { ...CONFIG, event_map: { save: 'SUBSCRIBE' } })).toEqual({ name: 'SUBSCRIBE' });
  });

  test('maps every page call to PAGE_VIEW, whatever its name', () => {
    expect(mapEventName({ type: 'page' }, CONFIG)).toEqual({ name: 'PAGE_VIEW' });
    expect(mapEventName({ type: 'page', name: 'Order Completed' }, CONFIG)).toEqual({ name: 'PAGE_VIEW' });
  });

  test('does not send an unknown track event', () => {
    expect(mapEventName(track('Newsletter Opened'), CONFIG)).toEqual({ skip: 'unmapped' });
  });

  test('never sends an identify call itself', () => {
    expect(mapEventName({ type: 'identify', userId: 'u1' }, CONFIG)).toEqual({ skip: 'unmapped' });
  });

  test('does not send a track call without an event name', () => {
    expect(mapEventName({ type: 'track' }, CONFIG)).toEqual({ skip: 'unmapped' });
    expect(mapEventName(track('  '), CONFIG)).toEqual({ skip: 'unmapped' });
  });
});

describe('mapEventName: event_map', () => {
  const withMap = (event_map: Record<string, string | null>): SnapchatConfig => ({ ...CONFIG, event_map });

  test('maps an unmapped event to the target it names, uppercased', () => {
    expect(mapEventName(track('Newsletter Opened'), withMap({ 'Newsletter Opened': 'custom_event_1' }))).toEqual({
      name: 'CUSTOM_EVENT_1',
    });
  });

  test('overrides a default mapping', () => {
    expect(mapEventName(track('Product Added'), withMap({ 'Product Added': 'ADD_TO_WISHLIST' }))).toEqual({
      name: 'ADD_TO_WISHLIST',
    });
  });

  test('turns an event off with null, without falling back to the defaults', () => {
    expect(mapEventName(track('Order Completed'), withMap({ 'Order Completed': null }))).toEqual({ skip: 'disabled' });
  });

  test('turns an event off with null under another spelling of its name', () => {
    expect(mapEventName(track('order_completed'), withMap({ 'Order Completed': null }))).toEqual({ skip: 'disabled' });
  });

  test('prefers an exact name to a loose match', () => {
    const config = withMap({ 'signed up': 'CUSTOM_EVENT_2', 'Signed Up': 'CUSTOM_EVENT_3' });
    expect(mapEventName(track('Signed Up'), config)).toEqual({ name: 'CUSTOM_EVENT_3' });
  });

  test('prefers a loose own mapping to an exact default', () => {
    expect(mapEventName(track('Order Completed'), withMap({ order_completed: 'CUSTOM_EVENT_4' }))).toEqual({
      name: 'CUSTOM_EVENT_4',
    });
  });

  test('does not send an event mapped to a name Snapchat does not know', () => {
    expect(mapEventName(track('Product Added'), withMap({ 'Product Added': 'ADD_TO_CART' }))).toEqual({
      skip: 'unmapped',
    });
  });

  test('maps page calls through the "page" key', () => {
    expect(mapEventName({ type: 'page', name: 'Home' }, withMap({ page: 'view_content' }))).toEqual({
      name: 'VIEW_CONTENT',
    });
  });

  test('turns page calls off with "page": null', () => {
    expect(mapEventName({ type: 'page' }, withMap({ page: null }))).toEqual({ skip: 'disabled' });
  });

  test('maps screen calls to PAGE_VIEW, or through the "screen" key', () => {
    expect(mapEventName({ type: 'screen', name: 'Checkout' }, CONFIG)).toEqual({ name: 'PAGE_VIEW' });
    expect(mapEventName({ type: 'screen' }, withMap({ page: null }))).toEqual({ name: 'PAGE_VIEW' });
    expect(mapEventName({ type: 'screen' }, withMap({ screen: 'view_content' }))).toEqual({ name: 'VIEW_CONTENT' });
    expect(mapEventName({ type: 'screen' }, withMap({ screen: null }))).toEqual({ skip: 'disabled' });
  });

  test('sends neither group nor alias calls', () => {
    expect(mapEventName({ type: 'group', groupId: 'g-1' }, CONFIG)).toEqual({ skip: 'unmapped' });
    expect(mapEventName({ type: 'alias', previousId: 'a', userId: 'u' }, CONFIG)).toEqual({ skip: 'unmapped' });
  });

  test('does not look page names up in the map', () => {
    expect(mapEventName({ type: 'page', name: 'Pricing' }, withMap({ Pricing: 'CUSTOM_EVENT_1' }))).toEqual({
      name: 'PAGE_VIEW',
    });
  });

  test('ignores inherited object keys', () => {
    expect(mapEventName(track('constructor'), CONFIG)).toEqual({ skip: 'unmapped' });
    expect(mapEventName(track('toString'), withMap({}))).toEqual({ skip: 'unmapped' });
  });
});

describe('mapEventName: the message names its Snapchat event', () => {
  const config = { pixel_id: 'p', access_token: 't', event_map: { 'Order Completed': 'ADD_CART' } };
  test.each([
    ['a standard event, over the integration map', 'PURCHASE', { name: 'PURCHASE' }],
    ['any case', 'sign_up', { name: 'SIGN_UP' }],
    ['null, which turns it off', null, { skip: 'disabled' }],
    ['an unknown name, which is not sent', 'BUY', { skip: 'unmapped' }],
  ])('%s', (_, eventName, expected) => {
    const message = { type: 'track' as const, event: 'Order Completed', context: { snapchat: { eventName } } };
    expect(mapEventName(message, config)).toEqual(expected);
  });
});

describe('mapEventName: an event the admin switched off stays off', () => {
  const off = { pixel_id: 'p', access_token: 't', event_map: { 'Order Completed': null, page: null } };
  test.each([
    [
      'a track the sender names PURCHASE',
      { type: 'track' as const, event: 'order completed', context: { snapchat: { eventName: 'PURCHASE' } } },
    ],
    ['a page the sender names PAGE_VIEW', { type: 'page' as const, context: { snapchat: { eventName: 'PAGE_VIEW' } } }],
  ])('%s', (_, message) => {
    expect(mapEventName(message, off)).toEqual({ skip: 'disabled' });
  });
});
