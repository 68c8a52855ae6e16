import { describe, expect, it } from 'vitest';
import { helpText } from './options-help.js';
import { flagName, OPTION_LIST } from './options.js';

describe('the options table', () => {
  it('declares every option the CLI reads, each with its own variable', () => {
    expect(OPTION_LIST.map((option) => option.env)).toEqual([
      'PORT',
      'HOST',
      'DATAFIRST_ADMIN_PORT',
      'DATAFIRST_METRICS_PORT',
      'DATAFIRST_ADMIN_HOST',
      'DATAFIRST_PUBLIC_URL',
      'DATAFIRST_HEADERS_TIMEOUT_MS',
      'DATAFIRST_BODY_TIMEOUT_MS',
      'DATAFIRST_IDLE_TIMEOUT_MS',
      'DATAFIRST_MAX_CONNECTIONS_PER_ADDRESS',
      'DATAFIRST_DB',
      'DATAFIRST_DATABASE_URL',
      'DATAFIRST_DATABASE_POOL_SIZE',
      'DATAFIRST_DURABILITY',
      'DATAFIRST_ADMIN_TOKEN',
      'DATAFIRST_SECRET_KEY',
      'SNAPCHAT_API_URL',
      'SNAP_PIXEL_ID',
      'SNAP_ACCESS_TOKEN',
      'DATAFIRST_WRITE_KEY',
      'DATAFIRST_TAG_PATH',
      'DATAFIRST_WORKER',
      'DATAFIRST_CONSENT_DEFAULT',
      'DATAFIRST_HONOR_GPC',
      'DATAFIRST_TRUST_PROXY',
      'DATAFIRST_RETENTION_DAYS',
      'DATAFIRST_ATTRIBUTION_DAYS',
      'DATAFIRST_COOKIE_DOMAIN',
      'DATAFIRST_MAX_BATCH_BYTES',
      'DATAFIRST_MAX_MESSAGE_BYTES',
      'DATAFIRST_MAX_JSON_DEPTH',
      'SNAPCHAT_TIMEOUT_MS',
      'DATAFIRST_LEASE_MS',
      'DATAFIRST_RETRY_WINDOW_HOURS',
      'DATAFIRST_BATCH_WAIT_MS',
      'DATAFIRST_MAX_IN_FLIGHT',
      'LOG_LEVEL',
    ]);
  });

  it('gives no two options the same name or flag', () => {
    const names = OPTION_LIST.map((option) => option.name);
    const flags = OPTION_LIST.map(flagName).filter((flag) => flag !== undefined);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(flags).size).toBe(flags.length);
  });

  it('keeps secrets off the command line, and only secrets', () => {
    const withoutFlag = OPTION_LIST.filter((option) => option.flag.kind !== 'value' && option.flag.kind !== 'switch');
    const secrets = OPTION_LIST.filter((option) => option.secret);
    expect(withoutFlag.map((option) => option.env)).toEqual(secrets.map((option) => option.env));
    expect(secrets.map((option) => [option.env, option.flag.kind])).toEqual([
      ['DATAFIRST_ADMIN_TOKEN', 'retired'],
      ['DATAFIRST_SECRET_KEY', 'none'],
      ['SNAP_ACCESS_TOKEN', 'retired'],
      ['DATAFIRST_WRITE_KEY', 'retired'],
    ]);
  });

  it.each(OPTION_LIST.filter((option) => option.default !== undefined).map((option) => [option.env, option]))(
    'accepts its own default for %s',
    (_env, option) => {
      expect(() => option.parse(option.default!)).not.toThrow();
    },
  );

  it('describes every default, fixed or not, except where there is none to describe', () => {
    const undescribed = OPTION_LIST.filter((option) => option.default === undefined && option.defaultText === undefined);
    expect(undescribed.map((option) => option.env)).toEqual(['DATAFIRST_SECRET_KEY', 'SNAP_PIXEL_ID', 'SNAP_ACCESS_TOKEN']);
  });
});

describe('--help', () => {
  it.each(['start', 'worker'] as const)('of %s names every variable and every flag but the secrets’', (command) => {
    const help = helpText(command);
    for (const option of OPTION_LIST) expect(help).toContain(` ${option.env}`);
    for (const option of OPTION_LIST.filter((option) => !option.secret)) expect(help).toContain(`  ${flagName(option)}`);
    for (const flag of ['--admin-token', '--access-token', '--write-key', '--secret-key']) expect(help).not.toContain(flag);
  });

  it.each(['start', 'worker'] as const)('of %s fits 100 columns', (command) => {
    const tooLong = helpText(command)
      .split('\n')
      .filter((line) => line.length > 100);
    expect(tooLong).toEqual([]);
  });

  it('lays out an option as flag, variable, then its text with the default', () => {
    expect(helpText('start')).toContain(
      '  --max-in-flight <n>    DATAFIRST_MAX_IN_FLIGHT\n' +
        '                                                requests in flight at once per integration (default:\n' +
        '                                                2)\n',
    );
    expect(helpText('start')).toContain(
      "                         DATAFIRST_WRITE_KEY    the bootstrapped source's write key (default:\n" +
        '                                                generated and printed; secret: environment only)\n',
    );
  });

  it('says which command it is for', () => {
    expect(helpText('start').split('\n')[0]).toBe('Usage: datafirst start [options]');
    expect(helpText('worker').split('\n').slice(0, 3)).toEqual([
      'Usage: datafirst worker [options]',
      '',
      'Runs only the delivery worker, with the same options as datafirst start: start several on one',
    ]);
  });
});
