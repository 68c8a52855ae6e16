import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MIN_SECRET_KEY_LENGTH } from '@datafirst/store';

/** Everything `datafirst start` needs, parsed once at start from flags and the environment. */
export interface Config {
  port: number;
  host: string;
  /** SQLite database file. */
  dbPath: string;
  /** `full` also survives power loss (fsync per commit); `normal` survives a process crash. */
  durability: 'normal' | 'full';
  adminToken: string;
  /** True when Datafirst generated the admin token (then, and only then, it is printed). */
  adminTokenGenerated: boolean;
  /** Encrypts access tokens and write keys at rest; from the environment only (never a flag). */
  secretKey?: string;
  /** Snapchat's API host; tests and demo mode point it at the mock. */
  snapchatApiUrl: string;
  /** Pixel and token to bootstrap a default source and integration with. */
  snapPixelId?: string;
  snapAccessToken?: string;
  /** The bootstrapped source's write key; generated and printed when unset. */
  writeKey?: string;
  /** No Snapchat credentials given: serve the demo shop and deliver to the built-in mock. */
  demo: boolean;
  /** Path the tag is served at; configurable because blockers match words like "track". */
  tagPath: string;
  /** Run the delivery worker in this process. */
  worker: boolean;
  /** Advertising consent assumed for messages that carry none. */
  consentDefault: 'granted' | 'denied';
  /** Treat Global Privacy Control (`Sec-GPC: 1`) as an advertising opt-out. */
  honorGpc: boolean;
  /** Number of proxy hops to trust for the client IP (X-Forwarded-For). */
  trustProxy: number | boolean;
  /** How long the `_scclid` cookie keeps a Snapchat click, in days: the tag's `data-attribution-days`. */
  attributionDays: number;
  /** `Domain` of the identity cookies: the tag's `data-cookie-domain`. Unset, they are host-only. */
  cookieDomain?: string;
  /** Deadline of one request to Snapchat. */
  requestTimeoutMs: number;
  /** How long a worker owns what it leased; always longer than a request may take. */
  leaseMs: number;
  /** How long a failing delivery is retried before it is dead-lettered. */
  retryWindowMs: number;
  /** How long events may gather into a batch that is not full. */
  batchWaitMs: number;
  /** Requests in flight at once per integration. */
  maxInFlight: number;
  logLevel: string;
}

export const HELP = `Usage: datafirst start [options]

Runs the Datafirst collector and delivery worker in one process.

Options (each also read from the environment variable shown):
  --port <n>             PORT                   port to listen on (default 8080)
  --host <addr>          HOST                   address to bind (default 0.0.0.0)
  --db <file>            DATAFIRST_DB           SQLite database file (default ./data/datafirst.db)
  --durability <mode>    DATAFIRST_DURABILITY   normal: an acknowledged event survives a crash of the
                                                process (default); full: it also survives power loss
  --admin-token <t>      DATAFIRST_ADMIN_TOKEN  Bearer token for the admin API and UI (generated and
                                                printed when unset)
                         DATAFIRST_SECRET_KEY   encrypt access tokens and write keys at rest (at least
                                                32 characters; environment only, so it never shows
                                                in a process list)
  --snapchat-url <url>   SNAPCHAT_API_URL       Snapchat API host (default https://tr.snapchat.com;
                                                the built-in mock in demo mode)
  --pixel-id <id>        SNAP_PIXEL_ID          bootstrap a default source and Snapchat integration
  --access-token <t>     SNAP_ACCESS_TOKEN        with this pixel and Conversions API token
  --write-key <k>        DATAFIRST_WRITE_KEY    the bootstrapped source's write key (generated and
                                                printed when unset)
  --tag-path <path>      DATAFIRST_TAG_PATH     where the browser tag is served (default /_df.js)
  --no-worker            DATAFIRST_WORKER=0     do not deliver from this process
  --consent-default <c>  DATAFIRST_CONSENT_DEFAULT  granted (default) or denied: advertising consent
                                                for events that carry none
  --ignore-gpc           DATAFIRST_HONOR_GPC=0  do not treat Global Privacy Control as an opt-out
  --trust-proxy <n>      DATAFIRST_TRUST_PROXY  proxy hops to trust for the client IP (default 1)
  --attribution-days <n> DATAFIRST_ATTRIBUTION_DAYS  how long the _scclid cookie keeps a Snapchat
                                                click (default 28); the same as the tag's
                                                data-attribution-days
  --cookie-domain <d>    DATAFIRST_COOKIE_DOMAIN  Domain of the identity cookies, e.g. shop.example
                                                (default: host-only); the same as the tag's
                                                data-cookie-domain
  --request-timeout <ms> SNAPCHAT_TIMEOUT_MS    deadline of a request to Snapchat (default 30000)
  --lease <ms>           DATAFIRST_LEASE_MS     how long a worker owns what it is sending (default:
                                                twice the request timeout); a crashed worker's
                                                deliveries are sent again after it
  --retry-window <h>     DATAFIRST_RETRY_WINDOW_HOURS  retry a failing delivery this long before
                                                dead-lettering it (default 24)
  --batch-wait <ms>      DATAFIRST_BATCH_WAIT_MS  let events gather this long into a batch (default 100)
  --max-in-flight <n>    DATAFIRST_MAX_IN_FLIGHT  requests in flight per integration (default 2)
  --log-level <level>    LOG_LEVEL              pino level (default info)
  -h, --help                                    show this help

\`datafirst worker\` takes the same options and runs only the delivery worker: start several on one
database to deliver faster; leases keep them from sending the same event twice at once.

With no Snapchat credentials Datafirst runs in demo mode: the demo shop at /, and deliveries go to
the built-in Snapchat mock at /snapchat-mock, so the whole flow runs on one machine.
`;

/** Reads flags (which win) and environment variables into a Config. Throws on invalid values. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      durability: { type: 'string' },
      'admin-token': { type: 'string' },
      'snapchat-url': { type: 'string' },
      'pixel-id': { type: 'string' },
      'access-token': { type: 'string' },
      'write-key': { type: 'string' },
      'tag-path': { type: 'string' },
      'no-worker': { type: 'boolean' },
      'consent-default': { type: 'string' },
      'ignore-gpc': { type: 'boolean' },
      'trust-proxy': { type: 'string' },
      'attribution-days': { type: 'string' },
      'cookie-domain': { type: 'string' },
      'log-level': { type: 'string' },
      'request-timeout': { type: 'string' },
      lease: { type: 'string' },
      'retry-window': { type: 'string' },
      'batch-wait': { type: 'string' },
      'max-in-flight': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });

  const port = Number(values.port ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port ?? env.PORT}`);
  const durability = values.durability ?? env.DATAFIRST_DURABILITY ?? 'normal';
  if (durability !== 'normal' && durability !== 'full') throw new Error(`invalid durability: ${durability} (normal or full)`);
  const consentDefault = values['consent-default'] ?? env.DATAFIRST_CONSENT_DEFAULT ?? 'granted';
  if (consentDefault !== 'granted' && consentDefault !== 'denied') {
    throw new Error(`invalid consent default: ${consentDefault} (granted or denied)`);
  }
  const tagPath = values['tag-path'] ?? env.DATAFIRST_TAG_PATH ?? '/_df.js';
  if (!/^\/[\w\-./]+\.js$/.test(tagPath)) throw new Error(`invalid tag path: ${tagPath} (like /assets/app.js)`);
  const trustProxyRaw = values['trust-proxy'] ?? env.DATAFIRST_TRUST_PROXY ?? '1';
  const trustProxy = trustProxyRaw === 'true' ? true : trustProxyRaw === 'false' ? false : Number(trustProxyRaw);
  if (typeof trustProxy === 'number' && !(Number.isInteger(trustProxy) && trustProxy >= 0)) {
    throw new Error(`invalid trust proxy: ${trustProxyRaw}`);
  }

  const number = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`invalid ${name}: ${raw} (a number of at least ${min})`);
    return value;
  };
  const attributionDays = number('attribution days', values['attribution-days'] ?? env.DATAFIRST_ATTRIBUTION_DAYS, 28, 1);
  const cookieDomain = values['cookie-domain'] ?? env.DATAFIRST_COOKIE_DOMAIN ?? '';
  // It goes into a Set-Cookie header as is: a host name, nothing that could add an attribute.
  if (cookieDomain && !/^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(cookieDomain)) {
    throw new Error(`invalid cookie domain: ${cookieDomain} (a host name such as shop.example)`);
  }
  const requestTimeoutMs = number('request timeout', values['request-timeout'] ?? env.SNAPCHAT_TIMEOUT_MS, 30_000, 100);
  const leaseMs = number('lease', values.lease ?? env.DATAFIRST_LEASE_MS, 2 * requestTimeoutMs, 0);
  // A lease shorter than a request would let a second worker resend an event still in flight.
  if (leaseMs <= requestTimeoutMs)
    throw new Error(`invalid lease: ${leaseMs} ms must exceed the request timeout (${requestTimeoutMs} ms)`);

  const givenToken = values['admin-token'] ?? env.DATAFIRST_ADMIN_TOKEN;
  const secretKey = env.DATAFIRST_SECRET_KEY || undefined;
  if (secretKey !== undefined && secretKey.length < MIN_SECRET_KEY_LENGTH) {
    throw new Error(`DATAFIRST_SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters (try: openssl rand -base64 32)`);
  }
  const snapPixelId = values['pixel-id'] ?? env.SNAP_PIXEL_ID;
  const snapAccessToken = values['access-token'] ?? env.SNAP_ACCESS_TOKEN;
  if (Boolean(snapPixelId) !== Boolean(snapAccessToken)) {
    throw new Error('SNAP_PIXEL_ID and SNAP_ACCESS_TOKEN go together: give both or neither');
  }
  const demo = !snapPixelId;
  const flag = (name: string) => env[name] !== undefined && ['0', 'false', 'no'].includes(env[name].toLowerCase());

  return {
    port,
    host: values.host ?? env.HOST ?? '0.0.0.0',
    dbPath: resolve(values.db ?? env.DATAFIRST_DB ?? 'data/datafirst.db'),
    durability,
    adminToken: givenToken || randomBytes(24).toString('base64url'),
    adminTokenGenerated: !givenToken,
    secretKey,
    snapchatApiUrl: (values['snapchat-url'] ?? env.SNAPCHAT_API_URL ?? (demo ? '' : 'https://tr.snapchat.com')).replace(
      /\/$/,
      '',
    ),
    snapPixelId,
    snapAccessToken,
    writeKey: values['write-key'] ?? env.DATAFIRST_WRITE_KEY,
    demo,
    tagPath,
    worker: !(values['no-worker'] || flag('DATAFIRST_WORKER')),
    consentDefault,
    honorGpc: !(values['ignore-gpc'] || flag('DATAFIRST_HONOR_GPC')),
    trustProxy,
    attributionDays,
    cookieDomain: cookieDomain || undefined,
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
    requestTimeoutMs,
    leaseMs,
    retryWindowMs: number('retry window', values['retry-window'] ?? env.DATAFIRST_RETRY_WINDOW_HOURS, 24, 0) * 60 * 60 * 1000,
    batchWaitMs: number('batch wait', values['batch-wait'] ?? env.DATAFIRST_BATCH_WAIT_MS, 100, 0),
    maxInFlight: Math.floor(number('max in flight', values['max-in-flight'] ?? env.DATAFIRST_MAX_IN_FLIGHT, 2, 1)),
  };
}

/** True when the arguments ask for help. */
export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
