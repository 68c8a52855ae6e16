import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK_EVENTS } from './conversion-events.js';
import { checkLinkSettings } from './link-settings.js';

describe('checkLinkSettings', () => {
  it('fills in the defaults of a new link', () => {
    const body = {
      name: ' Snap campaign ',
      destination_url: 'https://offer.example/x',
      offer_type: 'free_trial',
      integrations: ['int_a', 'int_a'],
    };
    expect(checkLinkSettings(body, 'create')).toEqual({
      ok: true,
      settings: {
        name: 'Snap campaign',
        destinationUrl: 'https://offer.example/x',
        offerType: 'free_trial',
        integrationIds: ['int_a'],
        includeSourceIntegrations: true,
        clickIdParam: 'df_click_id',
        conversionWindowDays: 28,
        events: DEFAULT_LINK_EVENTS,
        currency: null,
      },
    });
  });

  it('maps events to standard or custom Snapchat events, or off, over the defaults', () => {
    const result = checkLinkSettings(
      {
        name: 'x',
        destination_url: 'https://o.example/',
        events: { click: null, message_received: 'custom_event_1', first_purchase: ' PURCHASE ' },
      },
      'create',
    );
    expect(result.ok && result.settings.events).toEqual({
      ...DEFAULT_LINK_EVENTS,
      click: null,
      message_received: 'CUSTOM_EVENT_1',
    });
  });

  it('names every problem at once', () => {
    expect(
      checkLinkSettings(
        {
          name: '',
          destination_url: 'javascript:alert(1)',
          offer_type: 'paid',
          integrations: 'int_a',
          click_id_param: 'sub id',
          conversion_window_days: 0,
          events: { click: 'ADD_TO_CART', refund: null },
          currency: 'dollars',
          colour: 'red',
        },
        'create',
      ),
    ).toEqual({
      ok: false,
      errors: [
        'name: a non-empty string of at most 200 characters',
        'destination_url: must be http or https, not javascript',
        'offer_type: one of "free_trial", "tracking_link"',
        'integrations: an array of at most 20 integration ids',
        'click_id_param: a parameter name of letters, digits, "_", "-", "." or "[]", at most 64 characters',
        'conversion_window_days: a whole number of days from 1 to 365',
        'events.click: "ADD_TO_CART" is not a Snapchat event; use e.g. PURCHASE, CUSTOM_EVENT_1, or null for off',
        'events.refund: not a smart-link event (known: click, new_subscriber, first_purchase, repeat_purchase, message_received, fan_sent_3_messages)',
        'currency: an ISO 4217 currency code such as "USD", or null',
        'colour: not a link setting',
      ],
    });
  });

  it.each(['XYZ', 'usd1', 'BTC'])('refuses %j as a currency, as a postback would: Snapchat refuses it', (currency) => {
    expect(checkLinkSettings({ currency }, 'patch')).toEqual({
      ok: false,
      errors: ['currency: an ISO 4217 currency code such as "USD", or null'],
    });
  });

  it('takes a currency in any case', () => {
    expect(checkLinkSettings({ currency: ' eur ' }, 'patch')).toMatchObject({ ok: true, settings: { currency: 'EUR' } });
  });

  it('checks only the fields a patch gives, merges events into the current ones, and never moves a link to another source', () => {
    const current = { ...DEFAULT_LINK_EVENTS, click: null };
    expect(checkLinkSettings({ events: { message_received: 'SAVE' }, archived: true }, 'patch', current)).toEqual({
      ok: true,
      settings: { events: { ...current, message_received: 'SAVE' }, archived: true },
    });
    expect(checkLinkSettings({ source_id: 'src_other' }, 'patch')).toEqual({
      ok: false,
      errors: ['source_id: not a link setting that can change'],
    });
  });
});
