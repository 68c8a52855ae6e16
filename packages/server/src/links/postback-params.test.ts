import { describe, expect, it } from 'vitest';
import { parsePostbackParams } from './postback-params.js';

describe('parsePostbackParams', () => {
  it('reads the click, event, value, currency and txid, uppercasing the currency', () => {
    expect(parsePostbackParams({ click_id: 'C1', event: 'sale', value: '19.99', currency: 'usd', txid: 'T-1' })).toEqual({
      ok: true,
      params: { clickId: 'C1', kind: 'purchase', value: 19.99, currency: 'USD', txid: 'T-1', userId: undefined, traits: {} },
    });
  });

  it("takes the fan's details for matching, as offer networks pass them", () => {
    const result = parsePostbackParams({
      click_id: 'C1',
      event: 'subscribe',
      user_id: 'fan-9',
      email: 'Fan@Example.com',
      phone: '+1 415 555 0100',
      first_name: 'Ann',
      last_name: 'Lee',
      zip: '94107',
      country: 'US',
    });
    expect(result.ok && result.params).toMatchObject({
      userId: 'fan-9',
      traits: {
        email: 'Fan@Example.com',
        phone: '+1 415 555 0100',
        firstName: 'Ann',
        lastName: 'Lee',
        zip: '94107',
        country: 'US',
      },
    });
  });

  it('treats empty values and macros the network left unfilled as not given', () => {
    const result = parsePostbackParams({ click_id: 'C1', event: 'message', value: '{payout}', currency: '', txid: '[txid]' });
    expect(result).toEqual({
      ok: true,
      params: { clickId: 'C1', kind: 'message', value: null, currency: null, txid: null, userId: undefined, traits: {} },
    });
  });

  it('names every problem at once', () => {
    expect(parsePostbackParams({ value: '-3', currency: 'dollars', event: 'refund' })).toEqual({
      ok: false,
      errors: [
        'click_id: required: the click id the smart link passed to the offer',
        'event: "refund" is not known; one of subscribe, subscriber, new_subscriber, subscription, sub, purchase, sale, tip, ppv, ' +
          'transaction, renewal, rebill, message, message_received',
        'value: "-3" is not an amount; use digits and a decimal point, like 9.99',
        'currency: "dollars" is not a three-letter currency code',
      ],
    });
  });

  it('refuses a value that is no text, or holds a NUL, instead of dropping it', () => {
    expect(parsePostbackParams({ click_id: 'C1', event: { x: 1 }, txid: { x: 1 }, value: {}, email: 'a\0@b.co' })).toEqual({
      ok: false,
      errors: [
        'event: must be text or a number',
        'value: must be text or a number',
        'txid: must be text or a number',
        'email: holds the NUL character, which no text may hold',
      ],
    });
    expect(parsePostbackParams({ click_id: 'C\0', event: 'sale', txid: 'T\0' })).toEqual({
      ok: false,
      errors: [
        'click_id: holds the NUL character, which no text may hold',
        'txid: holds the NUL character, which no text may hold',
      ],
    });
  });

  it('says when a required parameter came as a macro the offer network did not replace', () => {
    expect(parsePostbackParams({ click_id: '{click_id}', event: '[event]' })).toEqual({
      ok: false,
      errors: [
        'click_id: the macro "{click_id}" was not replaced by the offer network; put its own macro for the click id the smart link passed to the offer there',
        'event: the macro "[event]" was not replaced by the offer network; put its own macro for the conversion: one of subscribe, subscriber, ' +
          'new_subscriber, subscription, sub, purchase, sale, tip, ppv, transaction, renewal, rebill, message, message_received there',
      ],
    });
  });

  it('refuses amounts of a billion or more and currencies that are no ISO 4217 code', () => {
    expect(parsePostbackParams({ click_id: 'C1', event: 'sale', value: '1000000000000', currency: 'BTC' })).toEqual({
      ok: false,
      errors: [
        'value: "1000000000000" is not an amount; use digits and a decimal point, like 9.99',
        'currency: "BTC" is not an ISO 4217 currency code (like USD or EUR)',
      ],
    });
    expect(parsePostbackParams({ click_id: 'C1', event: 'sale', value: '999999999999' })).toEqual({
      ok: false,
      errors: ['value: 999999999999 is out of range; amounts are from 0 to under 1000000000'],
    });
    expect(parsePostbackParams({ click_id: 'C1', event: 'sale', value: '999999999.99', currency: 'eur' })).toMatchObject({
      ok: true,
      params: { value: 999999999.99, currency: 'EUR' },
    });
  });

  it('refuses amounts written with a decimal comma rather than guessing', () => {
    const result = parsePostbackParams({ click_id: 'C1', event: 'sale', value: '9,99' });
    expect(result.ok).toBe(false);
  });
});
