import type { ConversionKind } from '@datafirst/store';
import { describe, expect, it } from 'vitest';
import {
  clickEvent,
  conversionEvents,
  DEFAULT_LINK_EVENTS,
  parseConversionKind,
  type LinkEventMap,
} from './conversion-events.js';

const history = (subscriptionsBefore: number, purchasesBefore: number, messagesBefore: number) => ({
  subscriptionsBefore,
  purchasesBefore,
  messagesBefore,
});

describe('conversionEvents', () => {
  const cases: [string, ConversionKind, ReturnType<typeof history>, [string, string | null, string, boolean][]][] = [
    [
      'a first subscription is a New Subscriber sent as SIGN_UP',
      'subscribe',
      history(0, 0, 0),
      [['New Subscriber', 'SIGN_UP', 'pb:tx', true]],
    ],
    ['a re-subscription produces no event', 'subscribe', history(1, 3, 0), []],
    [
      'the first non-subscription transaction is the First Purchase',
      'purchase',
      history(1, 0, 5),
      [['First Purchase', 'PURCHASE', 'pb:tx', true]],
    ],
    [
      'a purchase after a purchase is a Repeat Purchase',
      'purchase',
      history(1, 1, 0),
      [['Repeat Purchase', 'PURCHASE', 'pb:tx', true]],
    ],
    [
      'a renewal is a Repeat Purchase even before any purchase',
      'renewal',
      history(1, 0, 0),
      [['Repeat Purchase', 'PURCHASE', 'pb:tx', true]],
    ],
    [
      'a first message is a Message Received, not sent by default',
      'message',
      history(1, 0, 0),
      [['Message Received', null, 'pb:tx', false]],
    ],
    [
      'the third message also reaches Fan Sent 3+ Messages, keyed by the click',
      'message',
      history(1, 0, 2),
      [
        ['Message Received', null, 'pb:tx', false],
        ['Fan Sent 3+ Messages', 'LEVEL_COMPLETE', 'msg3:click-1', false],
      ],
    ],
    [
      'the fourth message does not repeat the milestone',
      'message',
      history(1, 0, 3),
      [['Message Received', null, 'pb:tx', false]],
    ],
  ];

  for (const [name, kind, before, expected] of cases) {
    it(name, () => {
      const events = conversionEvents({ kind, txid: 'tx', clickId: 'click-1', history: before }, { ...DEFAULT_LINK_EVENTS });
      expect(events.map((e) => [e.name, e.snapchatEvent, e.messageId, e.withValue])).toEqual(expected);
    });
  }

  it("follows the link's own mapping, custom events and events switched off included", () => {
    const events: LinkEventMap = {
      ...DEFAULT_LINK_EVENTS,
      first_purchase: 'CUSTOM_EVENT_2',
      message_received: 'CUSTOM_EVENT_1',
      fan_sent_3_messages: null,
    };
    const facts = { txid: 'tx', clickId: 'c', history: history(0, 0, 2) };
    expect(conversionEvents({ ...facts, kind: 'purchase' }, events)[0]).toMatchObject({
      linkEvent: 'first_purchase',
      snapchatEvent: 'CUSTOM_EVENT_2',
    });
    expect(conversionEvents({ ...facts, kind: 'message' }, events).map((e) => e.snapchatEvent)).toEqual(['CUSTOM_EVENT_1', null]);
  });
});

describe('clickEvent', () => {
  it('is VIEW_CONTENT by default, with the click id in its message id', () => {
    expect(clickEvent('abc', { ...DEFAULT_LINK_EVENTS })).toEqual({
      linkEvent: 'click',
      name: 'Smart Link Click',
      snapchatEvent: 'VIEW_CONTENT',
      messageId: 'click:abc',
      withValue: false,
    });
  });
});

describe('parseConversionKind', () => {
  const cases: [string, ConversionKind | undefined][] = [
    ['subscribe', 'subscribe'],
    ['New-Subscriber', 'subscribe'],
    [' SALE ', 'purchase'],
    ['tip', 'purchase'],
    ['rebill', 'renewal'],
    ['message received', 'message'],
    ['refund', undefined],
    ['', undefined],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${JSON.stringify(input)} as ${expected ?? 'nothing'}`, () => {
      expect(parseConversionKind(input)).toBe(expected);
    });
  }
});
