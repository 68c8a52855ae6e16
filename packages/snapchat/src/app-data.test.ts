import type { Message } from '@datafirst/protocol';
import { describe, expect, test } from 'vitest';
import { buildAppData } from './app-data.js';
import type { SnapchatConfig } from './config.js';

const CONFIG: SnapchatConfig = {
  pixel_id: '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a',
  access_token: 't',
  snap_app_id: '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  action_source: 'MOBILE_APP',
};
const AT = new Date('2025-06-02T12:00:00Z');

describe('buildAppData', () => {
  test('fills the 16 extinfo strings from the Segment context, in Snap order', () => {
    const message: Message = {
      type: 'track',
      event: 'Order Completed',
      context: {
        app: { name: 'Shop', version: '2.3.1', build: '2301', namespace: 'com.example.shop' },
        device: { model: 'iPhone15,2', adTrackingEnabled: true },
        os: { name: 'iOS', version: '17.5' },
        screen: { width: 1179, height: 2556, density: 3 },
        network: { carrier: 'Verizon' },
        locale: 'en-US',
        timezone: 'America/Los_Angeles',
      },
    };
    expect(buildAppData(message, { ...CONFIG, app_id: '123456789' }, AT)).toEqual({
      app_id: '123456789',
      advertiser_tracking_enabled: 1,
      extinfo: [
        'i2',
        'com.example.shop',
        '2.3.1',
        '2301',
        '17.5',
        'iPhone15,2',
        'en-US',
        'PDT',
        'Verizon',
        '1179',
        '2556',
        '3',
        '',
        '',
        '',
        'America/Los_Angeles',
      ],
    });
  });

  test("puts the Android versionCode before the versionName, as Snap's Android example does", () => {
    const message: Message = {
      type: 'track',
      context: {
        app: { name: 'Shop', version: '7.7.1', build: '771', namespace: 'com.some.app' },
        device: { model: 'Pixel 7 Pro', adTrackingEnabled: true },
        os: { name: 'Android', version: '14' },
        screen: { width: 1080, height: 2340, density: 2.625 },
        network: { carrier: 'T-Mobile' },
        locale: 'en-US',
        timezone: 'America/New_York',
      },
    };
    expect(buildAppData(message, CONFIG, AT)).toEqual({
      app_id: 'com.some.app',
      advertiser_tracking_enabled: 1,
      extinfo: [
        'a2',
        'com.some.app',
        '771',
        '7.7.1',
        '14',
        'Pixel 7 Pro',
        'en-US',
        'EDT',
        'T-Mobile',
        '1080',
        '2340',
        '2.625',
        '',
        '',
        '',
        'America/New_York',
      ],
    });
  });

  test.each([
    ['Android', { version: '2.0' }, ['', '2.0']],
    ['Android', { build: '20' }, ['20', '']],
    ['iOS', { version: '2.0' }, ['2.0', '']],
    ['iOS', { build: '20' }, ['', '20']],
  ])('fills the %s version slots of %j as %j', (os, app, expected) => {
    const message: Message = { type: 'track', context: { app: { namespace: 'com.example.shop', ...app }, os: { name: os } } };
    expect(buildAppData(message, CONFIG, AT)?.extinfo.slice(2, 4)).toEqual(expected);
  });

  test('uses the bundle id as app id and reports tracking off unless the device allows it', () => {
    const message: Message = {
      type: 'track',
      context: { app: { namespace: 'com.example.shop' }, os: { name: 'Android', version: '14' } },
    };
    expect(buildAppData(message, CONFIG, AT)).toEqual({
      app_id: 'com.example.shop',
      advertiser_tracking_enabled: 0,
      extinfo: ['a2', 'com.example.shop', '', '', '14', '', '', '', '', '', '', '', '', '', '', ''],
    });
  });

  test.each([
    ['123456789', 'i2'],
    ['com.example.shop', 'a2'],
  ])('guesses the extinfo version of store id %s as %s when the OS is unknown', (appId, version) => {
    expect(buildAppData({ type: 'track' }, { ...CONFIG, app_id: appId }, AT)?.extinfo[0]).toBe(version);
  });

  test('leaves the timezone abbreviation empty for an unknown zone', () => {
    const appData = buildAppData({ type: 'track', context: { timezone: 'Mars/Olympus' } }, { ...CONFIG, app_id: '1' }, AT);
    expect(appData?.extinfo[7]).toBe('');
    expect(appData?.extinfo[15]).toBe('Mars/Olympus');
  });

  test('is undefined without any app id', () => {
    expect(buildAppData({ type: 'track' }, CONFIG, AT)).toBeUndefined();
  });
});
