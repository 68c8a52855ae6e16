import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig, parseConfig, type Config } from './config.js';
import { helpText } from './options-help.js';
import { OPTION_LIST, OPTIONS } from './options.js';

const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';

/** The message of the error `run` throws. */
function errorMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

const DEFAULTS: Config = {
  port: 8080,
  host: '0.0.0.0',
  adminPort: 8081,
  adminHost: '127.0.0.1',
  metricsPort: undefined,
  publicUrl: undefined,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
  idleTimeoutMs: 65_000,
  maxConnectionsPerAddress: 1000,
  dbPath: resolve('data/datafirst.db'),
  databaseUrl: undefined,
  databasePoolSize: 10,
  durability: 'normal',
  adminToken: expect.stringMatching(/^[\w-]{32}$/),
  adminTokenGenerated: true,
  secretKey: undefined,
  snapchatApiUrl: '',
  snapPixelId: undefined,
  snapAccessToken: undefined,
  writeKey: undefined,
  demo: true,
  tagPath: '/_df.js',
  worker: true,
  consentDefault: 'granted',
  honorGpc: true,
  trustProxy: 0,
  retentionDays: 30,
  attributionDays: 28,
  cookieDomain: undefined,
  maxBatchBytes: 4 * 1024 * 1024,
  maxMessageBytes: 64 * 1024,
  maxJsonDepth: 32,
  requestTimeoutMs: 30_000,
  leaseMs: 60_000,
  retryWindowMs: 24 * 60 * 60 * 1000,
  batchWaitMs: 100,
  maxInFlight: 2,
  logLevel: 'info',
};

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
    expect(helpText('start')).toContain('--attribution-days <n> DATAFIRST_ATTRIBUTION_DAYS');
    expect(helpText('start')).toContain('--cookie-domain <d>    DATAFIRST_COOKIE_DOMAIN');
  });
});

describe('defaults', () => {
  it('runs in demo mode on port 8080 with every documented default when nothing is given', () => {
    expect(parseConfig([], {})).toStrictEqual({ config: DEFAULTS, warnings: [] });
  });

  it('treats every variable set to the empty string as not set', () => {
    const empty = Object.fromEntries(OPTION_LIST.map((option) => [option.env, '']));
    expect(parseConfig([], empty)).toStrictEqual({ config: DEFAULTS, warnings: [] });
  });

  it('derives the lease from the request timeout when no lease is given', () => {
    expect(loadConfig(['--request-timeout', '5000'], {}).leaseMs).toBe(10_000);
  });

  it('refuses a pixel id that is not one, such as a placeholder, at start', () => {
    expect(errorMessage(() => loadConfig([], { SNAP_PIXEL_ID: 'your-pixel-id', SNAP_ACCESS_TOKEN: 't' }))).toBe(
      'invalid pixel id: your-pixel-id (a Snapchat Pixel ID: a UUID like 6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a (Ads Manager → Events Manager)), from SNAP_PIXEL_ID',
    );
  });

  it('sends to Snapchat itself once a pixel and token are given', () => {
    const config = loadConfig([], { SNAP_PIXEL_ID: PIXEL, SNAP_ACCESS_TOKEN: 'token-1' });
    expect([config.demo, config.snapchatApiUrl]).toEqual([false, 'https://tr.snapchat.com']);
  });
});

/** What giving a pixel and its token changes besides themselves: no demo mode. */
const SNAPCHAT_ITSELF: Partial<Config> = { demo: false, snapchatApiUrl: 'https://tr.snapchat.com' };

/**
 * One row per option: a valid text, the flag that gives it (none for a secret), the Config field
 * it lands in with its value, and any other variable it needs (a pixel goes with a token).
 */
const EVERY_OPTION: [keyof typeof OPTIONS, string, string[] | undefined, Partial<Config>, Record<string, string>][] = [
  ['port', '9090', ['--port', '9090'], { port: 9090 }, {}],
  ['host', '127.0.0.1', ['--host', '127.0.0.1'], { host: '127.0.0.1' }, {}],
  ['adminPort', '9091', ['--admin-port', '9091'], { adminPort: 9091 }, {}],
  ['metricsPort', '9101', ['--metrics-port', '9101'], { metricsPort: 9101 }, {}],
  ['adminHost', '0.0.0.0', ['--admin-host', '0.0.0.0'], { adminHost: '0.0.0.0' }, {}],
  [
    'publicUrl',
    'https://shop.example/df/',
    ['--public-url', 'https://shop.example/df/'],
    { publicUrl: 'https://shop.example/df' },
    {},
  ],
  ['headersTimeout', '5000', ['--headers-timeout', '5000'], { headersTimeoutMs: 5000 }, {}],
  ['bodyTimeout', '20000', ['--body-timeout', '20000'], { bodyTimeoutMs: 20_000 }, {}],
  ['idleTimeout', '5000', ['--idle-timeout', '5000'], { idleTimeoutMs: 5000 }, {}],
  ['maxConnectionsPerAddress', '50', ['--max-connections-per-address', '50'], { maxConnectionsPerAddress: 50 }, {}],
  ['db', 'other.db', ['--db', 'other.db'], { dbPath: resolve('other.db') }, {}],
  [
    'databaseUrl',
    'postgres://df:pw@db.internal:5432/datafirst',
    ['--database-url', 'postgres://df:pw@db.internal:5432/datafirst'],
    { databaseUrl: 'postgres://df:pw@db.internal:5432/datafirst' },
    {},
  ],
  ['databasePoolSize', '4', ['--database-pool-size', '4'], { databasePoolSize: 4 }, {}],
  ['durability', 'full', ['--durability', 'full'], { durability: 'full' }, {}],
  [
    'adminToken',
    'a-given-token-of-24-chars',
    undefined,
    { adminToken: 'a-given-token-of-24-chars', adminTokenGenerated: false },
    {},
  ],
  ['secretKey', 'k'.repeat(32), undefined, { secretKey: 'k'.repeat(32) }, {}],
  ['snapchatUrl', 'http://127.0.0.1:9/', ['--snapchat-url', 'http://127.0.0.1:9/'], { snapchatApiUrl: 'http://127.0.0.1:9' }, {}],
  [
    'pixelId',
    PIXEL,
    ['--pixel-id', PIXEL],
    { snapPixelId: PIXEL, ...SNAPCHAT_ITSELF, snapAccessToken: 't' },
    { SNAP_ACCESS_TOKEN: 't' },
  ],
  [
    'accessToken',
    'token-1',
    undefined,
    { snapAccessToken: 'token-1', ...SNAPCHAT_ITSELF, snapPixelId: PIXEL },
    { SNAP_PIXEL_ID: PIXEL },
  ],
  ['writeKey', 'wk_given', undefined, { writeKey: 'wk_given' }, {}],
  ['tagPath', '/assets/app.js', ['--tag-path', '/assets/app.js'], { tagPath: '/assets/app.js' }, {}],
  ['worker', '0', ['--no-worker'], { worker: false }, {}],
  ['consentDefault', 'denied', ['--consent-default', 'denied'], { consentDefault: 'denied' }, {}],
  ['honorGpc', '0', ['--ignore-gpc'], { honorGpc: false }, {}],
  ['trustProxy', '2', ['--trust-proxy', '2'], { trustProxy: 2 }, {}],
  ['retentionDays', '7', ['--retention-days', '7'], { retentionDays: 7 }, {}],
  ['attributionDays', '7', ['--attribution-days', '7'], { attributionDays: 7 }, {}],
  ['cookieDomain', 'shop.example', ['--cookie-domain', 'shop.example'], { cookieDomain: 'shop.example' }, {}],
  ['maxBatchBytes', '1048576', ['--max-batch-bytes', '1048576'], { maxBatchBytes: 1_048_576 }, {}],
  ['maxMessageBytes', '32768', ['--max-message-bytes', '32768'], { maxMessageBytes: 32_768 }, {}],
  ['maxJsonDepth', '64', ['--max-json-depth', '64'], { maxJsonDepth: 64 }, {}],
  ['requestTimeout', '5000', ['--request-timeout', '5000'], { requestTimeoutMs: 5000, leaseMs: 10_000 }, {}],
  ['lease', '90000', ['--lease', '90000'], { leaseMs: 90_000 }, {}],
  ['retryWindow', '2', ['--retry-window', '2'], { retryWindowMs: 2 * 60 * 60 * 1000 }, {}],
  ['batchWait', '0', ['--batch-wait', '0'], { batchWaitMs: 0 }, {}],
  ['maxInFlight', '4', ['--max-in-flight', '4'], { maxInFlight: 4 }, {}],
  ['logLevel', 'debug', ['--log-level', 'debug'], { logLevel: 'debug' }, {}],
];

describe('every option', () => {
  it('has a row in this test', () => {
    expect(EVERY_OPTION.map(([key]) => key)).toEqual(Object.keys(OPTIONS));
  });

  it.each(EVERY_OPTION)('reads %s from its environment variable', (key, text, _flag, expected, needs) => {
    const { config, warnings } = parseConfig([], { ...needs, [OPTIONS[key].env]: text });
    expect(config).toStrictEqual({ ...DEFAULTS, ...expected });
    expect(warnings).toEqual([]);
  });

  const withFlag = EVERY_OPTION.filter(([, , flag]) => flag !== undefined);
  it.each(withFlag)('reads %s from its flag, not even reading the variable then', (key, _text, flag, expected, needs) => {
    // The variable's text would be refused (or differ): the flag's value wins all the same.
    const { config, warnings } = parseConfig(flag!, { ...needs, [OPTIONS[key].env]: '#not-this' });
    expect(config).toStrictEqual({ ...DEFAULTS, ...expected });
    expect(warnings).toEqual([]);
  });

  it.each([
    ['DATAFIRST_WORKER', 'off', { worker: false }],
    ['DATAFIRST_WORKER', 'FALSE', { worker: false }],
    ['DATAFIRST_WORKER', 'yes', { worker: true }],
    ['DATAFIRST_HONOR_GPC', 'No', { honorGpc: false }],
    ['DATAFIRST_TRUST_PROXY', 'true', { trustProxy: true }],
    ['DATAFIRST_TRUST_PROXY', 'false', { trustProxy: false }],
    ['DATAFIRST_ATTRIBUTION_DAYS', '1.5', { attributionDays: 1.5 }],
    ['DATAFIRST_COOKIE_DOMAIN', '.shop.example', { cookieDomain: '.shop.example' }],
  ])('reads %s=%s', (variable, text, expected) => {
    expect(loadConfig([], { [variable]: text })).toStrictEqual({ ...DEFAULTS, ...expected });
  });
});

describe('bad values', () => {
  it('refuses a database URL that is not postgres:// without repeating it, password and all', () => {
    const url = 'mysql://df:hunter2@db.internal/datafirst';
    expect(() => loadConfig(['--database-url', url], {})).toThrow(/^invalid database url: not a postgres:\/\/ URL/);
    expect(() => loadConfig([], { DATAFIRST_DATABASE_URL: url })).not.toThrow(/hunter2/);
    expect(() => loadConfig([], { DATAFIRST_DATABASE_URL: url })).toThrow(/invalid database url/);
  });

  it.each([
    [['--port', '70000'], {}, 'invalid port: 70000 (a whole number from 0 to 65535), from --port'],
    [[], { PORT: 'http' }, 'invalid port: http (a whole number from 0 to 65535), from PORT'],
    [['--durability', 'fsync'], {}, 'invalid durability: fsync (normal or full), from --durability'],
    [
      ['--snapchat-url', 'tr.snapchat.com'],
      {},
      'invalid snapchat url: tr.snapchat.com (an http(s) URL such as https://tr.snapchat.com), from --snapchat-url',
    ],
    [
      [],
      { SNAPCHAT_API_URL: 'ftp://tr.snapchat.com' },
      'invalid snapchat url: ftp://tr.snapchat.com (an http(s) URL such as https://tr.snapchat.com), from SNAPCHAT_API_URL',
    ],
    [['--tag-path', '/track'], {}, 'invalid tag path: /track (like /assets/app.js), from --tag-path'],
    [[], { DATAFIRST_WORKER: 'maybe' }, 'invalid worker: maybe (1 or 0), from DATAFIRST_WORKER'],
    [['--consent-default', 'yes'], {}, 'invalid consent default: yes (granted or denied), from --consent-default'],
    [[], { DATAFIRST_HONOR_GPC: 'sometimes' }, 'invalid honor gpc: sometimes (1 or 0), from DATAFIRST_HONOR_GPC'],
    [['--trust-proxy=-1'], {}, 'invalid trust proxy: -1 (a number of hops, true or false), from --trust-proxy'],
    [
      [],
      { DATAFIRST_TRUST_PROXY: 'all' },
      'invalid trust proxy: all (a number of hops, true or false), from DATAFIRST_TRUST_PROXY',
    ],
    [
      [],
      { DATAFIRST_ATTRIBUTION_DAYS: 'week' },
      'invalid attribution days: week (a number of at least 1), from DATAFIRST_ATTRIBUTION_DAYS',
    ],
    [['--cookie-domain', 'a b'], {}, 'invalid cookie domain: a b (a host name such as shop.example), from --cookie-domain'],
    [['--request-timeout', '50'], {}, 'invalid request timeout: 50 (a number of at least 100), from --request-timeout'],
    [[], { SNAPCHAT_TIMEOUT_MS: 'slow' }, 'invalid request timeout: slow (a number of at least 100), from SNAPCHAT_TIMEOUT_MS'],
    [['--lease', 'long'], {}, 'invalid lease: long (a number of at least 0), from --lease'],
    [['--retry-window=-1'], {}, 'invalid retry window: -1 (a number of at least 0), from --retry-window'],
    [[], { DATAFIRST_BATCH_WAIT_MS: 'soon' }, 'invalid batch wait: soon (a number of at least 0), from DATAFIRST_BATCH_WAIT_MS'],
    [['--max-in-flight', '0'], {}, 'invalid max in flight: 0 (a whole number of at least 1), from --max-in-flight'],
    [['--max-in-flight', '1.5'], {}, 'invalid max in flight: 1.5 (a whole number of at least 1), from --max-in-flight'],
    [
      ['--log-level', 'verbose'],
      {},
      'invalid log level: verbose (one of fatal, error, warn, info, debug, trace, silent), from --log-level',
    ],
  ])('refuses %j %j with "%s"', (argv, env, message) => {
    expect(errorMessage(() => loadConfig(argv, env))).toBe(message);
  });

  it('refuses a lease no longer than the request timeout', () => {
    expect(errorMessage(() => loadConfig(['--request-timeout', '5000', '--lease', '5000'], {}))).toBe(
      'invalid lease: 5000 ms must exceed the request timeout (5000 ms)',
    );
  });

  it('refuses a body timeout shorter than the headers timeout', () => {
    expect(errorMessage(() => loadConfig(['--headers-timeout', '5000', '--body-timeout', '4000'], {}))).toBe(
      'invalid body timeout: 4000 ms must be at least the headers timeout (5000 ms)',
    );
  });

  it('refuses one port for both listeners', () => {
    expect(errorMessage(() => loadConfig(['--port', '9000', '--admin-port', '9000'], {}))).toBe(
      'invalid admin port: 9000 is the public port too; the admin listener needs its own',
    );
  });

  it.each([[{ SNAP_PIXEL_ID: PIXEL }], [{ SNAP_ACCESS_TOKEN: 'token-1' }]])(
    'refuses half of the Snapchat credentials: %j',
    (env) => {
      expect(errorMessage(() => loadConfig([], env))).toBe(
        'SNAP_PIXEL_ID and SNAP_ACCESS_TOKEN go together: give both or neither',
      );
    },
  );

  it('names a bad secret by its variable and never repeats it', () => {
    const message = errorMessage(() => loadConfig([], { DATAFIRST_SECRET_KEY: 'short-secret' }));
    expect(message).toBe('DATAFIRST_SECRET_KEY must be at least 32 characters (try: openssl rand -base64 32)');
  });

  it('refuses an admin token shorter than 24 characters, without repeating it', () => {
    const message = errorMessage(() => loadConfig([], { DATAFIRST_ADMIN_TOKEN: 'a-23-character-token-xx' }));
    expect(message).toBe('DATAFIRST_ADMIN_TOKEN must be at least 24 characters (try: openssl rand -base64 32)');
    expect(loadConfig([], { DATAFIRST_ADMIN_TOKEN: 'a-24-character-token-xxx' }).adminToken).toBe('a-24-character-token-xxx');
  });

  it('keeps raw events 30 days by default, and refuses a retention not longer than the retry window', () => {
    expect(loadConfig([], { DATAFIRST_RETENTION_DAYS: '7' }).retentionDays).toBe(7);
    expect(errorMessage(() => loadConfig(['--retention-days', '1'], { DATAFIRST_RETRY_WINDOW_HOURS: '24' }))).toBe(
      'invalid retention days: 1 days must exceed the retry window (24 hours)',
    );
  });

  it('refuses a flag it does not know', () => {
    expect(() => loadConfig(['--colour'], {})).toThrow("Unknown option '--colour'");
  });
});

describe('secrets on the command line', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['--admin-token', 'DATAFIRST_ADMIN_TOKEN'],
    ['--write-key', 'DATAFIRST_WRITE_KEY'],
    ['--access-token', 'SNAP_ACCESS_TOKEN'],
  ])('refuses %s, naming %s instead', (flag, variable) => {
    expect(errorMessage(() => loadConfig([flag, 'some-secret'], {}))).toBe(
      `${flag} is not accepted: a flag shows its secret in the process list (ps); set ${variable} instead`,
    );
  });

  it('has no flag for the secret key', () => {
    expect(() => loadConfig(['--secret-key', 'k'.repeat(32)], {})).toThrow("Unknown option '--secret-key'");
  });
});
