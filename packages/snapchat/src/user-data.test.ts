import { createHash } from 'node:crypto';
import type { Message, Traits } from '@datafirst/protocol';
import { describe, expect, test } from 'vitest';
import type { SnapchatConfig } from './config.js';
import { buildUserData, hasMinimumIdentifiers } from './user-data.js';

const CONFIG: SnapchatConfig = { pixel_id: '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a', access_token: 't' };
const APP_CONFIG: SnapchatConfig = {
  ...CONFIG,
  snap_app_id: '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  action_source: 'MOBILE_APP',
};

// Digests docs/snapchat-capi.md §5.4 gives.
const EM_TEST123_GMAIL = 'cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9';
const EM_PERSON = '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345';
const PH_UK = 'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383';
const FN_JOHN = '96d9632f363564cc3032521409cf22a852f2032eec099ed5967c0d000cec607a';
const CT_A_FAKE_CITY = '1124cc23f339ed92484e266352b16ef7abaa3951a0d936e13c0f60a59a67512a';
const ST_CA = '6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126';
const ZP_1234 = '03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4';
const COUNTRY_BO = '3d099d0f13df9d0bb4427a6ce99d61b988861761e286d6e34b17d6371b46b13f';
const GE_M = '62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a';
const EXTERNAL_USER1234 = '831c237928e6212bedaa4451a514ace3174562f6761f6a157a2fe5082b36e2fb';

/** SHA-256 for values docs/snapchat-capi.md gives no digest of. */
function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function track(context: Message['context'], extra: Partial<Message> = {}): Message {
  return { type: 'track', event: 'Order Completed', context, ...extra };
}

describe('buildUserData: hashed PII', () => {
  test('hashes every trait in the §7 key order', () => {
    const message = track(
      {
        traits: {
          email: 'Person@Example.com',
          phone: '+44 844 412 4653',
          firstName: 'John',
          lastName: 'McTest',
          gender: 'Male',
          birthday: '1990-05-15',
          city: 'A Fake City',
          state: 'California',
          zip: '1234',
          country: 'Bolivia',
        },
        ip: '203.0.113.7',
        userAgent: 'UA',
        snapchat: { clickId: 'cid-1', cookie1: 'scid-1' },
      },
      { userId: 'user1234' },
    );
    const userData = buildUserData(message, undefined, CONFIG);
    expect(JSON.stringify(userData)).toBe(
      JSON.stringify({
        em: [EM_PERSON],
        ph: [PH_UK],
        fn: FN_JOHN,
        ln: 'e3e7202354c1f3855b999e4539d3d44bf084154a43025842ee317e4ffc5502c0',
        ge: GE_M,
        db: sha256('19900515'),
        ct: CT_A_FAKE_CITY,
        st: ST_CA,
        zp: ZP_1234,
        country: COUNTRY_BO,
        external_id: [EXTERNAL_USER1234],
        client_ip_address: '203.0.113.7',
        client_user_agent: 'UA',
        sc_click_id: 'cid-1',
        sc_cookie1: 'scid-1',
      }),
    );
  });

  test('sends every email of an array, hashed and deduplicated', () => {
    const message = track({
      traits: { email: ['Person@Example.com', 'not an email', ' person@example.COM ', '   Test123@gmail.com    '] },
    });
    expect(buildUserData(message, undefined, CONFIG).em).toEqual([EM_PERSON, EM_TEST123_GMAIL]);
  });

  test('sends every phone of an array', () => {
    const message = track({ traits: { phone: ['+44 844 412 4653', '07700 900123'] } });
    expect(buildUserData(message, undefined, { ...CONFIG, phone_default_country: 'GB' }).ph).toEqual([
      PH_UK,
      '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd',
    ]);
  });

  test('passes values the sender hashed already, lowercased, without hashing them again', () => {
    const upper = EM_PERSON.toUpperCase();
    const message = track({ traits: { email: upper, firstName: FN_JOHN.toUpperCase() } });
    expect(buildUserData(message, undefined, CONFIG)).toEqual({ em: [EM_PERSON], fn: FN_JOHN });
  });

  test('reads address fields from `address` and postalCode as the zip', () => {
    const message = track({
      traits: { address: { city: 'A Fake City', state: 'CA', postalCode: '1234', country: 'Bolivia' } },
    });
    expect(buildUserData(message, undefined, CONFIG)).toEqual({
      ct: CT_A_FAKE_CITY,
      st: ST_CA,
      zp: ZP_1234,
      country: COUNTRY_BO,
    });
  });

  test('prefers flat address fields to nested ones, and zip to postalCode', () => {
    const message = track({
      traits: { city: 'A Fake City', zip: '1234', postalCode: '99999', address: { city: 'Elsewhere' } },
    });
    expect(buildUserData(message, undefined, CONFIG)).toEqual({ ct: CT_A_FAKE_CITY, zp: ZP_1234 });
  });

  test('accepts snake_case trait names and numbers given as numbers', () => {
    const message = track({ traits: { first_name: 'John', phone_number: 448444124653, postal_code: 1234 } });
    // A number has no "+", so it is a national number: it needs the default country.
    expect(buildUserData(message, undefined, { ...CONFIG, phone_default_country: 'GB' })).toEqual({
      ph: [sha256('44448444124653')],
      fn: FN_JOHN,
      zp: ZP_1234,
    });
  });

  test('omits traits that normalise to nothing', () => {
    const message = track({
      traits: { email: 'nope', phone: '123', firstName: '42', gender: 'other', birthday: 'soon', country: 'Atlantis' },
    });
    expect(buildUserData(message, undefined, CONFIG)).toEqual({});
  });
});

describe('buildUserData: where traits come from', () => {
  const profile: Traits = { email: 'Person@Example.com', firstName: 'John', city: 'A Fake City' };

  test('falls back per field to the profile that identify calls built', () => {
    const message = track({ traits: { firstName: 'Tester' } });
    expect(buildUserData(message, profile, CONFIG)).toEqual({
      em: [EM_PERSON],
      fn: '9bba5c53a0545e0c80184b946153c9f58387e3bd1d4ee35740f29ac2e718b019',
      ct: CT_A_FAKE_CITY,
    });
  });

  test('takes the message traits after the context traits, before the profile', () => {
    const message = track({ traits: {} }, { traits: { email: '   Test123@gmail.com    ' } });
    expect(buildUserData(message, profile, CONFIG).em).toEqual([EM_TEST123_GMAIL]);
  });

  test('falls back to the profile when the event carries an unusable value', () => {
    const message = track({ traits: { email: 'not-an-email' } });
    expect(buildUserData(message, profile, CONFIG).em).toEqual([EM_PERSON]);
  });

  test.each([
    ['email', { email: ' Jane.Doe@Example.com ' }, { em: ['86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d'] }],
    ['phone', { phone: '+44 07700 900123' }, { ph: ['033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'] }],
    ['no other trait', { firstName: 'John', city: 'A Fake City' }, {}],
  ])('reads the %s of the properties, as Segment does by default', (_label, properties, expected) => {
    expect(buildUserData(track({}, { properties }), undefined, CONFIG)).toEqual(expected);
  });

  test('prefers the traits to the properties, and the properties to the profile', () => {
    const properties = { email: 'jane.doe@example.com', phone: '+447700900123' };
    const message = track({ traits: { email: 'Person@Example.com' } }, { properties });
    expect(buildUserData(message, { email: 'Test123@gmail.com', phone: '+44 844 412 4653' }, CONFIG)).toEqual({
      em: [EM_PERSON],
      ph: ['033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'],
    });
  });

  test('falls back from an unusable property email to the profile', () => {
    const message = track({}, { properties: { email: 'not-an-email' } });
    expect(buildUserData(message, { email: 'Person@Example.com' }, CONFIG)).toEqual({ em: [EM_PERSON] });
  });

  test('removes all whitespace from userId before hashing external_id', () => {
    expect(buildUserData(track({}, { userId: ' User 1234 ' }), undefined, CONFIG)).toEqual({
      external_id: [EXTERNAL_USER1234],
    });
  });

  test('sends external_id from userId, never from anonymousId', () => {
    expect(buildUserData(track({}, { userId: ' USER1234 ' }), undefined, CONFIG)).toEqual({
      external_id: [EXTERNAL_USER1234],
    });
    expect(buildUserData(track({}, { anonymousId: 'a-77' }), undefined, CONFIG)).toEqual({});
  });

  test('takes external_id from the profile when the event is anonymous', () => {
    expect(buildUserData(track({}, { anonymousId: 'a-77' }), { userId: 'user1234' }, CONFIG)).toEqual({
      external_id: [EXTERNAL_USER1234],
    });
  });
});

describe('buildUserData: raw identifiers', () => {
  test('sends IP, user agent, click id and cookie raw, stripping the IPv4-mapped prefix', () => {
    const message = track({
      ip: '::ffff:203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11)',
      snapchat: { clickId: 'CiD-MiXeD', cookie1: 'AbC_123-xyz' },
    });
    expect(buildUserData(message, undefined, CONFIG)).toEqual({
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0 (X11)',
      sc_click_id: 'CiD-MiXeD',
      sc_cookie1: 'AbC_123-xyz',
    });
  });

  test('takes the click id and cookie from Segment\'s "Snap Conversions Api" options', () => {
    const integrations = { All: true, 'Snap Conversions Api': { click_id: 'CiD-Seg-1', uuid_c1: 'scid-Seg-1' } };
    expect(buildUserData(track({}, { integrations }), undefined, CONFIG)).toEqual({
      sc_click_id: 'CiD-Seg-1',
      sc_cookie1: 'scid-Seg-1',
    });
  });

  test('prefers context.snapchat to the integrations options, field by field', () => {
    const integrations = { 'Snap Conversions Api': { click_id: 'cid-options', uuid_c1: 'scid-options' } };
    const message = track({ snapchat: { clickId: 'cid-context' } }, { integrations });
    expect(buildUserData(message, undefined, CONFIG)).toEqual({ sc_click_id: 'cid-context', sc_cookie1: 'scid-options' });
  });

  test.each([
    ['a switch instead of options', { 'Snap Conversions Api': true }],
    ['blank values', { 'Snap Conversions Api': { click_id: ' ', uuid_c1: 42 } }],
    ['another destination', { 'Facebook Conversions API': { click_id: 'cid-1' } }],
  ])('ignores integrations with %s', (_label, integrations) => {
    expect(buildUserData(track({}, { integrations }), undefined, CONFIG)).toEqual({});
  });

  test('lowercases an IPv6 address and drops a value that is no IP', () => {
    expect(buildUserData(track({ ip: '2001:DB8::7' }), undefined, CONFIG)).toEqual({ client_ip_address: '2001:db8::7' });
    expect(buildUserData(track({ ip: 'unknown' }), undefined, CONFIG)).toEqual({});
  });

  test('sends madid on every action source and idfv only for app events, lowercased', () => {
    const context: Message['context'] = {
      device: {
        advertisingId: '87A7DEF4-B6E9-4BF7-91B6-66372842007A',
        id: 'A1B2C3D4-0000-4000-8000-00000000000F',
        adTrackingEnabled: true,
      },
      os: { name: 'iOS', version: '17.5' },
    };
    expect(buildUserData(track(context), undefined, CONFIG)).toEqual({ madid: '87a7def4-b6e9-4bf7-91b6-66372842007a' });
    expect(buildUserData(track(context), undefined, APP_CONFIG)).toEqual({
      madid: '87a7def4-b6e9-4bf7-91b6-66372842007a',
      idfv: 'a1b2c3d4-0000-4000-8000-00000000000f',
    });
  });

  test('follows a per-message MOBILE_APP action source', () => {
    const message = track({ actionSource: 'app', device: { advertisingId: '87a7def4-b6e9-4bf7-91b6-66372842007a' } });
    expect(buildUserData(message, undefined, CONFIG).madid).toBe('87a7def4-b6e9-4bf7-91b6-66372842007a');
  });

  test.each(['WEB', 'OFFLINE', 'MOBILE_APP'] as const)('sends madid on %s events, where it counts as an identifier', (source) => {
    const message = track({ actionSource: source, device: { advertisingId: ' 87A7DEF4-B6E9-4BF7-91B6-66372842007A ' } });
    const userData = buildUserData(message, undefined, APP_CONFIG);
    expect(userData).toEqual({ madid: '87a7def4-b6e9-4bf7-91b6-66372842007a' });
    expect(hasMinimumIdentifiers(userData)).toBe(true);
  });

  test.each([
    ['WEB', { ...CONFIG }],
    ['OFFLINE', { ...CONFIG, action_source: 'OFFLINE' as const }],
  ])('leaves the advertising id out of %s events when the user turned ad tracking off', (_source, config) => {
    const message = track({ device: { advertisingId: '87a7def4-b6e9-4bf7-91b6-66372842007a', adTrackingEnabled: false } });
    expect(buildUserData(message, undefined, config)).toEqual({});
  });

  test('leaves out the all-zero advertising id of limited ad tracking on web events too', () => {
    const message = track({ device: { advertisingId: '00000000-0000-0000-0000-000000000000' } });
    expect(buildUserData(message, undefined, CONFIG)).toEqual({});
  });

  test('leaves the advertising id out when the user turned ad tracking off', () => {
    const message = track({ device: { advertisingId: '87a7def4-b6e9-4bf7-91b6-66372842007a', adTrackingEnabled: false } });
    expect(buildUserData(message, undefined, APP_CONFIG)).toEqual({});
  });

  test('does not take an Android device id for an IDFV', () => {
    const message = track({ device: { id: 'android-id-1' }, os: { name: 'Android' } });
    expect(buildUserData(message, undefined, APP_CONFIG)).toEqual({});
  });
});

describe('hasMinimumIdentifiers', () => {
  test.each([
    [{ em: [EM_PERSON] }, true],
    [{ ph: [PH_UK] }, true],
    [{ madid: '87a7def4-b6e9-4bf7-91b6-66372842007a' }, true],
    [{ client_ip_address: '203.0.113.7', client_user_agent: 'UA' }, true],
    [{ client_ip_address: '203.0.113.7' }, false],
    [{ client_user_agent: 'UA' }, false],
    [{ sc_click_id: 'cid', sc_cookie1: 'scid', external_id: [EXTERNAL_USER1234], fn: FN_JOHN }, false],
    [{ em: [] }, false],
    [{}, false],
  ])('says %j is enough to match: %s', (userData, expected) => {
    expect(hasMinimumIdentifiers(userData)).toBe(expected);
  });
});
