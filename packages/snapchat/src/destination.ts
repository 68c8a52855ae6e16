import type { EnrichedMessage } from '@datafirst/protocol';
import type { BuildRefusalStatus, ConfigField, Destination, Purchase, ReasonCode, SendReport } from '@datafirst/destination';
import { ACTION_SOURCES, assetIdFor, resolveActionSource, toActionSource } from './action-source.js';
import { MAX_EVENT_AGE_MS, toSnapEvent, type SkipReason } from './build-event.js';
import { withSnapchatIds } from './click-id.js';
import type { SendResult, SnapchatClient } from './client.js';
import { validateSnapchatConfig } from './config-validation.js';
import type { SnapchatConfig } from './config.js';
import { DEFAULT_EVENT_MAP, SNAP_EVENT_NAMES } from './event-names.js';
import { MAPPABLE_FIELDS } from './field-map.js';
import { SNAP_IDENTIFIERS, snapIdentifiersOf } from './identifiers.js';
import { PAGE_EVENT_KEY, SCREEN_EVENT_KEY } from './map-event.js';
import { MAX_EVENTS_PER_REQUEST } from './request.js';
import { toV2Event } from './v2.js';
import type { SnapV3Event } from './v3-event.js';

/** Snap's SDKs advise at most 1000 requests a second per client; more only earns refusals. */
export const MAX_RATE_LIMIT_RPS = 1000;
const MAX_RATE_LIMIT_BURST = 10_000;
// Requests a second: Datafirst's default for Snapchat (docs/snapchat-capi.md §1.3), and the burst a token bucket allows.
const DEFAULT_RATE = 50;
const DEFAULT_BURST = 100;

/** The settings of a Snapchat integration, in the order the admin form shows them. */
export const SNAPCHAT_FIELDS: readonly ConfigField[] = [
  {
    key: 'pixel_id',
    label: 'Pixel ID',
    type: 'string',
    required: true,
    secret: false,
    credential: true,
    help: 'Ads Manager → Events Manager: a UUID.',
    placeholder: '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a',
  },
  {
    key: 'access_token',
    label: 'Access token',
    type: 'string',
    required: true,
    secret: true,
    credential: true,
    help: 'A Conversions API token (Business Details → Conversions API Tokens). Write-only: it is never shown again.',
  },
  {
    key: 'snap_app_id',
    label: 'Snap App ID',
    type: 'string',
    required: false,
    secret: false,
    credential: true,
    help: 'For app events (action source MOBILE_APP).',
  },
  {
    key: 'app_id',
    label: 'App store ID',
    type: 'string',
    required: false,
    secret: false,
    credential: false,
    help: 'Your app’s store id, sent with app events.',
    placeholder: 'com.example.app or 123456789',
  },
  {
    key: 'api_version',
    label: 'API version',
    type: 'select',
    required: false,
    secret: false,
    credential: false,
    help: '',
    options: [
      { value: 'v3', label: 'v3 (recommended)' },
      { value: 'v2', label: 'v2 (deprecated by Snap)' },
    ],
    default: 'v3',
  },
  {
    key: 'action_source',
    label: 'Action source',
    type: 'select',
    required: false,
    secret: false,
    credential: false,
    help: 'Where events happen, unless an event says otherwise.',
    options: ACTION_SOURCES.map((source) => ({ value: source, label: source })),
    default: 'WEB',
  },
  {
    key: 'site_url',
    label: 'Site URL',
    type: 'string',
    required: false,
    secret: false,
    credential: false,
    help: 'Your site’s address, sent as the page of web events that come without one (from your servers). Without it such events wait, parked, until it is set.',
    placeholder: 'https://shop.example.com',
    cures: ['missing_event_source_url'],
  },
  {
    key: 'phone_default_country',
    label: 'Default phone country',
    type: 'string',
    required: false,
    secret: false,
    credential: false,
    help: 'ISO code used for phone numbers written without +country code. Without it such numbers are left out, not guessed.',
    placeholder: 'GB',
  },
  {
    key: 'limited_data_use',
    label: 'Always ask for limited data use (LDU)',
    type: 'boolean',
    required: false,
    secret: false,
    credential: false,
    help: '',
  },
  {
    key: 'ldu_country',
    label: 'LDU country code',
    type: 'integer',
    required: false,
    secret: false,
    credential: false,
    help: 'Sent with limited-data-use events: 0 (default) lets Snap geolocate the user; 1 is the US.',
    default: 0,
  },
  {
    key: 'ldu_state',
    label: 'LDU state code',
    type: 'integer',
    required: false,
    secret: false,
    credential: false,
    help: 'Sent with limited-data-use events: 0 (default) lets Snap geolocate the user; 1000 is California.',
    default: 0,
  },
  {
    key: 'rate_limit_rps',
    label: 'Requests per second',
    type: 'integer',
    required: false,
    secret: false,
    credential: false,
    help: `Default ${DEFAULT_RATE}; at most ${MAX_RATE_LIMIT_RPS}.`,
    default: DEFAULT_RATE,
    group: 'Rate limits',
  },
  {
    key: 'rate_limit_burst',
    label: 'Burst',
    type: 'integer',
    required: false,
    secret: false,
    credential: false,
    help: `Default ${DEFAULT_BURST} requests at once.`,
    default: DEFAULT_BURST,
    group: 'Rate limits',
  },
  {
    key: 'event_map',
    label: 'Event mapping',
    type: 'event_map',
    required: false,
    secret: false,
    credential: false,
    help: 'Which Snapchat event each of your events is sent as. Events not listed are stored but not sent; “Off” stops an event that is sent by default.',
  },
  {
    key: 'field_map',
    label: 'Event data',
    type: 'field_map',
    required: false,
    secret: false,
    credential: false,
    help: 'The fields each event sends beyond the defaults: take one from the event (a path such as properties.grand_total or properties.products[].sku), give it a fixed value, or never send it. Identity fields are normalised and hashed like their defaults.',
    mappable: Object.entries(MAPPABLE_FIELDS).map(([key, { kind }]) => ({
      key,
      value: kind === 'number' || kind === 'integer' ? 'number' : kind === 'texts' ? 'list' : 'text',
    })),
  },
];

// The build step's refusals as reason codes; the two "not sent on purpose" ones are skips, and an
// event only `site_url` is missing for is parked until it is set (the status is the code's outcome).
const SKIP_CODES: Record<SkipReason, { code: ReasonCode; status: BuildRefusalStatus }> = {
  unmapped: { code: 'unmapped', status: 'skipped' },
  disabled: { code: 'event_disabled', status: 'skipped' },
  insufficient_identifiers: { code: 'insufficient_identifiers', status: 'failed' },
  purchase_missing_value_or_currency: { code: 'missing_value_or_currency', status: 'failed' },
  value_out_of_range: { code: 'value_out_of_range', status: 'failed' },
  missing_event_source_url: { code: 'missing_event_source_url', status: 'blocked' },
  too_old: { code: 'too_old', status: 'failed' },
  missing_app_data: { code: 'missing_app_data', status: 'failed' },
};

/** Checks a Snapchat config: the library's validator plus the bounds a shared worker keeps to. */
function validateConfig(input: unknown) {
  const result = validateSnapchatConfig(input);
  if (!result.ok) return result;
  const errors: string[] = [];
  const { rate_limit_rps: rps, rate_limit_burst: burst } = result.config;
  if (rps !== undefined && rps > MAX_RATE_LIMIT_RPS) {
    errors.push(`rate_limit_rps: at most ${MAX_RATE_LIMIT_RPS} (Snapchat advises no more requests a second)`);
  }
  if (burst !== undefined && burst > MAX_RATE_LIMIT_BURST) errors.push(`rate_limit_burst: at most ${MAX_RATE_LIMIT_BURST}`);
  return errors.length > 0 ? { ok: false as const, errors } : result;
}

function parseAnswer(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A proxy's HTML error page can be long; the first part says what went wrong.
    return text.slice(0, 2000);
  }
}

/** One exchange as the destination contract reports it: each event as sent, in v3 or v2 shape. */
function report(sent: SendResult, config: SnapchatConfig, events: readonly SnapV3Event[]): SendReport {
  const v2 = config.api_version === 'v2';
  return {
    outcome: sent.outcome,
    status: sent.status,
    response: { status: sent.status ?? null, body: parseAnswer(sent.responseBody) },
    durationMs: sent.durationMs,
    payloads: events.map((event) => ({ url: sent.url, event: v2 ? toV2Event(event, config) : event })),
    // The same text as JSON.stringify of each payload, from the events' JSON the request was made of.
    payloadJsons: v2 ? undefined : payloadJsonsOf(sent.url, sent.eventJsons),
    // Read only by the admin API's test answer: a worker's 2,000-event batch is not parsed back.
    get request() {
      return { url: sent.url, body: JSON.parse(sent.body) as unknown };
    },
  };
}

/** Each payload `{ url, event }` as JSON text, from each event's JSON; undefined without those. */
function payloadJsonsOf(url: string, eventJsons: readonly string[] | undefined): string[] | undefined {
  if (eventJsons === undefined) return undefined;
  const head = `{"url":${JSON.stringify(url)},"event":`;
  return eventJsons.map((eventJson) => `${head}${eventJson}}`);
}

/**
 * The event "Send test event" sends when none is given, with just enough identifiers (IP + user
 * agent) for Snapchat to accept it: a page view, or for an app integration an app open, since a
 * page view means nothing to an app. The app's store id comes from the integration's `app_id`.
 */
export function sampleSnapMessage(now: Date, config: Pick<SnapchatConfig, 'action_source'> = {}): EnrichedMessage {
  const common = {
    messageId: `test-${crypto.randomUUID()}`,
    timestamp: now.toISOString(),
    receivedAt: now.toISOString(),
  };
  if (toActionSource(config.action_source) === 'MOBILE_APP') {
    return {
      ...common,
      type: 'track',
      event: 'Application Opened',
      context: {
        ip: '203.0.113.7',
        userAgent: 'Datafirst test event',
        snapchat: { eventName: 'APP_OPEN' },
        app: { name: 'Datafirst test event' },
      },
    };
  }
  return {
    ...common,
    type: 'page',
    name: 'Datafirst test event',
    context: {
      page: { url: 'https://example.com/datafirst-test' },
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Datafirst test event)',
    },
  };
}

/** Snapchat's Conversions API as a Datafirst destination, sending through `client`. */
export function createSnapchatDestination(client: SnapchatClient): Destination<SnapchatConfig, SnapV3Event> {
  return {
    vendor: 'snapchat',
    name: 'Snapchat',
    // Segment's destination is "Snap Conversions Api", RudderStack's "Snapchat Conversion"
    // (SNAPCHAT_CONVERSION): a sender's `integrations` object names it so.
    aliases: ['Snap Conversions Api', 'Snapchat Conversions API', 'Snapchat Conversion', 'SNAPCHAT_CONVERSION'],
    fields: SNAPCHAT_FIELDS,
    identifiers: SNAP_IDENTIFIERS,
    maxBatchSize: MAX_EVENTS_PER_REQUEST,
    maxEventAgeMs: MAX_EVENT_AGE_MS,
    eventVocabulary: {
      eventNames: SNAP_EVENT_NAMES,
      defaultEventMap: { [PAGE_EVENT_KEY]: 'PAGE_VIEW', [SCREEN_EVENT_KEY]: 'PAGE_VIEW', ...DEFAULT_EVENT_MAP },
      pageEventKey: PAGE_EVENT_KEY,
    },
    validateConfig,
    rateLimit: (config) => ({
      rps: positiveOr(config.rate_limit_rps, DEFAULT_RATE),
      burst: positiveOr(config.rate_limit_burst, DEFAULT_BURST),
    }),
    accountOf: (message, config) => assetIdFor(resolveActionSource(message, config), config)?.toLowerCase(),
    build(message, config, context) {
      const built = toSnapEvent(message, config, context);
      if (built.ok) return { ok: true, event: built.event, batchKey: built.assetId };
      const { code, status } = SKIP_CODES[built.reason];
      return { ok: false, status, code, detail: `${built.reason}: ${built.detail}` };
    },
    identifiersOf: snapIdentifiersOf,
    purchaseOf: snapPurchaseOf,
    send: async (config, events) => report(await client.send(config, events), config, events),
    validate: async (config, events, testEventCode) =>
      report(await client.validate(config, events, testEventCode), config, events),
    enrichContext: withSnapchatIds,
    sampleMessage: sampleSnapMessage,
  };
}

/** A PURCHASE's value and currency (the build refuses one without them, so a built one has both). */
export function snapPurchaseOf(event: SnapV3Event): Purchase | undefined {
  const { value, currency } = event.custom_data ?? {};
  if (event.event_name !== 'PURCHASE' || typeof value !== 'number' || typeof currency !== 'string') return undefined;
  return { value, currency };
}

function positiveOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}
