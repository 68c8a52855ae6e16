import { createHash } from 'node:crypto';
import type { Message, Traits } from '@datafirst/protocol';
import { describe, expect, test } from 'vitest';
import { toSnapEvent } from './build-event.js';
import type { SnapchatConfig } from './config.js';
import { normalizeCity, normalizeCountry, normalizeState, normalizeZip } from './normalize-address.js';
import { normalizePhone } from './normalize-phone.js';
import { normalizeEmail, normalizeGender, normalizeMobileId, normalizeName } from './normalize.js';
import { buildUserData, type SnapUserData } from './user-data.js';
import { toV2Event } from './v2.js';

// Every vector of docs/snapchat-capi.md §5.4, in the order it lists them, checked three ways:
// the field's normaliser gives the normalised text, Node's crypto gives the digest from it (so a
// typo in the table cannot hide), and user_data carries that digest under the field's key.

const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const SNAP_APP = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

type Field = 'email' | 'phone' | 'firstName' | 'city' | 'state' | 'zip' | 'country' | 'gender';

const NORMALIZERS: Record<Field, (value: unknown, country?: string) => string | undefined> = {
  email: normalizeEmail,
  phone: normalizePhone,
  firstName: normalizeName,
  city: normalizeCity,
  state: normalizeState,
  zip: normalizeZip,
  country: normalizeCountry,
  gender: normalizeGender,
};

const KEYS: Record<Field, keyof SnapUserData> = {
  email: 'em',
  phone: 'ph',
  firstName: 'fn',
  city: 'ct',
  state: 'st',
  zip: 'zp',
  country: 'country',
  gender: 'ge',
};

// [source, field, input, phone_default_country, normalised, SHA-256]
const VECTORS: [string, Field, string, string | undefined, string, string][] = [
  [
    'Snap docs',
    'email',
    'Person@Example.com',
    undefined,
    'person@example.com',
    '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345',
  ],
  [
    'Snap Go test',
    'email',
    '    test123@example.com  ',
    undefined,
    'test123@example.com',
    '20b82517b67108ed3a171539dc5dd1da605660249b02f38dd70f572a545c7d18',
  ],
  [
    'Segment',
    'email',
    '   Test123@gmail.com    ',
    undefined,
    'test123@gmail.com',
    'cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9',
  ],
  [
    'Snap docs',
    'phone',
    '+44 844 412 4653',
    undefined,
    '448444124653',
    'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383',
  ],
  [
    'Snap SDK',
    'phone',
    '+44-0447-234-2344',
    undefined,
    '444472342344',
    '19f25a18866af88fc60189c3af85010a0b971cf976053787fe21e004538c20a0',
  ],
  [
    'Snap SDK',
    'phone',
    '0044-447-234-2344',
    undefined,
    '444472342344',
    '19f25a18866af88fc60189c3af85010a0b971cf976053787fe21e004538c20a0',
  ],
  [
    'Snap SDK',
    'phone',
    '+44 0447 234 2344',
    undefined,
    '444472342344',
    '19f25a18866af88fc60189c3af85010a0b971cf976053787fe21e004538c20a0',
  ],
  [
    'Snap SDK',
    'phone',
    '(447)-234-2344',
    'US',
    '14472342344',
    '34053b331d29734f081bf74160cd33bc2f621b3b6f8ec991500bebf49f14e014',
  ],
  [
    'Snap SDK',
    'phone',
    '+1-(447) 234 2344',
    undefined,
    '14472342344',
    '34053b331d29734f081bf74160cd33bc2f621b3b6f8ec991500bebf49f14e014',
  ],
  [
    'RudderStack',
    'phone',
    '+91 2111111',
    undefined,
    '912111111',
    'bc77d64d7045fe44795ed926df37231a0cfb6ec6b74588c512790e9f143cc492',
  ],
  ['DF', 'phone', '07700 900123', 'GB', '447700900123', '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'],
  ['Snap docs', 'firstName', 'John', undefined, 'john', '96d9632f363564cc3032521409cf22a852f2032eec099ed5967c0d000cec607a'],
  ['Snap docs', 'firstName', 'Raphaël', undefined, 'raphaël', 'e74bb89e718fe1e19c422a48382870399f8bf7ca8dfa008739e75b0be76627b7'],
  [
    'NFD input',
    'firstName',
    'Raphae\u0308l',
    undefined,
    'raphaël',
    'e74bb89e718fe1e19c422a48382870399f8bf7ca8dfa008739e75b0be76627b7',
  ],
  ['Segment', 'city', 'A Fake City', undefined, 'afakecity', '1124cc23f339ed92484e266352b16ef7abaa3951a0d936e13c0f60a59a67512a'],
  ['Snap Go README', 'state', 'CA', undefined, 'ca', '6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126'],
  ['Segment zip', 'zip', '1234', undefined, '1234', '03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4'],
  ['Segment', 'country', 'Bolivia', undefined, 'bo', '3d099d0f13df9d0bb4427a6ce99d61b988861761e286d6e34b17d6371b46b13f'],
  ['Segment', 'gender', 'Male', undefined, 'm', '62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a'],
];

const ALREADY_HASHED = 'D74DCEF7E1DBA5AED01B62BC932AB1A7848ED9A590CA029AA958A1BF82B6993D';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function withTraits(traits: Traits): Message {
  return { type: 'track', event: 'Signed Up', context: { traits } };
}

function config(defaultCountry: string | undefined): SnapchatConfig {
  return defaultCountry === undefined
    ? { pixel_id: PIXEL, access_token: 't' }
    : { pixel_id: PIXEL, access_token: 't', phone_default_country: defaultCountry };
}

describe('snapchat-capi.md §5 vectors', () => {
  test.each(VECTORS)('%s %s %j (default country %s) → %s → %s', (_source, field, input, country, normalised, digest) => {
    expect(NORMALIZERS[field](input, country)).toBe(normalised);
    expect(sha256(normalised)).toBe(digest);
    const userData = buildUserData(withTraits({ [field]: input }), undefined, config(country));
    const key = KEYS[field];
    expect(userData[key]).toEqual(key === 'em' || key === 'ph' ? [digest] : digest);
  });

  test('(447)-234-2344 without a default country is omitted, not guessed', () => {
    expect(normalizePhone('(447)-234-2344')).toBeUndefined();
    expect(buildUserData(withTraits({ phone: '(447)-234-2344' }), undefined, config(undefined))).toEqual({});
  });

  test.each(Object.keys(KEYS) as Field[])('an already hashed %s passes through lowercased, never re-hashed', (field) => {
    const userData = buildUserData(withTraits({ [field]: `  ${ALREADY_HASHED} ` }), undefined, config('GB'));
    const expected = 'd74dcef7e1dba5aed01b62bc932ab1a7848ed9a590ca029aa958a1bf82b6993d';
    expect(userData[KEYS[field]]).toEqual(KEYS[field] === 'em' || KEYS[field] === 'ph' ? [expected] : expected);
  });

  test.each(Object.keys(KEYS) as Field[])('an empty or blank %s is omitted, never hashed', (field) => {
    for (const empty of ['', '   ', '\t\n']) {
      expect(buildUserData(withTraits({ [field]: empty }), undefined, config('GB'))).toEqual({});
    }
  });

  test('v2 IP 8.8.8.8 (Segment) is hashed into hashed_ip_address', () => {
    const built = toSnapEvent(
      {
        type: 'page',
        messageId: 'm-ip',
        timestamp: '2025-06-02T11:00:00.000Z',
        receivedAt: '2025-06-02T11:00:00.000Z',
        context: { page: { url: 'https://x.example/' }, ip: '8.8.8.8', userAgent: 'UA' },
      },
      config(undefined),
      { now: new Date('2025-06-02T12:00:00Z') },
    );
    if (!built.ok) throw new Error(built.detail);
    expect(built.event.user_data.client_ip_address).toBe('8.8.8.8');
    expect(toV2Event(built.event, { ...config(undefined), api_version: 'v2' }).hashed_ip_address).toBe(
      '838c4c2573848f58e74332341a7ca6bc5cd86a8aec7d644137d53b4d597f10f5',
    );
  });

  test('v2 MAID 87a7def4-… (Segment) is sent raw in v3 and hashed into hashed_mobile_ad_id in v2', () => {
    const maid = '87A7DEF4-B6E9-4BF7-91B6-66372842007A';
    expect(normalizeMobileId(maid)).toBe('87a7def4-b6e9-4bf7-91b6-66372842007a');
    const appConfig: SnapchatConfig = {
      ...config(undefined),
      snap_app_id: SNAP_APP,
      app_id: '123456789',
      action_source: 'MOBILE_APP',
    };
    const built = toSnapEvent(
      {
        type: 'track',
        event: 'Signed Up',
        messageId: 'm-maid',
        timestamp: '2025-06-02T11:00:00.000Z',
        receivedAt: '2025-06-02T11:00:00.000Z',
        context: { device: { advertisingId: maid, adTrackingEnabled: true }, os: { name: 'iOS' } },
      },
      appConfig,
      { now: new Date('2025-06-02T12:00:00Z') },
    );
    if (!built.ok) throw new Error(built.detail);
    expect(built.event.user_data.madid).toBe('87a7def4-b6e9-4bf7-91b6-66372842007a');
    expect(toV2Event(built.event, { ...appConfig, api_version: 'v2' }).hashed_mobile_ad_id).toBe(
      '5af103f270fdc673b5e121ea929d1e47b2cee679e2059226a23c4cba37f8c9a9',
    );
  });
});
