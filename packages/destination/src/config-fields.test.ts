import { describe, expect, test } from 'vitest';
import { curedReasonCodes, type ConfigField } from './config-fields.js';

const field = (key: string, extra: Partial<ConfigField> = {}): ConfigField => ({
  key,
  label: key,
  type: 'string',
  required: false,
  secret: false,
  credential: false,
  help: '',
  ...extra,
});

const FIELDS: ConfigField[] = [
  field('token', { credential: true, secret: true }),
  field('account', { credential: true }),
  field('site_url', { cures: ['missing_event_source_url'] }),
  field('event_map', { type: 'event_map' }),
];

describe('curedReasonCodes', () => {
  test.each([
    ['nothing changed', { token: 't', site_url: 'https://a.example' }, { token: 't', site_url: 'https://a.example' }, []],
    ['a credential changed', { token: 't' }, { token: 'u' }, ['credentials_refused']],
    ['two credentials changed', { token: 't', account: 'a' }, { token: 'u', account: 'b' }, ['credentials_refused']],
    ['the site URL was set', {}, { site_url: 'https://a.example' }, ['missing_event_source_url']],
    ['the site URL was cleared', { site_url: 'https://a.example' }, {}, ['missing_event_source_url']],
    [
      'token and site URL changed',
      { token: 't' },
      { token: 'u', site_url: 'https://a.example' },
      ['credentials_refused', 'missing_event_source_url'],
    ],
    ['a field that cures nothing changed', { event_map: { A: 'B' } }, { event_map: { A: 'C' } }, []],
    ['an equal map rebuilt', { account: { a: 1 } }, { account: { a: 1 } }, []],
    ['an undeclared key changed', { other: 1 }, { other: 2 }, []],
  ] as const)('%s', (_, before, after, expected) => {
    expect(curedReasonCodes(FIELDS, before, after)).toEqual(expected);
  });
});
