import { describe, expect, test } from 'vitest';
import type { SnapchatConfig } from './config.js';
import { toV2Event } from './v2.js';
import type { SnapV3Event } from './v3-event.js';

const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const SNAP_APP = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const CONFIG: SnapchatConfig = { pixel_id: PIXEL, access_token: 't', snap_app_id: SNAP_APP, api_version: 'v2' };
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

describe('toV2Event', () => {
  test('flattens every mapped field into strings, in the v2 key order, and drops what v2 has no field for', () => {
    const event: SnapV3Event = {
      event_name: 'PURCHASE',
      action_source: 'WEB',
      event_time: 1748859664,
      event_id: 'msg-1',
      event_source_url: 'https://x.example/',
      user_data: {
        em: [HASH_A, HASH_B],
        ph: [HASH_B],
        fn: HASH_A,
        ln: HASH_A,
        ge: HASH_A,
        db: HASH_A,
        ct: HASH_A,
        st: HASH_A,
        zp: HASH_A,
        country: HASH_A,
        external_id: [HASH_A],
        client_ip_address: '8.8.8.8',
        client_user_agent: 'UA',
        sc_click_id: 'cid',
        sc_cookie1: 'scid',
      },
      custom_data: {
        currency: 'USD',
        value: 10.5,
        order_id: 'O-1',
        content_ids: ['A', 'B'],
        num_items: 2,
        contents: [{ id: 'A', quantity: 1 }],
        content_category: 'Shoes',
        content_name: 'Runner',
        content_type: 'product',
        brands: ['Acme'],
        search_string: 'red',
        sign_up_method: 'sms',
      },
      data_processing_options: ['LDU'],
      data_processing_options_country: 0,
      data_processing_options_state: 0,
      test_event_code: 'T1',
    };
    expect(JSON.stringify(toV2Event(event, CONFIG))).toBe(
      JSON.stringify({
        pixel_id: PIXEL,
        event_type: 'PURCHASE',
        event_conversion_type: 'WEB',
        timestamp: '1748859664000',
        client_dedup_id: 'msg-1',
        page_url: 'https://x.example/',
        hashed_email: HASH_A,
        hashed_phone_number: HASH_B,
        hashed_first_name_sha: HASH_A,
        hashed_last_name_sha: HASH_A,
        hashed_city_sha: HASH_A,
        hashed_state_sha: HASH_A,
        hashed_zip: HASH_A,
        // The Segment vector for 8.8.8.8.
        hashed_ip_address: '838c4c2573848f58e74332341a7ca6bc5cd86a8aec7d644137d53b4d597f10f5',
        user_agent: 'UA',
        uuid_c1: 'scid',
        click_id: 'cid',
        transaction_id: 'O-1',
        price: '10.5',
        currency: 'USD',
        item_ids: 'A;B',
        item_category: 'Shoes',
        number_items: '2',
        search_string: 'red',
        sign_up_method: 'sms',
      }),
    );
  });

  test('sends an app event to the Snap app with its store id and hashed mobile ids', () => {
    const event: SnapV3Event = {
      event_name: 'APP_OPEN',
      action_source: 'MOBILE_APP',
      event_time: 1748859664,
      event_id: 'msg-2',
      user_data: { madid: '87a7def4-b6e9-4bf7-91b6-66372842007a', idfv: HASH_A },
      app_data: { app_id: '123456789', advertiser_tracking_enabled: 1, extinfo: Array(16).fill('') },
    };
    expect(toV2Event(event, CONFIG)).toEqual({
      snap_app_id: SNAP_APP,
      app_id: '123456789',
      event_type: 'APP_OPEN',
      event_conversion_type: 'MOBILE_APP',
      timestamp: '1748859664000',
      client_dedup_id: 'msg-2',
      // The Segment vector for this MAID.
      hashed_mobile_ad_id: '5af103f270fdc673b5e121ea929d1e47b2cee679e2059226a23c4cba37f8c9a9',
      hashed_idfv: HASH_A,
    });
  });
});
