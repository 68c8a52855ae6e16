import { LIMITS, type EnrichedMessage, type Message, type Traits } from '@datafirst/protocol';
import { withoutPersonalData } from './url-privacy.js';
import { assetIdFor, resolveActionSource } from './action-source.js';
import { buildAppData } from './app-data.js';
import type { ActionSource, SnapchatConfig } from './config.js';
import { buildCustomData, orderValue } from './custom-data.js';
import { applyFieldMap } from './field-map.js';
import { mapEventName } from './map-event.js';
import { buildUserData, hasMinimumIdentifiers, hasTrait } from './user-data.js';
import type { SnapV3Event } from './v3-event.js';
import { withoutUndefined } from './without-undefined.js';

/**
 * Why a message is not sent to Snapchat. Retrying would not change the answer, but a config
 * change can for `missing_event_source_url` (set `site_url`) and `missing_app_data` (set the app ids).
 */
export type SkipReason =
  | 'unmapped'
  | 'disabled'
  | 'insufficient_identifiers'
  | 'purchase_missing_value_or_currency'
  | 'value_out_of_range'
  | 'missing_event_source_url'
  | 'too_old'
  | 'missing_app_data';

/** A built v3 event and the asset (pixel or Snap app) it goes to, or why there is none. */
export type BuildEventResult =
  { ok: true; event: SnapV3Event; assetId: string } | { ok: false; reason: SkipReason; detail: string };

/** Options of {@link toSnapEvent}. */
export interface BuildEventOptions {
  /** The clock, for the age limit (default: now). */
  now?: Date;
  /** Traits of the profile earlier identify calls built; the message's own traits win per field. */
  profileTraits?: Traits;
  /** Marks the event as a test event in Snap's Events Manager. */
  testEventCode?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Snap reports events up to 37 days old (older docs said 28); older ones are never sent. */
export const MAX_EVENT_AGE_MS = 37 * DAY_MS;

function skip(reason: SkipReason, detail: string): BuildEventResult {
  return { ok: false, reason, detail };
}

function firstTime(...candidates: (string | undefined)[]): number | undefined {
  for (const candidate of candidates) {
    const time = candidate === undefined ? Number.NaN : Date.parse(candidate);
    if (Number.isFinite(time)) return time;
  }
  return undefined;
}

/**
 * Epoch ms as the whole seconds Snap's `event_time` takes: Snap refuses milliseconds on OFFLINE
 * events, so every action source gets seconds (snapchat-capi.md §3).
 */
function toUnixSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

/** The page the event happened on, without the query parameters that hold personal data (never sent in clear). */
function pageUrl(message: Message): string | undefined {
  for (const url of [message.context?.page?.url, message.properties?.url]) {
    if (typeof url === 'string' && url.trim() !== '') return withoutPersonalData(url.trim());
  }
  return undefined;
}

/**
 * The event's `event_source_url`: its page, or for a WEB event without one (sent from a server)
 * the integration's `site_url`.
 */
function sourceUrl(message: Message, actionSource: ActionSource, config: SnapchatConfig): string | undefined {
  return pageUrl(message) ?? (actionSource === 'WEB' ? config.site_url : undefined);
}

/**
 * Limited data use is asked for by the message (`context.limitedDataUse`), by its consent
 * (`context.consent.categoryPreferences.limited_data_use`: in Segment's consent spec a category
 * applies when it is `true`), or by the integration (`limited_data_use`).
 */
export function wantsLimitedDataUse(message: Message, config: SnapchatConfig): boolean {
  const context = message.context;
  return (
    context?.limitedDataUse === true ||
    context?.consent?.categoryPreferences?.limited_data_use === true ||
    config.limited_data_use === true
  );
}

function describeMessage(message: Message): string {
  return message.type === 'track' ? `track "${String(message.event)}"` : message.type;
}

/**
 * Builds the v3 event for one stored message, or says why it must not be sent: unmapped or
 * switched-off events, events older than 37 days, WEB events without a URL, app events without
 * app data, purchases without value and currency, and events without Snap's minimum identifiers.
 * Throws only for a config without pixel_id, which validateSnapchatConfig never lets through.
 */
export function toSnapEvent(message: EnrichedMessage, config: SnapchatConfig, options: BuildEventOptions = {}): BuildEventResult {
  const now = options.now ?? new Date();
  const mapping = mapEventName(message, config);
  if ('skip' in mapping) {
    if (mapping.skip === 'disabled') return skip('disabled', `event_map switches ${describeMessage(message)} off`);
    const detail =
      message.type === 'identify'
        ? 'identify calls update the profile and are not sent themselves'
        : `no Snapchat event is mapped for ${describeMessage(message)}; add it to event_map`;
    return skip('unmapped', detail);
  }

  const actionSource = resolveActionSource(message, config);
  const assetId = assetIdFor(actionSource, config);
  if (assetId === undefined) {
    if (actionSource === 'MOBILE_APP') {
      return skip('missing_app_data', "MOBILE_APP events need the integration's snap_app_id");
    }
    // validateSnapchatConfig requires pixel_id, so only an unvalidated config gets here.
    throw new TypeError('config.pixel_id is required: validate the config with validateSnapchatConfig');
  }

  // The collector already corrected the timestamp for client clock skew; receivedAt is a
  // fallback for messages stored without one. Never ahead of now: Snap rejects future events.
  const eventTimeMs = Math.min(firstTime(message.timestamp, message.receivedAt) ?? now.getTime(), now.getTime());
  if (now.getTime() - eventTimeMs > MAX_EVENT_AGE_MS) {
    const days = Math.floor((now.getTime() - eventTimeMs) / DAY_MS);
    return skip('too_old', `the event is ${days} days old; Snapchat accepts events up to 37 days old`);
  }

  const url = sourceUrl(message, actionSource, config);
  if (actionSource === 'WEB' && url === undefined) {
    return skip('missing_event_source_url', "WEB events need context.page.url or properties.url, or the integration's site_url");
  }

  const appData = actionSource === 'MOBILE_APP' ? buildAppData(message, config, new Date(eventTimeMs)) : undefined;
  if (actionSource === 'MOBILE_APP' && appData === undefined) {
    return skip('missing_app_data', "MOBILE_APP events need an app id: the integration's app_id or context.app.namespace");
  }

  // The integration's field map changes what the default rules built, before any check runs on it.
  const { customData, userData } = applyFieldMap(
    message,
    { customData: buildCustomData(message), userData: buildUserData(message, options.profileTraits, config) },
    config,
  );
  const value = customData?.value;
  if (value !== undefined && (value < 0 || value >= LIMITS.maxConversionValue)) {
    return skip(
      'value_out_of_range',
      `value ${value} is out of range: amounts are sent from 0 to under ${LIMITS.maxConversionValue}`,
    );
  }
  if (mapping.name === 'PURCHASE' && (customData?.value === undefined || customData.currency === undefined)) {
    const properties = message.properties ?? {};
    const detail =
      orderValue(properties) === undefined
        ? 'PURCHASE needs a value: revenue, total, value, products with prices, or price'
        : `PURCHASE needs a currency Snapchat accepts, got ${JSON.stringify(properties.currency ?? null)}`;
    return skip('purchase_missing_value_or_currency', detail);
  }

  if (!hasMinimumIdentifiers(userData)) {
    const phoneHint =
      config.phone_default_country === undefined && hasTrait(message, options.profileTraits, 'phone')
        ? "; a phone number without a country code needs the integration's phone_default_country"
        : '';
    return skip(
      'insufficient_identifiers',
      `Snapchat needs an email, a phone, a mobile ad id, or both IP address and user agent${phoneHint}`,
    );
  }

  const limitedDataUse = wantsLimitedDataUse(message, config);
  const testEventCode = options.testEventCode?.trim() || undefined;
  const event: SnapV3Event = withoutUndefined({
    event_name: mapping.name,
    action_source: actionSource,
    event_time: toUnixSeconds(eventTimeMs),
    event_id: message.messageId,
    event_source_url: url,
    user_data: userData,
    custom_data: customData,
    app_data: appData,
    data_processing_options: limitedDataUse ? ['LDU'] : undefined,
    data_processing_options_country: limitedDataUse ? (config.ldu_country ?? 0) : undefined,
    data_processing_options_state: limitedDataUse ? (config.ldu_state ?? 0) : undefined,
    test_event_code: testEventCode,
  });
  return { ok: true, event, assetId };
}
