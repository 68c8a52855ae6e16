import type { EnrichedMessage } from '@datafirst/protocol';
import { describe, expect, it } from 'vitest';
import { snapIdentifiersOf } from './identifiers.js';
import type { SnapV3Event } from './v3-event.js';

const message = (fields: Partial<EnrichedMessage>): EnrichedMessage => ({
  type: 'track',
  event: 'E',
  messageId: 'm',
  timestamp: '',
  receivedAt: '',
  context: {},
  ...fields,
});

describe('snapIdentifiersOf', () => {
  it('reads the click id, _scid, traits, IP and user agent of a message', () => {
    const found = snapIdentifiersOf(
      message({
        context: { snapchat: { clickId: 'c', cookie1: 's' }, traits: { email: 'a@b.co' }, ip: '1.2.3.4', userAgent: 'UA' },
        traits: { phone: '+447700900123' },
      }),
    );
    expect(found).toEqual(['click_id', 'scid', 'email', 'phone', 'ip_user_agent']);
  });

  it('needs both the IP and the user agent, and ignores empty values', () => {
    expect(snapIdentifiersOf(message({ context: { ip: '1.2.3.4', traits: { email: '' } } }))).toEqual([]);
  });

  it('counts identifiers only the built event had (from the profile), ignoring empty lists', () => {
    const event = { user_data: { em: ['h'], ph: [], client_ip_address: 'i', client_user_agent: 'a' } } as unknown as SnapV3Event;
    expect(snapIdentifiersOf(message({}), event)).toEqual(['email', 'ip_user_agent']);
    const clicked = { user_data: { sc_click_id: 'c', sc_cookie1: 's', ph: ['h'] } } as unknown as SnapV3Event;
    expect(snapIdentifiersOf(message({}), clicked)).toEqual(['click_id', 'scid', 'phone']);
  });
});
