import { describe, expect, it } from 'vitest';
import { HELP, loadConfig } from './config.js';

describe('cookie options', () => {
  it('keeps a Snapchat click for 28 days on host-only cookies by default', () => {
    const config = loadConfig([], {});
    expect([config.attributionDays, config.cookieDomain]).toEqual([28, undefined]);
  });

  it('reads the attribution window and the cookie domain from the environment', () => {
    const config = loadConfig([], { DATAFIRST_ATTRIBUTION_DAYS: '7', DATAFIRST_COOKIE_DOMAIN: 'shop.example' });
    expect([config.attributionDays, config.cookieDomain]).toEqual([7, 'shop.example']);
  });

  it('lets flags win over the environment', () => {
    const config = loadConfig(['--attribution-days', '1', '--cookie-domain', '.shop.example'], {
      DATAFIRST_ATTRIBUTION_DAYS: '7',
      DATAFIRST_COOKIE_DOMAIN: 'other.example',
    });
    expect([config.attributionDays, config.cookieDomain]).toEqual([1, '.shop.example']);
  });

  it.each([
    [['--attribution-days', '0'], 'invalid attribution days: 0 (a number of at least 1)'],
    [['--attribution-days', 'week'], 'invalid attribution days: week (a number of at least 1)'],
    [
      ['--cookie-domain', 'shop.example; Secure'],
      'invalid cookie domain: shop.example; Secure (a host name such as shop.example)',
    ],
    [
      ['--cookie-domain', 'https://shop.example'],
      'invalid cookie domain: https://shop.example (a host name such as shop.example)',
    ],
  ])('refuses %j with "%s"', (argv, message) => {
    expect(() => loadConfig(argv, {})).toThrow(message);
  });

  it('documents both options in --help', () => {
    expect(HELP).toContain('--attribution-days <n> DATAFIRST_ATTRIBUTION_DAYS');
    expect(HELP).toContain('--cookie-domain <d>    DATAFIRST_COOKIE_DOMAIN');
  });
});
