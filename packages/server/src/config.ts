import { randomBytes } from 'node:crypto';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InvalidValue } from './option-values.js';
import { flagName, OPTION_LIST, OPTIONS, SNAPCHAT_API, type Option } from './options.js';

/** Everything `datafirst start` needs, parsed once at start from flags and the environment. */
export interface Config {
  /** The public listener: ingest, the tag, smart links, postbacks, `/healthz` (and the demo shop). */
  port: number;
  host: string;
  /** The admin listener: admin API and UI, `/metrics` (and the demo's Snapchat mock). */
  adminPort: number;
  adminHost: string;
  /** A worker on its own serves its `/metrics` and `/healthz` on this port; unset, it listens nowhere. */
  metricsPort?: number;
  /** Where the public listener is reached from outside; unset, its own address. */
  publicUrl?: string;
  /** How long a request's headers, and the whole request, may take to arrive; how long an idle connection stays. */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  idleTimeoutMs: number;
  /** Open connections one client address may hold on the public listener. */
  maxConnectionsPerAddress: number;
  /** SQLite database file. */
  dbPath: string;
  /** PostgreSQL instead of SQLite, when set; it may hold a password: never logged as it is. */
  databaseUrl?: string;
  /** Most connections of the PostgreSQL pool. */
  databasePoolSize: number;
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
  /** Raw events are deleted this many days after they arrived (delivery outcomes stay as daily counts). */
  retentionDays: number;
  /** How long the `_scclid` cookie keeps a Snapchat click, in days: the tag's `data-attribution-days`. */
  attributionDays: number;
  /** `Domain` of the identity cookies: the tag's `data-cookie-domain`. Unset, they are host-only. */
  cookieDomain?: string;
  /** Largest ingest request body, in bytes, after decompression. */
  maxBatchBytes: number;
  /** Largest single message, serialised, in bytes. */
  maxMessageBytes: number;
  /** Deepest nesting of objects and arrays in one ingested message. */
  maxJsonDepth: number;
  /** Deadline of one request to Snapchat. */
  requestTimeoutMs: number;
  /** How long a worker owns what it leased; always longer than a request may take. */
  leaseMs: number;
  /** How long a failing delivery is retried before it is dead-lettered. */
  retryWindowMs: number;
  /** How long events gather into a batch that is not full. */
  batchWaitMs: number;
  /** Requests in flight at once per integration. */
  maxInFlight: number;
  logLevel: string;
}

/** A Config, and what the user should hear about how it was given (e.g. a secret as a flag). */
export interface ParsedConfig {
  config: Config;
  warnings: string[];
}

/** Reads flags (which win) and environment variables into a Config. Throws on invalid values. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ParsedConfig {
  const flags = parseFlags(argv);
  const warnings = secretFlagWarnings(flags);
  const read = optionReader(flags, env);

  const requestTimeoutMs = read(OPTIONS.requestTimeout);
  const leaseMs = read(OPTIONS.lease) ?? 2 * requestTimeoutMs;
  // A lease shorter than a request would let a second worker resend an event still in flight.
  if (leaseMs <= requestTimeoutMs) {
    throw new Error(`invalid lease: ${leaseMs} ms must exceed the request timeout (${requestTimeoutMs} ms)`);
  }
  const snapPixelId = read(OPTIONS.pixelId);
  const snapAccessToken = read(OPTIONS.accessToken);
  if ((snapPixelId === undefined) !== (snapAccessToken === undefined)) {
    throw new Error(`${OPTIONS.pixelId.env} and ${OPTIONS.accessToken.env} go together: give both or neither`);
  }
  const demo = snapPixelId === undefined;
  const retryWindowMs = read(OPTIONS.retryWindow);
  const retentionDays = read(OPTIONS.retentionDays);
  // An event deleted while it is still retried would be lost; one deleted inside the dedup window
  // (every stored event) could be stored again: the retry window must end well inside retention.
  if (retentionDays * 24 * 60 * 60 * 1000 <= retryWindowMs) {
    throw new Error(
      `invalid retention days: ${retentionDays} days must exceed the retry window (${retryWindowMs / 3_600_000} hours)`,
    );
  }
  const givenAdminToken = read(OPTIONS.adminToken);
  const headersTimeoutMs = read(OPTIONS.headersTimeout);
  const bodyTimeoutMs = read(OPTIONS.bodyTimeout);
  // Node refuses a request timeout shorter than the headers timeout: say so in our words.
  if (bodyTimeoutMs < headersTimeoutMs) {
    throw new Error(`invalid body timeout: ${bodyTimeoutMs} ms must be at least the headers timeout (${headersTimeoutMs} ms)`);
  }

  const port = read(OPTIONS.port);
  const adminPort = read(OPTIONS.adminPort);
  // One port cannot keep the admin off the public origin (0 takes a free port for each).
  if (port !== 0 && port === adminPort) {
    throw new Error(`invalid admin port: ${adminPort} is the public port too; the admin listener needs its own`);
  }

  const config: Config = {
    port,
    host: read(OPTIONS.host),
    adminPort,
    adminHost: read(OPTIONS.adminHost),
    metricsPort: read(OPTIONS.metricsPort),
    publicUrl: read(OPTIONS.publicUrl),
    headersTimeoutMs,
    bodyTimeoutMs,
    idleTimeoutMs: read(OPTIONS.idleTimeout),
    maxConnectionsPerAddress: read(OPTIONS.maxConnectionsPerAddress),
    dbPath: read(OPTIONS.db),
    databaseUrl: read(OPTIONS.databaseUrl),
    databasePoolSize: read(OPTIONS.databasePoolSize),
    durability: read(OPTIONS.durability),
    adminToken: givenAdminToken ?? randomBytes(24).toString('base64url'),
    adminTokenGenerated: givenAdminToken === undefined,
    secretKey: read(OPTIONS.secretKey),
    // Empty in demo mode: the server then points the worker at its built-in mock.
    snapchatApiUrl: read(OPTIONS.snapchatUrl) ?? (demo ? '' : SNAPCHAT_API),
    snapPixelId,
    snapAccessToken,
    writeKey: read(OPTIONS.writeKey),
    demo,
    tagPath: read(OPTIONS.tagPath),
    worker: read(OPTIONS.worker),
    consentDefault: read(OPTIONS.consentDefault),
    honorGpc: read(OPTIONS.honorGpc),
    trustProxy: read(OPTIONS.trustProxy),
    retentionDays,
    attributionDays: read(OPTIONS.attributionDays),
    cookieDomain: read(OPTIONS.cookieDomain),
    maxBatchBytes: read(OPTIONS.maxBatchBytes),
    maxMessageBytes: read(OPTIONS.maxMessageBytes),
    maxJsonDepth: read(OPTIONS.maxJsonDepth),
    requestTimeoutMs,
    leaseMs,
    retryWindowMs,
    batchWaitMs: read(OPTIONS.batchWait),
    maxInFlight: read(OPTIONS.maxInFlight),
    logLevel: read(OPTIONS.logLevel),
  };
  return { config, warnings };
}

/** parseConfig, printing its warnings to stderr: what the CLI and embedders call. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const { config, warnings } = parseConfig(argv, env);
  for (const warning of warnings) console.warn(`datafirst: warning: ${warning}`);
  return config;
}

/** The flags given, by name without `--`: text for a value flag, true for a switch. */
type GivenFlags = Record<string, string | boolean | undefined>;

/** Parses argv with a parseArgs option for every flag in the table (retired ones too, to refuse them clearly). */
function parseFlags(argv: string[]): GivenFlags {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const option of OPTION_LIST) {
    const flag = flagName(option);
    if (flag !== undefined) options[flag.slice(2)] = { type: option.flag.kind === 'switch' ? 'boolean' : 'string' };
  }
  // No option is `multiple`, so no value is an array.
  return parseArgs({ args: argv, options, strict: true }).values as GivenFlags;
}

/** Warns about a deprecated secret flag; throws on a retired one. Either way, says which variable to set. */
function secretFlagWarnings(flags: GivenFlags): string[] {
  const warnings: string[] = [];
  for (const option of OPTION_LIST) {
    const flag = flagName(option);
    if (flag === undefined || flags[flag.slice(2)] === undefined) continue;
    if (option.flag.kind === 'retired') {
      throw new Error(`${flag} is not accepted: a flag shows its secret in the process list (ps); set ${option.env} instead`);
    }
    if (option.flag.kind === 'deprecated') {
      warnings.push(`${flag} shows its secret in the process list (ps) and will stop working; set ${option.env} instead`);
    }
  }
  return warnings;
}

/** Reads one option: with a default it always has a value, without one it may be undefined. */
interface ReadOption {
  <T>(option: Option<T> & { default: string }): T;
  <T>(option: Option<T>): T | undefined;
}

/** Reads an option from its flag, else its variable, else its default; empty text counts as not given. */
function optionReader(flags: GivenFlags, env: NodeJS.ProcessEnv): ReadOption {
  return <T>(option: Option<T>): T | undefined => {
    const given = givenText(option, flags, env);
    if (given === undefined || given.text === '') return option.default === undefined ? undefined : option.parse(option.default);
    try {
      return option.parse(given.text);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      // A secret is not repeated back: error messages end up in logs.
      if (option.secret) throw new Error(`${given.from} must be ${error.expects}`);
      throw new Error(`invalid ${option.name.replaceAll('-', ' ')}: ${given.text} (${error.expects}), from ${given.from}`);
    }
  };
}

/** The text given for an option and where it came from (`--flag` or `VARIABLE`), if either was given. */
function givenText(
  option: Option<unknown>,
  flags: GivenFlags,
  env: NodeJS.ProcessEnv,
): { text: string; from: string } | undefined {
  const flag = flagName(option);
  const fromFlag = flag === undefined ? undefined : flags[flag.slice(2)];
  if (flag !== undefined && fromFlag !== undefined) {
    return { text: option.flag.kind === 'switch' ? option.flag.sets : String(fromFlag), from: flag };
  }
  const fromEnv = env[option.env];
  return fromEnv === undefined ? undefined : { text: fromEnv, from: option.env };
}
