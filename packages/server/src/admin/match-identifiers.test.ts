import { describe, expect, it } from 'vitest';
import { identifiersOf } from './match-identifiers.js';

const none = { click_id: false, scid: false, email: false, phone: false, ip_user_agent: false };

describe('identifiersOf', () => {
  it('reads the click id, _scid, traits, IP and user agent of a message', () => {
    const message = {
      context: { snapchat: { clickId: 'c', cookie1: 's' }, traits: { email: 'a@b.co' }, ip: '1.2.3.4', userAgent: 'UA' },
      traits: { phone: '+447700900123' },
    };
    expect(identifiersOf(message)).toEqual({ click_id: true, scid: true, email: true, phone: true, ip_user_agent: true });
  });

  it('needs both the IP and the user agent, and ignores empty values', () => {
    expect(identifiersOf({ context: { ip: '1.2.3.4', traits: { email: '' } } })).toEqual(none);
  });

  it('counts identifiers only the sent payload had, from v3 and v2 payloads', () => {
    const v3 = { url: 'u', event: { user_data: { em: ['h'], ph: [], client_ip_address: 'i', client_user_agent: 'a' } } };
    const v2 = { url: 'u', event: { hashed_phone_number: 'h', click_id: 'c', uuid_c1: 's' } };
    expect(identifiersOf({ context: {} }, [v3])).toEqual({ ...none, email: true, ip_user_agent: true });
    expect(identifiersOf({ context: {} }, [null, v2])).toEqual({ ...none, phone: true, click_id: true, scid: true });
  });
});
