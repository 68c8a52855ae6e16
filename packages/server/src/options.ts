// Every option of `datafirst start` and `datafirst worker`, declared once. config.ts reads flags
// and the environment with it, options-help.ts prints `--help` from it, and options-markdown.ts
// writes the README's table from it (a test keeps the README in step).
import { LIMITS } from '@datafirst/protocol';
import { MIN_SECRET_KEY_LENGTH } from '@datafirst/store';
import {
  atLeastCharacters,
  filePath,
  hoursAsMs,
  httpUrl,
  matching,
  number,
  onOff,
  oneOf,
  postgresUrl,
  proxyHops,
  text,
  wholeNumber,
  type Parse,
} from './option-values.js';

/**
 * How an option is given on the command line. A secret has no flag: flags show in `ps`. The
 * secrets that had one keep it for a while, `deprecated` (works, with a warning) while a test or
 * script still uses it, else `retired` (refused with an error naming the variable).
 */
export type Flag =
  | { kind: 'value'; arg: string }
  | { kind: 'switch'; name: string; sets: string }
  | { kind: 'none' }
  | { kind: 'deprecated'; arg: string }
  | { kind: 'retired' };

/** One option: where it comes from, what it may be, and what it means. */
export interface Option<T> {
  /** Kebab-case name: `--<name>` is its flag (unless a switch names another), errors say "<name>". */
  name: string;
  /** The environment variable; every option has one, and a flag wins over it. */
  env: string;
  flag: Flag;
  /** Used when neither flag nor variable is given (or given empty), as a user would type it. */
  default?: string;
  /** How the docs describe a default that is not one fixed text, e.g. "generated and printed". */
  defaultText?: string;
  parse: Parse<T>;
  /** What it does, for `--help` and the README; `code` in backticks. */
  help: string;
  /** Never a flag, never echoed back in an error. */
  secret: boolean;
}

/**
 * The shortest admin token accepted. The sign-in limit only slows a guesser down and makes them
 * visible; the token's length is what makes guessing hopeless. A generated token has 32.
 */
export const MIN_ADMIN_TOKEN_LENGTH = 24;

/** Where Snapchat's Conversions API lives, unless demo mode sends to the built-in mock. */
export const SNAPCHAT_API = 'https://tr.snapchat.com';

const value = (arg: string): Flag => ({ kind: 'value', arg });

export const OPTIONS = {
  port: {
    name: 'port',
    env: 'PORT',
    flag: value('<n>'),
    default: '8080',
    parse: wholeNumber(0, 65535),
    help: 'port of the public listener (ingest, the tag, smart links, postbacks, `/healthz`); `0` takes any free port',
    secret: false,
  },
  host: {
    name: 'host',
    env: 'HOST',
    flag: value('<addr>'),
    default: '0.0.0.0',
    parse: text,
    help: 'address the public listener binds',
    secret: false,
  },
  adminPort: {
    name: 'admin-port',
    env: 'DATAFIRST_ADMIN_PORT',
    flag: value('<n>'),
    default: '8081',
    parse: wholeNumber(0, 65535),
    help:
      "port of the admin listener (admin API and UI, `/metrics`, the demo mock): never on the shop's origin, " +
      'so no script on its pages can reach it; `0` takes any free port',
    secret: false,
  },
  metricsPort: {
    name: 'metrics-port',
    env: 'DATAFIRST_METRICS_PORT',
    flag: value('<n>'),
    defaultText: 'none: the worker listens nowhere',
    parse: wholeNumber(0, 65535),
    help:
      '`datafirst worker` only: serves its `/metrics` (the delivery counters live in the process that sends), ' +
      '`/healthz` and `/readyz` on this port, on `DATAFIRST_ADMIN_HOST`',
    secret: false,
  },
  adminHost: {
    name: 'admin-host',
    env: 'DATAFIRST_ADMIN_HOST',
    flag: value('<addr>'),
    default: '127.0.0.1',
    parse: text,
    help: 'address the admin listener binds; only this machine by default',
    secret: false,
  },
  publicUrl: {
    name: 'public-url',
    env: 'DATAFIRST_PUBLIC_URL',
    flag: value('<url>'),
    defaultText: "the public listener's address",
    parse: httpUrl,
    help:
      'the URL the public listener is reached at from the Internet, path prefix included (`https://shop.example/df`); ' +
      'smart-link, postback and snippet URLs are built from it, never from request headers',
    secret: false,
  },
  headersTimeout: {
    name: 'headers-timeout',
    env: 'DATAFIRST_HEADERS_TIMEOUT_MS',
    flag: value('<ms>'),
    default: '10000',
    parse: wholeNumber(100),
    help: "how long a client may take to send a request's headers, in milliseconds, on both listeners",
    secret: false,
  },
  bodyTimeout: {
    name: 'body-timeout',
    env: 'DATAFIRST_BODY_TIMEOUT_MS',
    flag: value('<ms>'),
    default: '30000',
    parse: wholeNumber(100),
    help: 'how long a client may take to send a whole request, body included, in milliseconds; at least the headers timeout',
    secret: false,
  },
  idleTimeout: {
    name: 'idle-timeout',
    env: 'DATAFIRST_IDLE_TIMEOUT_MS',
    flag: value('<ms>'),
    default: '65000',
    parse: wholeNumber(100),
    help: "how long an idle keep-alive connection stays open, in milliseconds; longer than a load balancer's idle timeout",
    secret: false,
  },
  maxConnectionsPerAddress: {
    name: 'max-connections-per-address',
    env: 'DATAFIRST_MAX_CONNECTIONS_PER_ADDRESS',
    flag: value('<n>'),
    default: '1000',
    parse: wholeNumber(1),
    help:
      'open connections one client address may hold on the public listener; more are closed at once. ' +
      'High, because a proxy or load balancer in front shows as one address',
    secret: false,
  },
  db: {
    name: 'db',
    env: 'DATAFIRST_DB',
    flag: value('<file>'),
    default: './data/datafirst.db',
    parse: filePath,
    help: 'SQLite database file (unless `DATAFIRST_DATABASE_URL` selects PostgreSQL)',
    secret: false,
  },
  databaseUrl: {
    name: 'database-url',
    env: 'DATAFIRST_DATABASE_URL',
    flag: value('<url>'),
    defaultText: 'none: SQLite at `DATAFIRST_DB`',
    parse: postgresUrl,
    help:
      'PostgreSQL instead of SQLite (`postgres://user:password@host:5432/datafirst`), for every command: several ' +
      'collectors and workers on several machines share it. Give a password through the variable (a flag shows in `ps`); ' +
      'startup lines mask it. Deleted rows leave the tables at (auto)vacuum, which is yours to run',
    secret: false,
  },
  databasePoolSize: {
    name: 'database-pool-size',
    env: 'DATAFIRST_DATABASE_POOL_SIZE',
    flag: value('<n>'),
    default: '10',
    parse: wholeNumber(1),
    help:
      'most PostgreSQL connections one process keeps (with `DATAFIRST_DATABASE_URL`); a worker opens one more, to ' +
      "hear of queued work. Every collector and worker counts against the server's `max_connections`",
    secret: false,
  },
  durability: {
    name: 'durability',
    env: 'DATAFIRST_DURABILITY',
    flag: value('<mode>'),
    default: 'normal',
    parse: oneOf('normal', 'full'),
    help:
      '`normal`: an acknowledged event survives a crash of the process (SQLite WAL, `synchronous=NORMAL`). ' +
      '`full`: it also survives power loss or an OS crash (fsync on every commit), at some throughput cost. ' +
      'On PostgreSQL, `normal` commits with `synchronous_commit=off` and `full` waits for the WAL flush',
    secret: false,
  },
  adminToken: {
    name: 'admin-token',
    env: 'DATAFIRST_ADMIN_TOKEN',
    flag: { kind: 'retired' },
    defaultText: 'generated and printed',
    parse: atLeastCharacters(MIN_ADMIN_TOKEN_LENGTH, 'try: openssl rand -base64 32'),
    help: `Bearer token of the admin API; signs in to the admin UI; at least ${MIN_ADMIN_TOKEN_LENGTH} characters`,
    secret: true,
  },
  secretKey: {
    name: 'secret-key',
    env: 'DATAFIRST_SECRET_KEY',
    flag: { kind: 'none' },
    parse: atLeastCharacters(MIN_SECRET_KEY_LENGTH, 'try: openssl rand -base64 32'),
    help:
      'encrypts access tokens and write keys at rest (AES-256-GCM), those already stored included; ' +
      `at least ${MIN_SECRET_KEY_LENGTH} characters (\`openssl rand -base64 32\`). ` +
      "Keep it: without it the database's secrets cannot be read",
    secret: true,
  },
  snapchatUrl: {
    name: 'snapchat-url',
    env: 'SNAPCHAT_API_URL',
    flag: value('<url>'),
    defaultText: `\`${SNAPCHAT_API}\`; the built-in mock in demo mode`,
    parse: httpUrl,
    help: "Snapchat's API host; tests point it at the mock",
    secret: false,
  },
  pixelId: {
    name: 'pixel-id',
    env: 'SNAP_PIXEL_ID',
    flag: value('<id>'),
    // Checked at start as the admin API checks it: a placeholder such as `your-pixel-id` fails here, not at the first send.
    parse: matching(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu,
      'a Snapchat Pixel ID: a UUID like 6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a (Ads Manager → Events Manager)',
    ),
    help: 'with `SNAP_ACCESS_TOKEN`, bootstraps a default source and Snapchat integration; without both, demo mode',
    secret: false,
  },
  accessToken: {
    name: 'access-token',
    env: 'SNAP_ACCESS_TOKEN',
    flag: { kind: 'retired' },
    parse: text,
    help: "the Conversions API token of `SNAP_PIXEL_ID`'s pixel",
    secret: true,
  },
  writeKey: {
    name: 'write-key',
    env: 'DATAFIRST_WRITE_KEY',
    flag: { kind: 'retired' },
    defaultText: 'generated and printed',
    parse: text,
    help: "the bootstrapped source's write key",
    secret: true,
  },
  tagPath: {
    name: 'tag-path',
    env: 'DATAFIRST_TAG_PATH',
    flag: value('<path>'),
    default: '/_df.js',
    parse: matching(/^\/[\w\-./]+\.js$/, 'like /assets/app.js'),
    help: 'where the browser tag is served; pick a neutral name, as blockers match words like "track"',
    secret: false,
  },
  worker: {
    name: 'worker',
    env: 'DATAFIRST_WORKER',
    flag: { kind: 'switch', name: 'no-worker', sets: '0' },
    default: '1',
    parse: onOff,
    help: '`0` runs the collector without the delivery worker',
    secret: false,
  },
  consentDefault: {
    name: 'consent-default',
    env: 'DATAFIRST_CONSENT_DEFAULT',
    flag: value('<c>'),
    default: 'granted',
    parse: oneOf('granted', 'denied'),
    help: 'advertising consent assumed for events that carry none',
    secret: false,
  },
  honorGpc: {
    name: 'honor-gpc',
    env: 'DATAFIRST_HONOR_GPC',
    flag: { kind: 'switch', name: 'ignore-gpc', sets: '0' },
    default: '1',
    parse: onOff,
    help: '`0` stops treating Global Privacy Control (`Sec-GPC: 1`) as an advertising opt-out',
    secret: false,
  },
  trustProxy: {
    name: 'trust-proxy',
    env: 'DATAFIRST_TRUST_PROXY',
    flag: value('<n>'),
    default: '0',
    parse: proxyHops,
    help:
      'proxy hops to trust for the client IP and scheme (`X-Forwarded-For`, `X-Forwarded-Proto`); `true` trusts all. ' +
      'The default trusts none: a collector that listens directly must not believe a forged header. ' +
      'Behind one reverse proxy, set `1`',
    secret: false,
  },
  retentionDays: {
    name: 'retention-days',
    env: 'DATAFIRST_RETENTION_DAYS',
    flag: value('<n>'),
    default: '30',
    parse: number(1),
    help:
      'raw events, profiles, who clicked a smart link and the cells quoted in sync errors are deleted after this many days, ' +
      'by the worker; delivery outcomes stay as daily counts. Longer than the retry window',
    secret: false,
  },
  attributionDays: {
    name: 'attribution-days',
    env: 'DATAFIRST_ATTRIBUTION_DAYS',
    flag: value('<n>'),
    default: '28',
    parse: number(1),
    help: "how long the `_scclid` cookie the collector sets keeps a Snapchat click; set it to the tag's `data-attribution-days`",
    secret: false,
  },
  cookieDomain: {
    name: 'cookie-domain',
    env: 'DATAFIRST_COOKIE_DOMAIN',
    flag: value('<d>'),
    defaultText: 'host-only',
    // It goes into a Set-Cookie header as is: a host name, nothing that could add an attribute.
    parse: matching(/^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/i, 'a host name such as shop.example'),
    help:
      'the `Domain` of the cookies the collector sets, e.g. `shop.example`; ' +
      "set it to the tag's `data-cookie-domain`, or the browser keeps two cookies of each name",
    secret: false,
  },
  maxBatchBytes: {
    name: 'max-batch-bytes',
    env: 'DATAFIRST_MAX_BATCH_BYTES',
    flag: value('<n>'),
    default: String(LIMITS.maxBodyBytes),
    parse: wholeNumber(1024),
    help:
      'largest ingest request body, in bytes, measured after decompression (`413` above it); ' +
      'generous because clients such as analytics-node measure their batches in characters',
    secret: false,
  },
  maxMessageBytes: {
    name: 'max-message-bytes',
    env: 'DATAFIRST_MAX_MESSAGE_BYTES',
    flag: value('<n>'),
    default: String(LIMITS.maxMessageBytes),
    parse: wholeNumber(256),
    help: 'largest single message, serialised, in bytes; a larger one is listed as rejected in the answer',
    secret: false,
  },
  maxJsonDepth: {
    name: 'max-json-depth',
    env: 'DATAFIRST_MAX_JSON_DEPTH',
    flag: value('<n>'),
    default: String(LIMITS.maxJsonDepth),
    parse: wholeNumber(4, 1000),
    help: 'deepest nesting of objects and arrays in one message, the message being level 1; a deeper request gets `400`',
    secret: false,
  },
  requestTimeout: {
    name: 'request-timeout',
    env: 'SNAPCHAT_TIMEOUT_MS',
    flag: value('<ms>'),
    default: '30000',
    parse: number(100),
    help: 'deadline of one request to Snapchat, in milliseconds',
    secret: false,
  },
  lease: {
    name: 'lease',
    env: 'DATAFIRST_LEASE_MS',
    flag: value('<ms>'),
    defaultText: 'twice the request timeout',
    parse: number(0),
    help:
      "how long a worker owns the deliveries it is sending and its integrations' lanes, in milliseconds; a crashed " +
      "worker's deliveries are sent again after it, and its lanes taken over. More than the request timeout",
    secret: false,
  },
  retryWindow: {
    name: 'retry-window',
    env: 'DATAFIRST_RETRY_WINDOW_HOURS',
    flag: value('<h>'),
    default: '24',
    parse: hoursAsMs,
    help: 'how long a failing delivery is retried before it is dead-lettered, in hours',
    secret: false,
  },
  batchWait: {
    name: 'batch-wait',
    env: 'DATAFIRST_BATCH_WAIT_MS',
    flag: value('<ms>'),
    default: '100',
    parse: number(0),
    help: 'how long events gather into a batch that is not full, in milliseconds',
    secret: false,
  },
  maxInFlight: {
    name: 'max-in-flight',
    env: 'DATAFIRST_MAX_IN_FLIGHT',
    flag: value('<n>'),
    default: '2',
    parse: wholeNumber(1),
    help: 'requests in flight at once per integration',
    secret: false,
  },
  logLevel: {
    name: 'log-level',
    env: 'LOG_LEVEL',
    flag: value('<level>'),
    default: 'info',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    help: 'pino log level; secrets are never logged',
    secret: false,
  },
} satisfies Record<string, Option<unknown>>;

/** The options in the order `--help` and the README list them. */
export const OPTION_LIST: readonly Option<unknown>[] = Object.values(OPTIONS);

/** The flag an option is given with on the command line, e.g. `--no-worker`; none for a secret without one. */
export function flagName(option: Option<unknown>): string | undefined {
  if (option.flag.kind === 'none') return undefined;
  return `--${option.flag.kind === 'switch' ? option.flag.name : option.name}`;
}
